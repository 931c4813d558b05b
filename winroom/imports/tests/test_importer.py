"""Importing accounts and contacts: dry run, all-or-nothing, idempotent, owner rules."""

import io

import openpyxl
import pytest

from winroom.accounts.models import Account, AccountMember, Contact, Industry
from winroom.imports import importer as importer_module
from winroom.imports.importer import Report, run_import, run_job
from winroom.imports.mapping import Mapping, propose_columns
from winroom.imports.models import ImportedKey, ImportJob, JobStatus
from winroom.imports.reading import read_table

pytestmark = pytest.mark.django_db

ACCOUNT_ROWS = [
    ["编号", "客户名称", "行业", "区域", "负责人", "网站"],
    ["A1", "杭州地铁集团", "交通与物流", "杭州", "owner", "https://hzmetro.example.cn"],
    ["A2", "宁波银行", "Finance and insurance", "宁波", "teammate", ""],
    ["A3", "苏州工业园区", "manufacturing", "苏州", "", "-"],
]


def csv_bytes(rows, encoding="utf-8-sig", delimiter=","):
    return "\r\n".join(delimiter.join(row) for row in rows).encode(encoding)


def xlsx(rows):
    book = openpyxl.Workbook()
    for row in rows:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def proposal(kind, data, name):
    table = read_table(data, name)
    return Mapping(columns=propose_columns(kind, table.headers, table.rows))


def do_import(user, data, name="a.csv", kind="account", dry_run=False, mapping=None):
    return run_import(
        kind=kind,
        data=data,
        filename=name,
        user=user,
        mapping=mapping or proposal(kind, data, name),
        dry_run=dry_run,
    )


def state():
    return sorted(
        Account.objects.values_list("name", "industry", "region", "owner__username", "website")
    )


def test_dry_run_reports_everything_and_writes_nothing(company):
    before = state()
    report = do_import(company.manager, csv_bytes(ACCOUNT_ROWS), dry_run=True)
    assert report.ok, report.lines("en")
    assert report.counts() == {"created": 3, "updated": 0, "unchanged": 0, "refused": 0}
    assert state() == before
    assert not ImportedKey.objects.exists()


def test_real_run_creates_with_owner_and_team(company):
    report = do_import(company.manager, csv_bytes(ACCOUNT_ROWS))
    assert report.counts()["created"] == 3
    metro = Account.objects.get(name="杭州地铁集团")
    assert metro.industry == Industry.TRANSPORT
    assert metro.owner == company.owner
    assert AccountMember.objects.filter(account=metro, user=company.owner).exists()
    assert Account.objects.get(name="宁波银行").industry == Industry.FINANCE
    suzhou = Account.objects.get(name="苏州工业园区")
    assert suzhou.owner == company.manager  # blank owner: the importing user
    assert suzhou.website == ""


def test_gb18030_bom_and_xlsx_of_the_same_data_import_alike(company):
    results = []
    for data, name in [
        (csv_bytes(ACCOUNT_ROWS, "gb18030"), "a.csv"),
        (csv_bytes(ACCOUNT_ROWS, "utf-8-sig", ";"), "a.csv"),
        (xlsx(ACCOUNT_ROWS), "a.xlsx"),
    ]:
        report = do_import(company.manager, data, name)
        assert report.ok, report.lines("en")
        results.append((report.counts()["created"], state()))
        Account.objects.exclude(pk=company.account.pk).delete()
        ImportedKey.objects.all().delete()
    assert results[0] == results[1] == results[2]
    assert results[0][0] == 3


def test_second_import_of_the_same_file_changes_nothing(company):
    data = csv_bytes(ACCOUNT_ROWS)
    do_import(company.manager, data)
    before = state()
    report = do_import(company.manager, data)
    assert report.counts() == {"created": 0, "updated": 0, "unchanged": 3, "refused": 0}
    assert state() == before


def test_external_id_updates_a_renamed_record(company):
    do_import(company.manager, csv_bytes(ACCOUNT_ROWS))
    renamed = [row[:] for row in ACCOUNT_ROWS]
    renamed[1][1] = "杭州市地铁集团有限公司"
    report = do_import(company.manager, csv_bytes(renamed))
    assert report.counts() == {"created": 0, "updated": 1, "unchanged": 2, "refused": 0}
    assert Account.objects.filter(name="杭州市地铁集团有限公司").exists()
    assert not Account.objects.filter(name="杭州地铁集团").exists()


BAD_ROWS = [
    ["编号", "客户名称", "行业", "负责人", "网站"],
    ["B1", "好客户一", "manufacturing", "", ""],
    ["B2", "好客户二", "银河系", "", ""],  # line 3: unknown industry
    ["B3", "好客户三", "", "nobody", ""],  # line 4: unknown owner
    ["B4", "", "", "", ""],  # line 5: no name
    ["B5", "好客户五", "", "", "not a url"],  # line 6: bad website
    ["B6", "好客户六", "", "", ""],
]


