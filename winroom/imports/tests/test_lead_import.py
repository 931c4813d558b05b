"""Importing leads: checked like the form, statuses from the file, idempotent, rights."""

from datetime import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from winroom.imports.importer import run_import
from winroom.imports.mapping import Mapping, propose_columns
from winroom.imports.models import ImportedKey
from winroom.leads.models import Lead, LeadChannel, LeadRoute, LeadStatus

pytestmark = pytest.mark.django_db

HEADER = [
    "线索编号",
    "公司名称",
    "联系人",
    "职务",
    "手机",
    "邮箱",
    "需求",
    "需求类型",
    "预计金额",
    "渠道",
    "线索状态",
    "拒绝原因",
    "负责人",
    "创建日期",
    "行业",
]
ROWS = [
    HEADER,
    ["L1", "杭州地铁集团", "李明", "信息中心主任", "13800138000", "LM@X.cn", "调度系统",
     "方案型", "35万", "展会", "跟进中", "", "teammate", "2025-11-03", "交通"],
    ["L2", "宁波银行", "", "", "", "", "", "", "", "官网咨询", "已驳回", "预算不足", "",
     "2025/12/1", "金融"],
    ["L3", "苏州工业园区", "赵强", "", "", "", "", "", "5000", "", "已转商机", "早先的备注",
     "", "", ""],
    ["L4", "温州小商品城", "", "", "", "", "", "", "", "", "已退回线索池", "", "", "", ""],
]  # fmt: skip


def csv_bytes(rows):
    return "\r\n".join(",".join(row) for row in rows).encode("utf-8-sig")


def mapping(**options):
    columns = propose_columns("lead", HEADER, [])
    columns.update({"线索编号": "external_id", "行业": "extra"})
    return Mapping(columns=columns, options=options)


def do_import(user, rows=ROWS, *, dry_run=False, mapping_=None, source="fair"):
    return run_import(
        kind="lead",
        data=csv_bytes(rows),
        filename="leads.csv",
        user=user,
        mapping=mapping_ or mapping(),
        source=source,
        dry_run=dry_run,
    )


def state():
    return sorted(
        Lead.all_objects.values_list(
            "company_name", "status", "owner__username", "notes", "rejection_reason", "version"
        )
    )


def test_chinese_headers_are_proposed():
    proposal = propose_columns("lead", HEADER, [])
    assert proposal == {
        "公司名称": "company_name",
        "联系人": "person_name",
        "职务": "title",
        "手机": "phone",
        "邮箱": "email",
        "需求": "need_description",
        "需求类型": "need_type",
        "预计金额": "expected_size",
        "渠道": "channel",
        "线索状态": "status",
        "拒绝原因": "rejection_reason",
        "负责人": "owner",
        "创建日期": "created_at",
    }


def test_import_checks_like_the_form_and_keeps_the_files_status(company):
    dry = do_import(company.manager, dry_run=True)
    assert dry.ok, dry.lines("en")
    assert not Lead.objects.exists()
    report = do_import(company.manager)
    assert report.ok, report.lines("en")
    assert report.counts() == {"created": 4, "updated": 0, "unchanged": 0, "refused": 0}

    working = Lead.objects.get(company_name="杭州地铁集团")
    assert working.status == LeadStatus.WORKING
    assert working.owner == company.teammate
    assert working.assigned_at is not None
    assert (working.phone, working.email) == ("+86 138 0013 8000", "lm@x.cn")
    assert working.expected_size == Decimal(350000)
    assert working.route == LeadRoute.KEY_ACCOUNT  # routed like any lead (solution, 35万)
    assert working.channel.name == "展会"
    assert working.notes == "行业: 交通"  # a column that fits no field
    assert timezone.localtime(working.created_at).replace(tzinfo=None) == datetime(2025, 11, 3)

    rejected = Lead.objects.get(company_name="宁波银行")
    assert (rejected.status, rejected.rejection_reason) == (LeadStatus.REJECTED, "预算不足")
    assert rejected.owner == company.manager  # a blank owner: the importing user
    qualified = Lead.objects.get(company_name="苏州工业园区")
    assert qualified.status == LeadStatus.QUALIFIED
    assert qualified.qualified_deal is None  # history: no opportunity is made up
    assert qualified.rejection_reason == ""
    assert qualified.notes == "拒绝原因: 早先的备注"
    assert qualified.route == LeadRoute.SELF_SERVICE
    pooled = Lead.objects.get(company_name="温州小商品城")
    assert (pooled.status, pooled.owner, pooled.in_pool) == (LeadStatus.RECYCLED, None, True)
    assert ImportedKey.objects.filter(kind="lead", source="fair").count() == 4
    for lead in Lead.objects.all():  # inserted in bulk: routed as Lead.save would
        decision = lead.routing()
        assert (lead.route, lead.route_reason) == (str(decision.route), decision.reason)
        assert lead.history.get().history_user == company.manager

    before = state()
    again = do_import(company.manager)
    assert again.counts() == {"created": 0, "updated": 0, "unchanged": 4, "refused": 0}
    assert state() == before


def test_an_update_changes_fields_but_not_the_owner_and_is_not_a_touch(company):
    do_import(company.manager)
    rows = [row[:] for row in ROWS]
    rows[1][6] = "调度系统与乘客信息系统"
    rows[1][12] = "owner"
    report = do_import(company.manager, rows)
    assert report.counts() == {"created": 0, "updated": 1, "unchanged": 3, "refused": 0}
    lead = Lead.objects.get(company_name="杭州地铁集团")
    assert lead.need_description == "调度系统与乘客信息系统"
    assert lead.owner == company.teammate  # held leads change hands by claim or recycle
    assert lead.last_touched_at is None


