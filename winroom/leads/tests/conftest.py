import pytest

from winroom.leads import actions
from winroom.leads.models import LeadChannel


@pytest.fixture
def channel(db):
    return LeadChannel.objects.get(name="展会")


@pytest.fixture
def make_lead(company, channel):
    def _make(*, by=None, **data):
        data.setdefault("company_name", "杭州新客户科技有限公司")
        data.setdefault("channel", channel)
        return actions.create_lead(by=by or company.owner, data=data)

    return _make
