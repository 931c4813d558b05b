"""Imports fill custom attributes: proposed by label, typed, merged on update, refused when bad."""

import pytest

from winroom.accounts.models import Account
from winroom.attributes.models import AttributeDefinition
from winroom.imports.importer import run_import
from winroom.imports.mapping import Mapping, custom_targets, propose_columns
from winroom.org.models import Role
from winroom.testing.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def definitions():
    AttributeDefinition.objects.create(
        target="account", code="seats", label="座席数", type="number"
    )
    AttributeDefinition.objects.create(
        target="account",
        code="segment",
        label="分层",
        label_en="Segment",
        type="choice",
        choices=["Gold", "Silver"],
    )


def csv(text: str) -> bytes:
    return text.encode("utf-8")


def test_columns_named_like_an_attribute_are_proposed(definitions):
    proposal = propose_columns(
        "account", ["客户名称", "座席数", "Segment"], [], custom=custom_targets("account")
    )
    assert proposal == {"客户名称": "name", "座席数": "custom:seats", "Segment": "custom:segment"}


def test_import_fills_and_merges_custom_attributes(definitions):
    admin = UserFactory(role=Role.ADMIN)
    mapping = Mapping(columns={"name": "name", "seats": "custom:seats", "seg": "custom:segment"})
    data = csv('name,seats,seg\n甲公司,"1,200",gold\n')
    report = run_import(
        kind="account", data=data, filename="a.csv", user=admin, mapping=mapping, dry_run=False
    )
    assert report.ok, report.lines("en")
    account = Account.objects.get(name="甲公司")
    assert account.custom == {"seats": 1200, "segment": "Gold"}

    mapping = Mapping(columns={"name": "name", "seg": "custom:segment"})
    report = run_import(
        kind="account",
        data=csv("name,seg\n甲公司,Silver\n"),
        filename="a.csv",
        user=admin,
        mapping=mapping,
        dry_run=False,
    )
    assert report.counts()["updated"] == 1
    account.refresh_from_db()
    assert account.custom == {"seats": 1200, "segment": "Silver"}


def test_a_bad_custom_value_refuses_the_row_with_the_reason(definitions):
    admin = UserFactory(role=Role.ADMIN)
    mapping = Mapping(columns={"name": "name", "seg": "custom:segment"})
    report = run_import(
        kind="account",
        data=csv("name,seg\n乙公司,Bronze\n"),
        filename="a.csv",
        user=admin,
        mapping=mapping,
        dry_run=False,
    )
    assert not report.ok
    assert "Bronze" in " ".join(report.lines("en"))
    assert not Account.objects.filter(name="乙公司").exists()