def test_bad_rows_scattered_write_nothing_and_each_is_reported(company):
    before = state()
    report = do_import(company.manager, csv_bytes(BAD_ROWS))
    assert state() == before
    assert not ImportedKey.objects.exists()
    assert not report.ok
    bad = {row.line: row.errors[0] for row in report.bad_rows()}
    assert sorted(bad) == [3, 4, 5, 6]
    assert (bad[3].column, bad[3].value, bad[3].code) == ("行业", "银河系", "choice")
    assert (bad[4].column, bad[4].code) == ("负责人", "owner_unknown")
    assert bad[5].column == "客户名称"
    assert bad[6].column == "网站"
    english = "\n".join(report.lines("en"))
    chinese = "\n".join(report.lines("zh-hans"))
    assert "line 3, column “行业”: “银河系” is not one of the choices" in english
    assert "refused 4" in english
    assert "URL" in english
    assert "合法的URL" in chinese  # Django's own message, kept in each language
    # the report survives JSON and renders again in either language
    again = Report.from_json(report.to_json())
    assert again.lines("en") == report.lines("en")


def test_owner_outside_the_users_scope_is_refused(company):
    rows = [["客户名称", "负责人"], ["西部客户", "outsider"]]
    report = do_import(company.owner, csv_bytes(rows))
    assert report.bad_rows()[0].errors[0].code == "owner_not_assignable"
    assert not Account.objects.filter(name="西部客户").exists()
    # a manager may assign to their team, an administrator to anyone
    assert not do_import(company.other_manager, csv_bytes(rows)).bad_rows()


def test_owner_by_email(company):
    company.teammate.email = "Mate@Example.cn"
    company.teammate.save()
    rows = [["客户名称", "负责人邮箱"], ["邮箱客户", "mate@example.CN"]]
    report = do_import(company.manager, csv_bytes(rows))
    assert report.ok, report.lines("en")
    assert Account.objects.get(name="邮箱客户").owner == company.teammate


def test_a_rep_cannot_update_another_teams_account(company):
    rows = [["客户名称", "区域"], [company.account.name, "西藏"]]
    report = do_import(company.outsider, csv_bytes(rows))
    assert report.bad_rows()[0].errors[0].code == "not_writable"
    company.account.refresh_from_db()
    assert company.account.region != "西藏"


def test_crash_mid_import_leaves_the_database_unchanged(company, monkeypatch):
    before = state()
    real_create = importer_module.actions.create_account
    calls = []

    def crashing(**kwargs):
        calls.append(1)
        if len(calls) == 2:
            raise RuntimeError("disk on fire")
        return real_create(**kwargs)

    monkeypatch.setattr(importer_module.actions, "create_account", crashing)
    with pytest.raises(RuntimeError):
        do_import(company.manager, csv_bytes(ACCOUNT_ROWS))
    assert state() == before
    assert not ImportedKey.objects.exists()


def test_run_job_dry_run_then_confirm_then_crash_marks_failed(company, monkeypatch):
    data = csv_bytes(ACCOUNT_ROWS)
    job = ImportJob.objects.create(
        created_by=company.manager,
        kind="account",
        filename="a.csv",
        content=data,
        mapping=proposal("account", data, "a.csv").to_json(),
    )
    job = run_job(job.pk)
    assert (job.status, job.created) == (JobStatus.DRY_RUN, 3)
    assert Account.objects.count() == 1
    job.status = JobStatus.CONFIRMED
    job.save()
    job = run_job(job.pk)
    assert (job.status, job.created, job.report["counts"]["created"]) == (JobStatus.DONE, 3, 3)
    assert Account.objects.count() == 4
    assert job.seconds is not None

    crashing = ImportJob.objects.create(
        created_by=company.manager,
        kind="account",
        filename="a.csv",
        content=csv_bytes([["客户名称"], ["新客户"]]),
        mapping={"columns": {"客户名称": "name"}},
        status=JobStatus.CONFIRMED,
    )

    def boom(**kwargs):
        raise RuntimeError("crash")

    monkeypatch.setattr(importer_module.actions, "create_account", boom)
    with pytest.raises(RuntimeError):
        run_job(crashing.pk)
    crashing.refresh_from_db()
    assert crashing.status == JobStatus.FAILED
    assert not Account.objects.filter(name="新客户").exists()


def test_file_refusal_is_reported_not_raised(company):
    report = do_import(company.manager, b"not a zip", "a.xlsx", mapping=Mapping())
    assert report.file_error.code == "not_xlsx"
    assert "not a valid .xlsx" in report.lines("en")[0]
    report = do_import(company.manager, csv_bytes([["x"], ["y"]]), mapping=Mapping())
    assert report.file_error.code == "no_name_column"


