"""The ready Salesforce mappings on files written from Salesforce's documented export columns.

Users, then accounts, contacts (with ReportsToId) and opportunities, all keyed by their
Salesforce Id under the one source "Salesforce" so that OwnerId, AccountId and ReportsToId
find what an earlier file created; importing everything again creates nothing.
"""

from datetime import date
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.utils import timezone, translation

from winroom.accounts.models import Account, Contact, Industry
from winroom.deals.models import Deal, DealStatus
from winroom.imports import ready
from winroom.imports.importer import run_import
from winroom.imports.mapping import Mapping
from winroom.imports.models import ImportedKey, ImportMapping
from winroom.org.models import Role, User
from winroom.testing.factories import UserFactory

pytestmark = pytest.mark.django_db

USERS = """Id,Username,LastName,FirstName,Email,ManagerId,Department,Division,IsActive
005A1,zhang.wei@corp.example,张,伟,zhang.wei@corp.example,,华东销售部,全国销售,true
005A2,li.na@corp.example,李,娜,li.na@corp.example,005A1,华东销售部,全国销售,true
"""

ACCOUNTS = """Id,Name,Type,ParentId,BillingStreet,BillingCity,BillingState,BillingPostalCode,\
BillingCountry,Phone,Website,Industry,AnnualRevenue,NumberOfEmployees,Description,OwnerId,CreatedDate
001A1,杭州地铁集团有限公司,Customer - Direct,,建国路1号,杭州,浙江,310000,中国,0571-88880000,\
https://hzmetro.example.cn,Transportation,5000000000,12000,地铁运营,005A2,2024-01-15T08:00:00.000Z
001A2,宁波港集团,Prospect,001A1,,宁波,浙江,,中国,,,Shipping,,,,005A1,2024-02-01T08:00:00.000Z
"""

CONTACTS = """Id,AccountId,LastName,FirstName,Salutation,Title,Department,Email,Phone,\
MobilePhone,ReportsToId,Description,OwnerId
003A2,001A1,赵,强,,工程师,信息中心,,,,003A1,,005A2
003A1,001A1,王,建国,先生,信息中心主任,信息中心,WJG@hzmetro.example.cn,13800138000,,,关键决策人,005A2
003A3,001A2,陈,静,女士,采购经理,,,,,,,005A1
"""

OPPORTUNITIES = """Id,AccountId,Name,StageName,Amount,Probability,CloseDate,Type,LeadSource,\
IsClosed,IsWon,OwnerId,CreatedDate,NextStep,ForecastCategoryName
006A1,001A1,线网指挥中心,Needs Analysis,3200000,20,2026-09-30,New Customer,Partner Referral,\
false,false,005A2,2026-01-10T09:30:00.000Z,方案交流,Pipeline
006A2,001A1,票务系统升级,Closed Won,450000,100,2025-12-20,Existing Customer - Upgrade,Web,\
true,true,005A2,2025-06-01T02:00:00.000Z,,Closed
006A3,001A2,港口调度,Closed Lost,1200000,0,2025-11-30,New Customer,Trade Show,\
true,false,005A1,2025-03-03T02:00:00.000Z,,Omitted
006A4,001A2,堆场监控,Id. Decision Makers,800000,60,2026-12-31,New Customer,Other,\
false,false,005A1,2026-02-02T02:00:00.000Z,,Pipeline
006A5,001A2,闸口识别,Prospecting,,10,2027-03-31,,,false,false,005A1,2026-03-03T02:00:00.000Z,,
"""

FILES = [
    ("user", "salesforce-users", "User.csv", USERS),
    ("account", "salesforce-accounts", "Account.csv", ACCOUNTS),
    ("contact", "salesforce-contacts", "Contact.csv", CONTACTS),
    ("deal", "salesforce-opportunities", "Opportunity.csv", OPPORTUNITIES),
]


@pytest.fixture
def admin(db):
    return UserFactory(username="importer", role=Role.ADMIN)


def load(admin, kind, slug, filename, text, *, dry_run=False):
    saved = ready.install(slug, by=admin)
    report = run_import(
        kind=kind,
        data=text.encode("utf-8-sig"),
        filename=filename,
        user=admin,
        mapping=Mapping.from_json(saved.as_json()),
        source=saved.name,
        dry_run=dry_run,
    )
    assert report.ok, report.lines("en")
    return report


def sf(kind: str, external_id: str, model):
    key = ImportedKey.objects.get(kind=kind, source="Salesforce", external_id=external_id)
    return model.objects.get(pk=key.object_id)


