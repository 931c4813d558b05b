"""/api/v1/imports/: upload and dry-run, read, confirm — and every refusal."""

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from drf_spectacular.validation import validate_schema
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from winroom.accounts.models import Account
from winroom.imports.models import ImportJob, ImportMapping, JobStatus, TaskState
from winroom.testing.factories import AccountFactory

pytestmark = pytest.mark.django_db

URL = "/api/v1/imports/"
DATA = "客户名称,区域,负责人\r\n接口客户甲,杭州,owner\r\n接口客户乙,宁波,teammate\r\n".encode(
    "utf-8-sig"
)


@pytest.fixture
def api(company):
    def make(user):
        user.language = "en"
        user.save(update_fields=["language"])
        client = APIClient()
        token, _created = Token.objects.get_or_create(user=user)
        client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
        return client

    return make


def upload(client, data=DATA, name="a.csv", kind="account", **extra):
    return client.post(
        URL, {"kind": kind, "file": SimpleUploadedFile(name, data), **extra}, format="multipart"
    )


def imported():
    return sorted(
        Account.objects.filter(name__startswith="接口客户").values_list("name", flat=True)
    )


def test_upload_dry_run_then_confirm(company, api):
    client = api(company.manager)
    response = upload(client)
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["status"], body["task_state"], body["progress"]) == ("dry_run", "", None)
    assert body["mapping"]["columns"] == {"客户名称": "name", "区域": "region", "负责人": "owner"}
    report = body["report"]
    assert report["ok"] and report["dry_run"]
    assert report["counts"] == {"created": 2, "updated": 0, "unchanged": 0, "refused": 0}
    assert "rows" not in report  # each row's outcome on request only
    assert imported() == []  # a dry run writes nothing

    detail = client.get(f"{URL}{body['id']}/", {"rows": "1"})
    assert detail.status_code == 200
    assert detail.json()["created"] == 2
    rows = detail.json()["report"]["rows"]
    assert [(r["line"], r["action"], r["label"]) for r in rows] == [
        (2, "created", "接口客户甲"),
        (3, "created", "接口客户乙"),
    ]

    confirmed = client.post(f"{URL}{body['id']}/confirm/")
    assert confirmed.status_code == 200, confirmed.content
    assert confirmed.json()["status"] == "done"
    assert imported() == ["接口客户乙", "接口客户甲"]
    assert Account.objects.get(name="接口客户甲").owner == company.owner
    # only once
    again = client.post(f"{URL}{body['id']}/confirm/")
    assert again.status_code == 409
    assert Account.objects.filter(name="接口客户甲").count() == 1


def test_saved_mapping_by_name_and_mapping_as_json(company, api):
    client = api(company.manager)
    ImportMapping.objects.create(
        kind="account", name="our sheet", columns={"客户名称": "name", "区域": "region"}
    )
    body = upload(client, mapping="our sheet").json()
    assert body["source"] == "our sheet"
    assert body["mapping"]["columns"] == {"客户名称": "name", "区域": "region"}
    given = {"columns": {"客户名称": "name", "区域": "description"}}
    response = upload(client, mapping_json=json.dumps(given), source="erp")
    assert response.status_code == 201, response.content
    assert response.json()["mapping"]["columns"] == given["columns"]
    assert response.json()["source"] == "erp"


@pytest.mark.parametrize(
    "extra, field",
    [
        ({"mapping": "no such mapping"}, "mapping"),
        ({"mapping_json": "{not json"}, "mapping_json"),
        ({"mapping_json": json.dumps({"columns": {"客户名称": "salary"}})}, "mapping_json"),
        (
            {"mapping_json": json.dumps({"columns": {"客户名称": "name", "区域": "name"}})},
            "mapping_json",
        ),
        ({"mapping_json": json.dumps(["name"])}, "mapping_json"),
        ({"kind": "planet"}, "kind"),
    ],
)
def test_bad_mappings_and_kinds_are_400(company, api, extra, field):
    client = api(company.manager)
    data = {"kind": "account", **extra}
    response = client.post(
        URL, {**data, "file": SimpleUploadedFile("a.csv", DATA)}, format="multipart"
    )
    assert response.status_code == 400
    assert field in response.json()
    assert not ImportJob.objects.exists()


