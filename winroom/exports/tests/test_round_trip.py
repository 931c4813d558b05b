"""Export round trip: a list exported to .xlsx (or .csv) and imported again with Winroom's
ready mapping changes nothing — in either language, formula payloads included."""

import io
from datetime import date
from decimal import Decimal

import openpyxl
import pytest
from django.urls import reverse
from django.utils import translation

from winroom.accounts.models import Account, Contact
from winroom.deals import actions as deal_actions
from winroom.deals.models import Deal, DealStatus, ProductLine, Stage
from winroom.exports import lists
from winroom.exports.spreadsheet import headers
from winroom.imports.importer import IMPORTERS, run_import
from winroom.imports.mapping import Mapping
from winroom.imports.ready import find, install
from winroom.testing.factories import AccountFactory, ContactFactory

pytestmark = pytest.mark.django_db

NOTHING_CHANGED = {"created": 0, "updated": 0, "refused": 0}


def exported(client, url_name, fmt) -> bytes:
    response = client.get(reverse(url_name), {"format": fmt})
    assert response.status_code == 200
    return response.getvalue()


def reimport(kind, ready, data, fmt, user, *, dry_run=False):
    saved = install(ready)
    return run_import(
        kind=kind,
        data=data,
        filename=f"export.{fmt}",
        user=user,
        mapping=Mapping.from_json(saved.as_json()),
        source=saved.name,
        dry_run=dry_run,
    )


def counts(report) -> dict:
    assert report.ok, report.lines("en")
    result = report.counts()
    return {k: v for k, v in result.items() if k != "unchanged"} | {"rows": len(report.rows)}


@pytest.fixture
def accounts(company):
    owner = company.owner
    Account.objects.filter(pk=company.account.pk).update(
        industry="transport",
        size="10000+",
        status="active",
        website="https://www.shmetro.com",
        address="上海市衡山路12号",
        description="上海地铁的运营主体",
    )
    AccountFactory(owner=owner, name="=SUM(A1:A9) 测试客户", region="-", industry="energy")
    AccountFactory(owner=owner, name="+86 电话公司", description="@all 请注意", size="lt100")
    return Account.objects.filter(owner=owner)


@pytest.fixture
def contacts(company, accounts):
    boss = company.contact
    Contact.objects.filter(pk=boss.pk).update(
        level="executive",
        relationship_status="positive",
        orientation="pragmatic",
        phone="+86 138 0013 8000",  # as the contact form stores it
        email="wang@shmetro.com",
        first_contact_on=date(2025, 3, 1),
        marked_key=True,
        notes="=1+1 信息中心",
    )
    ContactFactory(
        account=company.account,
        name="李工",
        title="-",
        department="信息中心",
        reports_to=boss,
        level="staff",
    )
    return Contact.objects.filter(account__owner=company.owner)


@pytest.mark.parametrize("language", ["zh-hans", "en"])
@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_accounts_round_trip_changes_nothing(company, client, accounts, language, fmt):
    owner = company.owner
    owner.language = language
    owner.save()
    client.force_login(owner)
    before = list(Account.objects.order_by("pk").values())
    report = reimport(
        "account", "winroom-accounts", exported(client, "accounts:list", fmt), fmt, owner
    )
    assert counts(report) == NOTHING_CHANGED | {"rows": accounts.count()}
    assert list(Account.objects.order_by("pk").values()) == before


@pytest.mark.parametrize("language", ["zh-hans", "en"])
@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_contacts_round_trip_changes_nothing(company, client, contacts, language, fmt):
    owner = company.owner
    owner.language = language
    owner.save()
    client.force_login(owner)
    before = list(Contact.objects.order_by("pk").values())
    report = reimport(
        "contact", "winroom-contacts", exported(client, "contacts:list", fmt), fmt, owner
    )
    assert counts(report) == NOTHING_CHANGED | {"rows": contacts.count()}
    assert list(Contact.objects.order_by("pk").values()) == before


def test_after_a_round_trip_the_id_finds_a_renamed_account(company, client, accounts):
    owner = company.owner
    client.force_login(owner)
    data = exported(client, "accounts:list", "xlsx")
    reimport("account", "winroom-accounts", data, "xlsx", owner)  # records the ids
    book = openpyxl.load_workbook(io.BytesIO(data))
    sheet = book.worksheets[0]
    header = [c.value for c in sheet[1]]
    for row in sheet.iter_rows(min_row=2):
        if row[0].value == company.account.pk:
            row[header.index("名称")].value = "上海申通地铁（集团）有限公司"
    changed = io.BytesIO()
    book.save(changed)
    report = reimport("account", "winroom-accounts", changed.getvalue(), "xlsx", owner)
    assert report.counts()["updated"] == 1 and report.counts()["created"] == 0
    assert Account.objects.get(pk=company.account.pk).name == "上海申通地铁（集团）有限公司"


@pytest.mark.skipif("deal" not in IMPORTERS, reason="no deal importer registered")
@pytest.mark.parametrize("language", ["zh-hans", "en"])
@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_deals_round_trip_changes_nothing(company, client, language, fmt):
    owner = company.owner
    owner.language = language
    owner.save()
    line = ProductLine.objects.create(name="智云MES")
    other = AccountFactory(owner=owner, name="-号线客户")
    open_deal = deal_actions.create_deal(
        by=owner,
        data={
            "account": company.account,
            "name": "线网指挥中心项目",
            "amount": "3200000",
            "expected_close": date(2026, 12, 31),
            "partner": "=合作伙伴",
            "source": "tender",
            "product_lines": [line],
        },
    )
    won = deal_actions.create_deal(
        by=owner, data={"account": other, "name": "@信号系统改造", "amount": "150000.50"}
    )
    Deal.objects.filter(pk=won.pk).update(  # as closing it would: won with a signed contract
        status=DealStatus.WON,
        stage=Stage.objects.order_by("-number").first(),
        contract_signed_on=date(2026, 11, 20),
    )
    lost = deal_actions.create_deal(by=owner, data={"account": other, "name": "票务系统"})
    Deal.objects.filter(pk=lost.pk).update(status=DealStatus.LOST, lost_reason="价格偏高")
    client.force_login(owner)
    before = list(Deal.objects.order_by("pk").values())
    lines_before = list(open_deal.product_lines.values_list("pk", flat=True))
    report = reimport("deal", "winroom-deals", exported(client, "deals:list", fmt), fmt, owner)
    assert counts(report) == NOTHING_CHANGED | {"rows": 3}
    assert list(Deal.objects.order_by("pk").values()) == before
    assert list(open_deal.product_lines.values_list("pk", flat=True)) == lines_before
    assert Decimal(str(Deal.objects.get(pk=won.pk).amount)) == Decimal("150000.50")


@pytest.mark.parametrize(
    ("ready", "spec"),
    [
        ("winroom-accounts", lists.account_export),
        ("winroom-contacts", lambda: lists.contact_export(None)),
        ("winroom-deals", lists.deal_export),
    ],
)
@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_the_ready_mappings_know_every_header_they_map(company, ready, spec, language):
    """Catches a translation of a header that the ready mapping does not list."""
    mapping = find(ready)
    with translation.override(language):
        names = headers(spec())
    found = {target for header, target in mapping["columns"].items() if header in names}
    assert found == set(mapping["columns"].values()), (language, names)
