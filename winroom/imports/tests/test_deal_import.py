"""Importing opportunities: stages and outcomes as facts, references, idempotency, refusals."""

from datetime import date
from decimal import Decimal

import pytest
from django.utils import timezone

from winroom.accounts.models import Account
from winroom.attributes.models import AttributeDefinition
from winroom.deals.models import (
    Competitor,
    Deal,
    DealCompetitor,
    DealEvent,
    DealMember,
    DealStatus,
    ProductLine,
    WinRatePoint,
)
from winroom.imports import deal_import
from winroom.imports.importer import run_import
from winroom.imports.mapping import Mapping, propose_columns
from winroom.imports.models import ImportedKey
from winroom.imports.reading import read_table

pytestmark = pytest.mark.django_db

HEADERS = ["商机编号", "商机名称", "客户名称", "负责人", "金额（万元）", "预计成交日期", "阶段"]
ROWS = [
    [
        "D1",
        "地铁线网指挥中心",
        "上海申通地铁集团有限公司",
        "owner",
        "320",
        "2026-09-30",
        "需求分析",
    ],
    ["D2", "票务清分系统", "上海申通地铁集团有限公司", "teammate", "45.5", "2026/6/1", "2"],
    ["D3", "车辆段改造", "上海申通地铁集团有限公司", "", "1,200", "", "谈判签约"],
]
COLUMNS = {
    "商机编号": "external_id",
    "商机名称": "name",
    "客户名称": "account",
    "负责人": "owner",
    "金额（万元）": "amount",
    "预计成交日期": "expected_close",
    "阶段": "stage",
}


def csv_bytes(rows, headers=HEADERS):
    return "\r\n".join(",".join(f'"{v}"' for v in row) for row in [headers, *rows]).encode()


def do_import(user, rows, *, headers=HEADERS, columns=None, dry_run=False, **mapping):
    options = mapping.pop("options", {"in_wan": ["amount"]})
    return run_import(
        kind="deal",
        data=csv_bytes(rows, headers),
        filename="deals.csv",
        user=user,
        mapping=Mapping(columns=columns or COLUMNS, options=options, **mapping),
        source="test",
        dry_run=dry_run,
    )


def deal(external_id: str) -> Deal:
    key = ImportedKey.objects.get(kind="deal", source="test", external_id=external_id)
    return Deal.objects.get(pk=key.object_id)


def state():
    return sorted(
        Deal.objects.values_list(
            "name", "account__name", "owner__username", "amount", "stage__number", "status"
        )
    )


def test_headers_in_chinese_english_and_salesforce_are_proposed():
    assert propose_columns("deal", HEADERS, []) == {
        "商机编号": "external_id",
        "商机名称": "name",
        "客户名称": "account",
        "负责人": "owner",
        "预计成交日期": "expected_close",
        "阶段": "stage",
    }
    salesforce = ["Id", "AccountId", "Name", "StageName", "Amount", "CloseDate", "LeadSource"]
    salesforce += ["OwnerId", "IsClosed", "IsWon", "CreatedDate", "Probability"]
    assert propose_columns("deal", salesforce, []) == {
        "Id": "external_id",
        "AccountId": "account",
        "Name": "name",
        "StageName": "stage",
        "Amount": "amount",
        "CloseDate": "expected_close",
        "LeadSource": "source",
        "OwnerId": "owner",
        "IsClosed": "is_closed",
        "IsWon": "is_won",
        "CreatedDate": "created",
    }