def test_unsafe_or_too_big_files_are_400(company, api, settings):
    client = api(company.manager)
    assert "file" in upload(client, b"x", name="a.xlsm").json()
    assert "file" in upload(client, b"not a workbook", name="a.xlsx").json()
    settings.WINROOM_IMPORT_MAX_BYTES = 10
    response = upload(client)
    assert response.status_code == 400 and "file" in response.json()
    assert not ImportJob.objects.exists()


def test_a_rep_is_refused_another_teams_owner_row_by_row(company, api):
    client = api(company.owner)  # a rep of the East team
    data = "客户名称,负责人\r\n接口客户甲,owner\r\n接口客户乙,outsider\r\n".encode()
    body = upload(client, data).json()
    report = body["report"]
    assert not report["ok"]
    assert report["counts"]["refused"] == 1
    (problem,) = report["problems"]
    assert (problem["line"], problem["column"], problem["value"]) == (3, "负责人", "outsider")
    assert problem["reason"] == "You may not make “outsider” an owner."
    response = client.post(f"{URL}{body['id']}/confirm/")
    assert response.status_code == 409
    assert "refused" in response.json()["detail"]
    assert ImportJob.objects.get().status == JobStatus.DRY_RUN
    assert imported() == []


def test_a_rep_cannot_change_another_teams_account(company, api):
    AccountFactory(name="接口客户丙", owner=company.outsider, region="成都")
    client = api(company.owner)
    body = upload(client, "客户名称,区域\r\n接口客户丙,杭州\r\n".encode()).json()
    (problem,) = body["report"]["problems"]
    assert problem["reason"] == "You may not edit this existing record."
    assert client.post(f"{URL}{body['id']}/confirm/").status_code == 409
    assert Account.objects.get(name="接口客户丙").region == "成都"


def test_only_the_uploader_sees_or_confirms_a_job(company, api):
    body = upload(api(company.owner)).json()
    url = f"{URL}{body['id']}/"
    for other in (company.teammate, company.manager, company.admin):
        client = api(other)
        assert client.get(url).status_code == 404
        assert client.post(f"{url}confirm/").status_code == 404
    assert ImportJob.objects.get().status == JobStatus.DRY_RUN
    assert imported() == []
    anonymous = APIClient()
    assert anonymous.get(url).status_code == 401
    assert anonymous.post(URL, {"kind": "account"}).status_code == 401
    assert anonymous.post(f"{url}confirm/").status_code == 401


@pytest.mark.parametrize("junk", ["abc", "0", "-1", str(10**30), "1.5"])
def test_bad_ids_are_404(company, api, junk):
    client = api(company.owner)
    assert client.get(f"{URL}{junk}/").status_code == 404
    assert client.post(f"{URL}{junk}/confirm/").status_code == 404


def test_no_list_of_jobs(company, api):
    assert api(company.owner).get(URL).status_code == 405


def test_a_large_file_is_queued(company, api, settings, django_capture_on_commit_callbacks):
    settings.WINROOM_IMPORT_BACKGROUND_ROWS = 1
    client = api(company.manager)
    with django_capture_on_commit_callbacks(execute=False) as queued:
        response = upload(client)
    assert response.status_code == 202
    body = response.json()
    assert (body["task_state"], body["report"]) == (TaskState.QUEUED, None)
    assert body["progress"] == {"phase": "queued", "done": 0, "total": 2, "percent": 0}
    assert client.post(f"{URL}{body['id']}/confirm/").status_code == 409  # not run yet
    for callback in queued:
        callback()
    body = client.get(f"{URL}{body['id']}/").json()
    assert (body["task_state"], body["progress"], body["created"]) == ("", None, 2)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"{URL}{body['id']}/confirm/")
    assert response.status_code == 202
    assert client.get(f"{URL}{body['id']}/").json()["status"] == "done"
    assert len(imported()) == 2


def test_the_schema_describes_the_import_api(company, api):
    schema = api(company.owner).get("/api/v1/schema/", {"format": "json"}).json()
    validate_schema(schema)
    paths = schema["paths"]
    assert "multipart/form-data" in paths[URL]["post"]["requestBody"]["content"]
    assert "/api/v1/imports/{id}/" in paths
    assert "409" in paths["/api/v1/imports/{id}/confirm/"]["post"]["responses"]
