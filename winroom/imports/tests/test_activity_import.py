"""Importing activities: write rights, participants and deals of the account, idempotent."""

from datetime import UTC, datetime

import pytest
from django.utils import timezone

from winroom.activities.models import Activity, ActivityKind
from winroom.deals.actions import create_deal
from winroom.imports import activity_import
from winroom.imports.activity_import import parse_moment
from winroom.imports.importer import run_import
from winroom.imports.mapping import Mapping, propose_columns
from winroom.imports.models import ImportedKey
from winroom.imports.reading import ValueRefused, read_table
from winroom.testing.factories import ContactFactory

pytestmark = pytest.mark.django_db

HEADER = ["活动编号", "客户名称", "类型", "日期", "主题", "联系人", "商机", "关系动作", "备注"]


def rows(company):
    name = company.account.name
    return [
        HEADER,
        ["T1", name, "拜访", "2026-03-02 14:30", "信号系统需求调研", "王建国、李明", "", "", ""],
        [
            "T2",
            name,
            "call",
            "2026/3/5",
            "电话跟进",
            "李明",
            "信号系统改造",
            "phone_call",
            "约下周",
        ],
        ["T3", name, "", "2026年3月9日 9:05", "技术交流会", "", "", "技术交流", ""],
    ]


def csv_bytes(data):
    return "\r\n".join(",".join(row) for row in data).encode("utf-8-sig")


def mapping():
    table = read_table(csv_bytes([HEADER]), "a.csv")
    columns = propose_columns("activity", table.headers, [])
    columns["活动编号"] = "external_id"
    return Mapping(columns=columns, values={"kind": {"拜访": "visit"}})


def do_import(user, data, *, dry_run=False, mapping_=None):
    return run_import(
        kind="activity",
        data=data,
        filename="a.csv",
        user=user,
        mapping=mapping_ or mapping(),
        source="crm",
        dry_run=dry_run,
    )


@pytest.fixture
def setup(company):
    ContactFactory(account=company.account, name="李明")
    deal = create_deal(
        by=company.owner, data={"account": company.account, "name": "信号系统改造", "amount": 1}
    )
    return company, deal


def state():
    return sorted(
        (a.subject, a.kind, a.occurred_at, a.owner.username, a.deal_id, a.notes)
        for a in Activity.objects.select_related("owner")
    )


def test_headers_are_proposed():
    proposal = propose_columns("activity", HEADER, [])
    assert proposal == {
        "客户名称": "account",
        "类型": "kind",
        "日期": "occurred_at",
        "主题": "subject",
        "联系人": "participants",
        "商机": "deal",
        "关系动作": "relationship_actions",
        "备注": "notes",
    }


def test_dry_run_then_real_run_then_nothing_new(setup):
    company, deal = setup
    data = csv_bytes(rows(company))
    dry = do_import(company.owner, data, dry_run=True)
    assert dry.ok, dry.lines("en")
    assert dry.counts()["created"] == 3
    assert not Activity.objects.exists()

    report = do_import(company.owner, data)
    assert report.ok, report.lines("en")
    assert report.counts() == {"created": 3, "updated": 0, "unchanged": 0, "refused": 0}
    visit = Activity.objects.get(subject="信号系统需求调研")
    assert visit.kind == ActivityKind.VISIT
    assert timezone.localtime(visit.occurred_at).replace(tzinfo=None) == datetime(
        2026, 3, 2, 14, 30
    )
    assert sorted(visit.participants.values_list("name", flat=True)) == ["李明", "王建国"]
    assert visit.owner == company.owner
    call = Activity.objects.get(subject="电话跟进")
    assert (call.kind, call.deal, call.notes) == (ActivityKind.CALL, deal, "约下周")
    assert list(call.relationship_actions.values_list("code", flat=True)) == ["phone_call"]
    exchange = Activity.objects.get(subject="技术交流会")
    assert exchange.kind == ActivityKind.OTHER  # a blank kind
    assert list(exchange.relationship_actions.values_list("code", flat=True)) == [
        "technical_exchange"
    ]
    deal.refresh_from_db()
    assert deal.last_activity_at == call.occurred_at
    assert ImportedKey.objects.filter(kind="activity", source="crm").count() == 3

    before = state()
    again = do_import(company.owner, data)
    assert again.counts() == {"created": 0, "updated": 0, "unchanged": 3, "refused": 0}
    assert state() == before


def test_without_external_ids_the_same_interaction_is_matched(setup):
    company, _deal = setup
    data = csv_bytes([row[1:] for row in rows(company)])
    mapping_ = Mapping(
        columns={k: v for k, v in mapping().columns.items() if v != "external_id"},
        values={"kind": {"拜访": "visit"}},
    )
    assert do_import(company.owner, data, mapping_=mapping_).counts()["created"] == 3
    changed = [row[1:] for row in rows(company)]
    changed[1][7] = "带回需求清单"
    again = do_import(company.owner, csv_bytes(changed), mapping_=mapping_)
    assert again.counts() == {"created": 0, "updated": 1, "unchanged": 2, "refused": 0}
    assert Activity.objects.get(subject="信号系统需求调研").notes == "带回需求清单"