def test_dry_run_then_real_run_creates_deals_as_historical_facts(company):
    before = state()
    dry = do_import(company.manager, ROWS, dry_run=True)
    assert dry.ok, dry.lines("en")
    assert dry.counts() == {"created": 3, "updated": 0, "unchanged": 0, "refused": 0}
    assert state() == before and not ImportedKey.objects.filter(kind="deal").exists()

    report = do_import(company.manager, ROWS)
    assert report.counts() == dry.counts()
    first, second, third = deal("D1"), deal("D2"), deal("D3")
    assert (first.owner, first.amount, first.stage.number) == (company.owner, Decimal(3200000), 3)
    assert first.expected_close == date(2026, 9, 30)
    assert (second.owner, second.amount, second.stage.number) == (
        company.teammate,
        Decimal(455000),
        2,
    )
    assert third.owner == company.manager  # blank owner: the importing person
    assert (third.stage.number, third.status) == (7, DealStatus.OPEN)
    assert (first.grade, third.grade) == ("b", "a")  # graded by amount as on the form
    assert DealMember.objects.get(deal=first).user == company.owner
    kinds = list(DealEvent.objects.filter(deal=first).values_list("kind", flat=True))
    assert sorted(kinds) == ["created", "imported"]
    imported = DealEvent.objects.get(deal=first, kind=DealEvent.Kind.IMPORTED)
    assert (imported.new, imported.by) == ("test · deals.csv", company.manager)
    assert first.history.count() == 1
    # as a deal created by hand: no compelling event yet, so no win rate yet; health scored
    assert (first.win_rate, first.win_rate_status) == (None, "not_computed")
    assert first.health_score is not None
    assert [r.object_id for r in report.rows] == [first.pk, second.pk, third.pk]


def test_outcomes_from_stage_names_status_words_and_value_mappings(company):
    headers = ["编号", "名称", "客户", "阶段", "状态", "关闭日期", "丢单原因"]
    rows = [
        ["W1", "赢的", company.account.name, "Closed Won", "", "2026-03-01", ""],
        ["L1", "输的", company.account.name, "Closed Lost", "", "2026-03-02", "价格"],
        ["L2", "输在投标", company.account.name, "投标", "lost", "", ""],
        ["O1", "还在跟", company.account.name, "Stage 4", "进行中", "", ""],
        ["X1", "他们的阶段", company.account.name, "Angebot", "", "", ""],
    ]
    columns = dict(
        zip(headers, ["external_id", "name", "account", "stage", "status"], strict=False)
    )
    columns |= {"关闭日期": "closed", "丢单原因": "lost_reason"}
    report = do_import(
        company.owner,
        rows,
        headers=headers,
        columns=columns,
        values={"stage": {"投标": "6", "Angebot": "Proposal"}},
    )
    bad = {row.line: row.errors[0] for row in report.bad_rows()}
    assert list(bad) == [6]
    assert "“Angebot” is neither one of our stages" in bad[6].text("en")

    rows.pop()
    report = do_import(
        company.owner,
        rows,
        headers=headers,
        columns=columns,
        values={"stage": {"投标": "6"}},
        options={"closed_stage": {"lost": 3}},
    )
    assert report.ok, report.lines("en")
    won, lost, lost_bidding, still_open = deal("W1"), deal("L1"), deal("L2"), deal("O1")
    assert (won.status, won.stage.number) == (DealStatus.WON, 7)
    assert timezone.localdate(won.closed_at) == date(2026, 3, 1)
    assert won.contract_signed_on == won.expected_close == date(2026, 3, 1)
    assert (lost.status, lost.stage.number, lost.lost_reason) == (DealStatus.LOST, 3, "价格")
    assert (lost_bidding.status, lost_bidding.stage.number) == (DealStatus.LOST, 6)
    assert lost_bidding.closed_at is not None
    assert (still_open.status, still_open.stage.number) == (DealStatus.OPEN, 4)
    status_events = DealEvent.objects.filter(kind=DealEvent.Kind.STATUS, deal=won)
    assert [(e.old, e.new, timezone.localdate(e.at)) for e in status_events] == [
        ("open", "won", date(2026, 3, 1))
    ]
    assert not WinRatePoint.objects.filter(deal=won).exists()  # a known outcome: no forecast


def test_is_won_and_is_closed_decide_the_outcome(company):
    headers = ["Id", "Name", "AccountId", "IsClosed", "IsWon"]
    rows = [
        ["1", "won", company.account.name, "true", "true"],
        ["2", "lost", company.account.name, "true", "false"],
        ["3", "open", company.account.name, "false", "false"],
    ]
    columns = dict(
        zip(headers, ["external_id", "name", "account", "is_closed", "is_won"], strict=True)
    )
    assert do_import(company.owner, rows, headers=headers, columns=columns).ok
    assert [deal(n).status for n in "123"] == ["won", "lost", "open"]