def test_users_accounts_contacts_and_opportunities_then_again_nothing_new(admin):
    for kind, slug, filename, text in FILES:
        dry = load(admin, kind, slug, filename, text, dry_run=True)
        real = load(admin, kind, slug, filename, text)
        assert real.counts() == dry.counts()
        assert real.counts()["created"] == text.count("\n") - 1, (filename, real.counts())

    # people: LastName + FirstName, the manager's team and its parent
    zhang, li = sf("user", "005A1", User), sf("user", "005A2", User)
    assert (zhang.display_name, zhang.username, zhang.role) == (
        "张伟",
        "zhang.wei@corp.example",
        Role.MANAGER,
    )
    assert (li.display_name, li.role, li.team.name) == ("李娜", Role.REP, "华东销售部")
    assert (li.team.manager, li.team.parent.name, zhang.team) == (zhang, "全国销售", li.team)
    assert not li.has_usable_password()

    # accounts: industry mapped, the original kept; address joined; owner by OwnerId
    metro = sf("account", "001A1", Account)
    assert (metro.name, metro.industry, metro.region, metro.owner) == (
        "杭州地铁集团有限公司",
        Industry.TRANSPORT,
        "杭州",
        li,
    )
    assert metro.status == "active"
    assert metro.address == "建国路1号杭州浙江 310000 中国"
    assert metro.custom == {
        "source_industry": "Transportation",
        "annual_revenue": 5000000000,
        "employees": 12000,
    }
    port = sf("account", "001A2", Account)
    assert (port.industry, port.status, port.owner) == (Industry.TRANSPORT, "target", zhang)
    assert port.custom["subsidiary_of"] == "001A1"

    # contacts: the name joined without a space between Chinese characters; reporting line
    wang, zhao = sf("contact", "003A1", Contact), sf("contact", "003A2", Contact)
    assert (wang.name, wang.account, wang.email, wang.phone) == (
        "王建国",
        metro,
        "wjg@hzmetro.example.cn",
        "+86 138 0013 8000",
    )
    assert (zhao.name, zhao.reports_to) == ("赵强", wang)
    assert sf("contact", "003A3", Contact).account == port

    # opportunities: stages and outcomes, Probability and Type kept as custom attributes
    center = sf("deal", "006A1", Deal)
    assert (center.account, center.owner, center.stage.number, center.status) == (
        metro,
        li,
        3,
        DealStatus.OPEN,
    )
    assert (center.amount, center.expected_close, center.source) == (
        Decimal(3200000),
        date(2026, 9, 30),
        "partner",
    )
    assert timezone.localdate(center.created_at) == date(2026, 1, 10)
    assert center.custom == {
        "source_stage": "Needs Analysis",
        "probability": 20,
        "opportunity_type": "New Customer",
        "next_step": "方案交流",
    }
    won = sf("deal", "006A2", Deal)
    assert (won.status, won.stage.number, timezone.localdate(won.closed_at)) == (
        DealStatus.WON,
        7,
        date(2025, 12, 20),
    )
    lost = sf("deal", "006A3", Deal)
    assert (lost.status, lost.owner, lost.source) == (DealStatus.LOST, zhang, "marketing")
    assert sf("deal", "006A4", Deal).stage.number == 4
    early = sf("deal", "006A5", Deal)
    assert (early.stage.number, early.amount, early.source) == (1, 0, "customer")

    # everything again: nothing new, nothing changed
    for kind, slug, filename, text in FILES:
        again = load(admin, kind, slug, filename, text)
        assert again.counts()["created"] == 0, (filename, again.counts())
        assert again.counts()["updated"] == 0, (filename, again.lines("en"))
    assert Deal.objects.count() == 5 and Contact.objects.count() == 3


def test_the_command_installs_a_ready_mapping_named_on_first_use(admin, tmp_path, capsys):
    for kind, slug, filename, text in FILES[:2]:
        load(admin, kind, slug, filename, text)
    path = tmp_path / "Opportunity.csv"
    path.write_text(OPPORTUNITIES, encoding="utf-8")
    assert not ImportMapping.objects.filter(name="Salesforce opportunities").exists()
    arguments = ["import", "deal", str(path), "--as", "importer", "--language", "en"]
    call_command(*arguments, "--mapping", "Salesforce opportunities")
    assert "created 5, updated 0, unchanged 0, refused 0" in capsys.readouterr().out
    assert ImportMapping.objects.filter(kind="deal", name="Salesforce opportunities").exists()
    assert sf("deal", "006A1", Deal).owner == sf("user", "005A2", User)
    call_command(*arguments, "--mapping", "salesforce-opportunities")  # by file name too
    assert "created 0, updated 0, unchanged 5, refused 0" in capsys.readouterr().out


def test_a_ready_mapping_for_another_kind_is_not_used(admin, tmp_path):
    from django.core.management.base import CommandError

    path = tmp_path / "Opportunity.csv"
    path.write_text(OPPORTUNITIES, encoding="utf-8")
    with pytest.raises(CommandError), translation.override("en"):
        call_command(
            "import",
            "account",
            str(path),
            "--as",
            "importer",
            "--mapping",
            "Salesforce opportunities",
        )