def test_a_rep_cannot_add_activities_to_an_account_they_may_not_write(setup):
    company, _deal = setup
    report = do_import(company.outsider, csv_bytes(rows(company)))
    assert not report.ok
    assert {e.code for row in report.bad_rows() for e in row.errors} == {"account_unknown"}
    assert report.counts()["refused"] == 3
    assert "No account" in report.lines("en")[1]
    assert not Activity.objects.exists()
    # the account's team member (West) may log on it, like the form, but not name a deal
    # they cannot see
    report = do_import(company.member, csv_bytes(rows(company)))
    assert [(row.line, row.errors[0].column) for row in report.bad_rows()] == [(3, "商机")]
    assert report.counts()["created"] == 2


def test_bad_rows_are_each_reported_and_nothing_is_written(setup):
    company, _deal = setup
    bad = rows(company)
    bad[1][5] = "王建国、张三"  # nobody called 张三 at the account
    bad[2][6] = "别的商机"
    bad[3][3] = "2026-13-45"
    bad.append(["T4", company.account.name, "visit", "2026-03-10", "", "", "", "", ""])
    bad.append(["T5", company.account.name, "visit", "2026-03-10", "送购物卡", "", "", "", ""])
    report = do_import(company.owner, csv_bytes(bad))
    assert not Activity.objects.exists()
    problems = {(row.line, e.column): e for row in report.bad_rows() for e in row.errors}
    # a red line matched in the text is the model's "notes" error
    assert set(problems) == {(2, "联系人"), (3, "商机"), (4, "日期"), (5, "主题"), (6, "备注")}
    assert problems[(2, "联系人")].value == "王建国、张三"
    assert "No contact “张三”" in problems[(2, "联系人")].text("en")
    assert "No opportunity “别的商机”" in problems[(3, "商机")].text("en")
    assert "别的商机" in problems[(3, "商机")].text("zh-hans")
    assert problems[(5, "主题")].code == "required"
    assert "红线" in problems[(6, "备注")].text("zh-hans")  # the red line's own text


def test_owner_is_checked_and_missing_columns_refuse_the_file(setup):
    company, _deal = setup
    data = [[*HEADER, "负责人"], rows(company)[1] + ["teammate"]]
    report = do_import(
        company.owner,
        csv_bytes(data),
        mapping_=Mapping(columns={**mapping().columns, "负责人": "owner"}),
    )
    assert report.bad_rows()[0].errors[0].code == "owner_not_assignable"
    report = do_import(
        company.manager,
        csv_bytes(data),
        mapping_=Mapping(
            columns={**mapping().columns, "负责人": "owner"}, values={"kind": {"拜访": "visit"}}
        ),
    )
    assert report.ok, report.lines("en")
    assert Activity.objects.get().owner == company.teammate

    no_date = Mapping(columns={k: v for k, v in mapping().columns.items() if v != "occurred_at"})
    report = do_import(company.owner, csv_bytes(rows(company)), mapping_=no_date)
    assert report.file_error is not None
    assert "Date and time" in report.lines("en")[0]


def test_a_crash_mid_import_writes_nothing(setup, monkeypatch):
    company, _deal = setup

    def crashing(contact_ids):
        raise RuntimeError("boom")

    monkeypatch.setattr(activity_import, "recompute_levels", crashing)
    with pytest.raises(RuntimeError):
        do_import(company.owner, csv_bytes(rows(company)))
    assert not Activity.objects.exists()
    assert not Activity.history.exists()
    assert not ImportedKey.objects.exists()


def test_the_history_holds_each_activity_with_its_people(setup, monkeypatch):
    company, _deal = setup
    recomputed = []
    real = activity_import.recompute_levels
    monkeypatch.setattr(
        activity_import, "recompute_levels", lambda ids: recomputed.append(set(ids)) or real(ids)
    )
    do_import(company.owner, csv_bytes(rows(company)))
    people = set(company.account.contacts.values_list("pk", flat=True))
    assert recomputed == [people]  # the levels of everyone who took part, once
    visit = Activity.objects.get(subject="信号系统需求调研")
    (record,) = visit.history.all()
    assert (record.history_type, record.history_user) == ("+", company.owner)
    assert sorted(p.contact.name for p in record.participants.all()) == ["李明", "王建国"]
    li = visit.participants.get(name="李明")
    assert li.activities.count() == 2  # counted for interaction levels


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("2026-03-02 14:30", datetime(2026, 3, 2, 14, 30)),
        ("2026/3/2", datetime(2026, 3, 2)),
        ("2026年3月2日 8:05:09", datetime(2026, 3, 2, 8, 5, 9)),
        (datetime(2026, 3, 2, 7, 0), datetime(2026, 3, 2, 7, 0)),
        (46083.5, datetime(2026, 3, 2, 12, 0)),
    ],
)
def test_moments(raw, expected, settings):
    assert timezone.localtime(parse_moment(raw)).replace(tzinfo=None) == expected


def test_moments_with_an_offset_and_refusals():
    assert parse_moment("2026-03-02T06:30:00Z") == datetime(2026, 3, 2, 6, 30, tzinfo=UTC)
    assert parse_moment("3/2/2026 10:00", month_first=True).day == 2
    for bad in ("2026-03-02 25:00", "next tuesday", "3/2/2026"):
        with pytest.raises(ValueRefused):
            parse_moment(bad)