def test_products_competitors_source_grade_and_custom_attributes(company):
    AttributeDefinition.objects.create(
        target="deal", code="budget_year", label="预算年度", type="number"
    )
    ProductLine.objects.create(name="GTX Pro")
    Competitor.objects.create(name="华为")
    headers = ["编号", "名称", "客户", "产品", "竞争对手", "来源", "等级", "预算年度", "金额"]
    rows = [
        [
            "P1",
            "多产品",
            company.account.name,
            "GTXPro、MG Special",
            "华为, 新华三",
            "Partner",
            "A",
            "2027",
            "100",
        ]
    ]
    columns = dict(
        zip(
            headers,
            ["external_id", "name", "account", "product_lines", "competitors", "source", "grade"],
            strict=False,
        )
    )
    columns |= {"预算年度": "custom:budget_year", "金额": "amount"}
    report = do_import(company.admin, rows, headers=headers, columns=columns, options={})
    (bad,) = report.bad_rows()
    assert bad.errors[0].column == "产品"
    assert "No product line “MG Special”" in bad.errors[0].text("en")

    # an administrator may let the import add missing product lines; a rep may not
    options = {"create_product_lines": True}
    report = do_import(company.owner, rows, headers=headers, columns=columns, options=options)
    assert not report.ok
    report = do_import(company.admin, rows, headers=headers, columns=columns, options=options)
    assert report.ok, report.lines("en")
    made = deal("P1")
    assert sorted(p.name for p in made.product_lines.all()) == ["GTX Pro", "MG Special"]
    assert sorted(str(c) for c in Competitor.objects.all()) == ["华为", "新华三"]
    assert DealCompetitor.objects.filter(deal=made).count() == 2
    assert (made.source, made.amount, made.custom) == (
        "partner",
        Decimal(100),
        {"budget_year": 2027},
    )
    assert (made.grade, made.grade_override) == ("a", "a")  # the file's grade, kept as override
    assert "test" in made.grade_override_reason
    again = do_import(company.admin, rows, headers=headers, columns=columns, options=options)
    assert again.counts()["unchanged"] == 1


def test_second_import_changes_nothing_and_changed_rows_update_with_events(company):
    do_import(company.manager, ROWS)
    before = state()
    again = do_import(company.manager, ROWS)
    assert again.counts() == {"created": 0, "updated": 0, "unchanged": 3, "refused": 0}
    assert state() == before
    changed = [row[:] for row in ROWS]
    changed[0][4] = "350"
    changed[1][6] = "5"
    report = do_import(company.manager, changed)
    assert report.counts() == {"created": 0, "updated": 2, "unchanged": 1, "refused": 0}
    first, second = deal("D1"), deal("D2")
    assert first.amount == Decimal(3500000)
    assert second.stage.number == 5
    assert DealEvent.objects.filter(deal=first, kind=DealEvent.Kind.AMOUNT).count() == 1
    stage_event = DealEvent.objects.get(deal=second, kind=DealEvent.Kind.STAGE)
    assert stage_event.new != stage_event.old
    assert Deal.objects.count() == 3


def test_accounts_by_imported_id_by_name_or_created_when_allowed(company):
    ImportedKey.objects.create(
        kind="account", source="test", external_id="ACC-9", object_id=company.account.pk
    )
    rows = [
        ["E1", "按编号", "ACC-9", "owner", "", "", "1"],
        ["E2", "新客户的商机", "宁波新客户", "owner", "", "", "1"],
    ]
    report = do_import(company.manager, rows)
    (bad,) = report.bad_rows()
    assert (bad.line, bad.errors[0].code, bad.errors[0].value) == (
        3,
        "account_unknown",
        "宁波新客户",
    )
    report = do_import(company.manager, rows, options={"create_accounts": True})
    assert report.ok, report.lines("en")
    assert deal("E1").account == company.account
    created = Account.objects.get(name="宁波新客户")
    assert created.owner == company.owner  # owned by the deal's owner
    assert deal("E2").account == created


