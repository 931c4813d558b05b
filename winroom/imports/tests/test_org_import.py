"""Importing product lines and sales people with their teams: administrators only."""

import pytest

from winroom.deals.models import Deal, ProductLine
from winroom.imports.importer import run_import
from winroom.imports.mapping import Mapping, propose_columns
from winroom.imports.models import ImportedKey
from winroom.org.models import Role, Team, User

pytestmark = pytest.mark.django_db

PEOPLE = """销售,经理,大区,邮箱
王芳,陈经理,华东,wangfang@example.cn
Mei-Mei Johns,陈经理,华东,
赵磊,林经理,华南,
"""


def do_import(user, kind, text, columns, *, dry_run=False, options=None):
    return run_import(
        kind=kind,
        data=text.encode(),
        filename=f"{kind}.csv",
        user=user,
        mapping=Mapping(columns=columns, options=options or {}),
        source="org test",
        dry_run=dry_run,
    )


def people(user, text=PEOPLE, **kwargs):
    columns = {"销售": "name", "经理": "manager", "大区": "region", "邮箱": "email"}
    return do_import(user, "user", text, columns, **kwargs)


def test_headers_are_proposed():
    assert propose_columns("user", ["sales_agent", "manager", "regional_office"], []) == {
        "sales_agent": "name",
        "manager": "manager",
        "regional_office": "region",
    }
    assert propose_columns("product", ["产品线", "编号"], []) == {
        "产品线": "name",
        "编号": "external_id",
    }


def test_people_teams_and_managers_are_created_once(company):
    dry = people(company.admin, dry_run=True)
    assert dry.ok, dry.lines("en")
    assert not User.objects.filter(display_name="王芳").exists()
    report = people(company.admin)
    assert report.counts() == {"created": 3, "updated": 0, "unchanged": 0, "refused": 0}
    wang = User.objects.get(display_name="王芳")
    assert (wang.username, wang.email, wang.role) == ("王芳", "wangfang@example.cn", Role.REP)
    assert not wang.has_usable_password() and wang.is_active
    assert User.objects.get(display_name="Mei-Mei Johns").username == "mei-mei.johns"
    chen = User.objects.get(display_name="陈经理")
    assert chen.role == Role.MANAGER and not chen.has_usable_password()
    team = wang.team
    assert (team.name, team.manager, team.parent.name, chen.team) == ("陈经理", chen, "华东", team)
    assert User.objects.get(display_name="赵磊").team.parent.name == "华南"
    assert Team.objects.filter(name__in=["华东", "华南", "陈经理", "林经理"]).count() == 4

    again = people(company.admin)
    assert again.counts() == {"created": 0, "updated": 0, "unchanged": 3, "refused": 0}
    assert User.objects.filter(display_name="陈经理").count() == 1


def test_managers_may_come_later_in_the_file_by_external_id(company):
    text = "Id,Name,ManagerId,Department\nU2,李娜,U1,华北销售部\nU1,张伟,,华北销售部\n"
    columns = {"Id": "external_id", "Name": "name", "ManagerId": "manager", "Department": "team"}
    report = do_import(company.admin, "user", text, columns)
    assert report.ok, report.lines("en")
    li, zhang = User.objects.get(display_name="李娜"), User.objects.get(display_name="张伟")
    assert (li.team.manager, zhang.role, zhang.team) == (zhang, Role.MANAGER, li.team)
    key = ImportedKey.objects.get(kind="user", source="org test", external_id="U2")
    assert key.object_id == li.pk
    assert User.objects.filter(display_name="U1").count() == 0


def test_only_administrators_import_people_or_product_lines(company):
    for user in (company.owner, company.manager, company.director):
        report = people(user)
        assert report.file_error is not None and not report.rows
        assert "Only administrators" in report.lines("en")[0]
        report = do_import(user, "product", "产品线\nGTX Pro\n", {"产品线": "name"})
        assert report.file_error is not None
    assert not User.objects.filter(display_name="王芳").exists()
    assert not ProductLine.objects.exists()


def test_product_lines_match_by_name_ignoring_spacing(company):
    columns = {"product": "name", "id": "external_id"}
    report = do_import(company.admin, "product", "product,id\nGTX Pro,P1\nMG Special,P2\n", columns)
    assert report.counts()["created"] == 2
    again = do_import(company.admin, "product", "product,id\nGTXPro,\nMG Special,P2\n", columns)
    assert again.counts() == {"created": 0, "updated": 0, "unchanged": 2, "refused": 0}
    renamed = do_import(company.admin, "product", "product,id\nGTX Pro 2,P1\n", columns)
    assert renamed.counts()["updated"] == 1
    assert sorted(ProductLine.objects.values_list("name", flat=True)) == ["GTX Pro 2", "MG Special"]
    dup = do_import(company.admin, "product", "product\nGTX X\nGTX  x\n", {"product": "name"})
    assert dup.bad_rows()[0].errors[0].code == "duplicate_in_file"


def test_imported_people_own_imported_deals_by_name(company):
    people(company.admin)
    text = "名称,客户,负责人\n新项目," + company.account.name + ",Mei-Mei Johns\n"
    columns = {"名称": "name", "客户": "account", "负责人": "owner"}
    report = do_import(company.admin, "deal", text, columns)
    assert report.ok, report.lines("en")
    assert Deal.objects.get(name="新项目").owner.username == "mei-mei.johns"