def test_value_mapping_and_in_wan_options_apply(company):
    mapping = Mapping(
        columns={"客户名称": "name", "行业": "industry"},
        values={"industry": {"轨交": "transport"}},
    )
    report = do_import(
        company.manager, csv_bytes([["客户名称", "行业"], ["轨交客户", "轨 交"]]), mapping=mapping
    )
    assert report.ok, report.lines("en")
    assert Account.objects.get(name="轨交客户").industry == "transport"


# ---------------------------------------------------------------- contacts

CONTACT_ROWS = [
    ["联系人编号", "姓名", "客户名称", "职务", "手机", "邮箱", "上级", "关键人", "首次接触日期"],
    [
        "C1",
        "李明",
        "上海申通地铁集团有限公司",
        "信息中心副主任",
        "13800138000",
        "LM@x.cn",
        "C2",
        "是",
        "2026/3/1",
    ],
    ["C2", "张华", "上海申通地铁集团有限公司", "总经理", "", "", "", "否", ""],
    ["C3", "赵强", "上海申通地铁集团有限公司", "工程师", "", "", "李明", "", "2026年3月2日"],
]


def contact_mapping():
    columns = {
        "联系人编号": "external_id",
        "姓名": "name",
        "客户名称": "account",
        "职务": "title",
        "手机": "phone",
        "邮箱": "email",
        "上级": "reports_to",
        "关键人": "marked_key",
        "首次接触日期": "first_contact_on",
    }
    return Mapping(columns=columns)


def contacts_state():
    return sorted(
        Contact.objects.values_list(
            "name", "title", "phone", "email", "reports_to__name", "marked_key", "first_contact_on"
        )
    )


def test_contacts_import_with_reports_to_later_in_the_file(company):
    report = do_import(
        company.owner, csv_bytes(CONTACT_ROWS), kind="contact", mapping=contact_mapping()
    )
    assert report.ok, report.lines("en")
    assert report.counts()["created"] == 3, report.to_json()
    li = Contact.objects.get(name="李明")
    assert li.reports_to.name == "张华"
    assert li.phone == "+86 138 0013 8000"
    assert li.email == "lm@x.cn"
    assert li.marked_key is True
    assert str(li.first_contact_on) == "2026-03-01"
    assert Contact.objects.get(name="赵强").reports_to == li
    before = contacts_state()
    again = do_import(
        company.owner, csv_bytes(CONTACT_ROWS), kind="contact", mapping=contact_mapping()
    )
    assert again.counts() == {"created": 0, "updated": 0, "unchanged": 3, "refused": 0}
    assert contacts_state() == before


def test_contact_cycle_is_refused_and_nothing_written(company):
    rows = [row[:] for row in CONTACT_ROWS]
    rows[2][6] = "C3"  # 张华 → 赵强 → 李明 → 张华
    before = contacts_state()
    report = do_import(company.owner, csv_bytes(rows), kind="contact", mapping=contact_mapping())
    assert not report.ok
    assert contacts_state() == before
    (bad,) = report.bad_rows()
    assert bad.errors[0].column == "上级"
    # the model formats this message when raised: it reads in the language then active
    assert "循环" in bad.errors[0].text("zh-hans")


def test_contacts_at_an_account_the_user_cannot_edit_are_refused(company):
    report = do_import(
        company.outsider, csv_bytes(CONTACT_ROWS), kind="contact", mapping=contact_mapping()
    )
    assert {row.errors[0].code for row in report.bad_rows()} == {"account_unknown"}
    assert report.counts()["refused"] == 3
    assert Contact.objects.count() == 1


def test_contact_bad_phone_and_unknown_boss(company):
    rows = [row[:] for row in CONTACT_ROWS]
    rows[1][4] = "12345"
    rows[3][6] = "无名氏"
    report = do_import(company.owner, csv_bytes(rows), kind="contact", mapping=contact_mapping())
    errors = {(row.line, e.column): e for row in report.bad_rows() for e in row.errors}
    assert set(errors) == {(2, "手机"), (4, "上级")}
    assert errors[(4, "上级")].code == "reports_to_unknown"
    assert "phone" in errors[(2, "手机")].text("en")
    assert Contact.objects.count() == 1


def test_the_same_record_twice_in_a_file_is_refused(company):
    rows = [["客户名称", "区域"], ["重复客户", "杭州"], ["重复 客户", "宁波"]]
    rows[2][0] = "重复客户"
    report = do_import(company.manager, csv_bytes(rows))
    (bad,) = report.bad_rows()
    assert (bad.line, bad.errors[0].code, bad.errors[0].params) == (
        3,
        "duplicate_in_file",
        {"line": 2},
    )
    assert "line 2" in bad.errors[0].text("en")
    assert not Account.objects.filter(name="重复客户").exists()