def test_a_deal_without_account_needs_a_default_account(company):
    rows = [["N1", "无客户", "", "owner", "", "", "1"]]
    report = do_import(company.manager, rows)
    (bad,) = report.bad_rows()
    assert bad.errors[0].column == "客户名称"
    assert "no account" in bad.errors[0].text("en")
    options = {"defaults": {"account": "待分配客户"}, "create_accounts": True}
    report = do_import(company.manager, rows, options=options)
    assert report.ok, report.lines("en")
    placeholder = Account.objects.get(name="待分配客户")
    assert placeholder.owner == company.manager  # shared by many: the importing person's
    assert deal("N1").account == placeholder


def test_bad_rows_scattered_write_nothing_and_each_is_reported(company):
    rows = [row[:] for row in ROWS]
    rows.insert(1, ["B1", "", company.account.name, "owner", "1", "", "1"])  # line 3: no name
    rows.append(["B2", "坏金额", company.account.name, "owner", "很多", "", "1"])  # line 6
    rows.append(["B3", "坏日期", company.account.name, "nobody", "1", "2026-13-45", "1"])  # 7
    before = state()
    report = do_import(company.manager, rows)
    assert state() == before
    assert not Account.objects.exclude(pk=company.account.pk).exists()
    bad = {(row.line, error.column) for row in report.bad_rows() for error in row.errors}
    assert bad == {(3, "商机名称"), (6, "金额（万元）"), (7, "负责人"), (7, "预计成交日期")}
    english = "\n".join(report.lines("en"))
    assert "line 6, column “金额（万元）”: “很多” is not a number." in english
    assert "refused 3" in english
    assert "不是数字" in "\n".join(report.lines("zh-hans"))


def test_a_rep_imports_only_within_their_scope(company):
    rows = [["S1", "越权", company.account.name, "outsider", "", "", "1"]]
    report = do_import(company.owner, rows)
    assert report.bad_rows()[0].errors[0].code == "owner_not_assignable"
    # the West rep may not put deals on the East account, nor touch East's deals
    report = do_import(
        company.outsider, [["S2", "别人的客户", company.account.name, "", "", "", "1"]]
    )
    assert report.bad_rows()[0].errors[0].code == "account_unknown"
    do_import(company.owner, ROWS[:1])
    changed = [["D1", "地铁线网指挥中心", company.account.name, "", "1", "", "1"]]
    report = do_import(company.outsider, changed)
    assert report.bad_rows()[0].errors[0].code == "account_unknown"
    # a West member of the account's team may edit the account, not the East rep's deal
    report = do_import(company.member, changed)
    assert report.bad_rows()[0].errors[0].code == "not_writable"
    assert deal("D1").amount == Decimal(3200000)


def test_a_crash_while_writing_leaves_the_database_unchanged(company, monkeypatch):
    before = state()
    real = deal_import.FastInserter.insert

    def crashing(self, rows):
        if self.model is DealEvent:
            raise RuntimeError("disk on fire")
        return real(self, rows)

    monkeypatch.setattr(deal_import.FastInserter, "insert", crashing)
    with pytest.raises(RuntimeError):
        do_import(company.manager, ROWS)
    assert state() == before
    assert not DealMember.objects.exclude(deal__account=company.account).exists()
    assert not ImportedKey.objects.filter(kind="deal").exists()


def test_deal_names_can_come_from_a_template(company):
    headers = ["opportunity_id", "account", "product"]
    ProductLine.objects.create(name="GTX Basic")
    rows = [["M1", company.account.name, "GTX Basic"]]
    columns = {"opportunity_id": "external_id", "account": "account", "product": "product_lines"}
    table = read_table(csv_bytes(rows, headers), "deals.csv")
    assert table.headers == headers
    report = do_import(
        company.owner,
        rows,
        headers=headers,
        columns=columns,
        options={"defaults": {"name": "{account} {product}"}},
    )
    assert report.ok, report.lines("en")
    assert deal("M1").name == f"{company.account.name} GTX Basic"
