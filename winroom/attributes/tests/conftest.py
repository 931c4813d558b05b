import pytest

from winroom.deals import actions


@pytest.fixture
def deal(company):
    """The East rep's opportunity at the shared account (winroom/conftest.py)."""
    return actions.create_deal(
        by=company.owner,
        data={"account": company.account, "name": "地铁线网指挥中心项目", "amount": "3200000"},
    )