def test_without_external_ids_company_person_phone_and_email_match(company):
    rows = [row[1:] for row in ROWS]
    columns = {k: v for k, v in mapping().columns.items() if v != "external_id"}
    first = do_import(company.manager, rows, mapping_=Mapping(columns=columns))
    assert first.counts()["created"] == 4
    again = do_import(company.manager, rows, mapping_=Mapping(columns=columns))
    assert again.counts() == {"created": 0, "updated": 0, "unchanged": 4, "refused": 0}
    twice = [*rows, rows[1]]
    report = do_import(company.manager, twice, mapping_=Mapping(columns=columns))
    assert report.bad_rows()[0].errors[0].code == "duplicate_in_file"


def test_bad_rows_are_each_reported_in_both_languages_and_nothing_written(company):
    rows = [row[:] for row in ROWS]
    rows[1][4] = "12345"  # phone
    rows[2][11] = ""  # rejected without a reason
    rows[3][9] = "抖音"  # no such channel
    rows[4][1] = ""  # no company
    rows.append(["L5", "嘉兴电力", "", "", "", "not-an-email", "", "", "-5", "", "", "", "", "",
                 ""])  # fmt: skip
    report = do_import(company.manager, rows)
    assert not Lead.objects.exists()
    assert not LeadChannel.objects.filter(name="抖音").exists()
    problems = {(row.line, e.column) for row in report.bad_rows() for e in row.errors}
    assert problems == {
        (2, "手机"),
        (3, "拒绝原因"),
        (4, "渠道"),
        (5, "公司名称"),
        (6, "邮箱"),
        (6, "预计金额"),
    }
    english, chinese = "\n".join(report.lines("en")), "\n".join(report.lines("zh-hans"))
    assert "line 3, column “拒绝原因”: Say why the lead is rejected." in english
    assert "No lead channel “抖音”" in english
    assert "抖音" in chinese and "Say why" not in chinese


def test_channels_are_created_only_for_an_administrator_who_asks(company):
    rows = [[*HEADER[:2], "渠道"], ["L9", "嘉兴电力", "抖音"]]
    columns = {"线索编号": "external_id", "公司名称": "company_name", "渠道": "channel"}
    asking = Mapping(columns=columns, options={"create_channels": True})
    refused = do_import(company.manager, rows, mapping_=asking)
    assert not refused.ok
    report = do_import(company.admin, rows, mapping_=asking)
    assert report.ok, report.lines("en")
    assert Lead.objects.get().channel.name == "抖音"
    rows[1][2] = "抖 音"  # the same channel, spelt with a space
    assert do_import(company.admin, rows, mapping_=asking).counts()["unchanged"] == 1


def test_a_rep_cannot_assign_outside_scope_or_update_others_leads(company):
    rows = [row[:] for row in ROWS[:2]]
    report = do_import(company.owner, rows)  # the row names teammate as owner
    assert report.bad_rows()[0].errors[0].code == "owner_not_assignable"
    assert not Lead.objects.exists()

    do_import(company.manager, ROWS)
    before = state()
    changed = [row[:] for row in ROWS]
    for row in changed[1:]:
        row[6] = "改了需求"
        row[12] = ""
    report = do_import(company.outsider, changed)
    assert {e.code for row in report.bad_rows() for e in row.errors} >= {"not_writable"}
    assert report.counts()["refused"] == 4
    assert state() == before
    # the lead's holder may update it
    mine = do_import(company.teammate, [changed[0], changed[1]])
    assert mine.ok, mine.lines("en")


def test_defaults_fill_blank_cells_from_a_template(company):
    rows = [["编号", "状态"], ["660737", "0"], ["660738", "1"]]
    template = Mapping(
        columns={"编号": "external_id", "状态": "status"},
        values={"status": {"0": "rejected", "1": "qualified"}},
        options={
            "defaults": {
                "company_name": "X Education lead {编号}",
                "rejection_reason": "Not converted",
            }
        },
    )
    report = do_import(company.manager, rows, mapping_=template)
    assert report.ok, report.lines("en")
    assert sorted(Lead.objects.values_list("company_name", "status", "rejection_reason")) == [
        ("X Education lead 660737", "rejected", "Not converted"),
        ("X Education lead 660738", "qualified", ""),
    ]


def test_a_mapping_without_a_company_column_or_default_refuses_the_file(company):
    report = do_import(company.manager, mapping_=Mapping(columns={"联系人": "person_name"}))
    assert report.file_error is not None
    assert "Company" in report.lines("en")[0]


def test_the_mapping_form_asks_for_each_kinds_required_columns():
    from django.utils import translation

    from winroom.imports.forms import MappingForm

    headers = ["公司", "国家", "城市"]
    post = {"col_0": "", "col_1": "extra", "col_2": "extra"}
    with translation.override("en"):
        form = MappingForm(post, kind="lead", headers=headers, mapping=Mapping())
        assert not form.is_valid()
        assert "Choose which column holds “Company”." in form.non_field_errors()
        post["col_0"] = "company_name"
        form = MappingForm(post, kind="lead", headers=headers, mapping=Mapping())
        assert form.is_valid(), form.errors  # several columns may go to the notes
        assert form.mapping().columns == {"公司": "company_name", "国家": "extra", "城市": "extra"}

        activity = MappingForm(
            {"col_0": "account", "col_1": "subject"},
            kind="activity",
            headers=["客户", "主题"],
            mapping=Mapping(),
        )
        assert not activity.is_valid()
        assert "Date and time" in str(activity.non_field_errors())
        post["col_2"] = "company_name"
        form = MappingForm(post, kind="lead", headers=headers, mapping=Mapping())
        assert not form.is_valid()  # other fields still take one column each
