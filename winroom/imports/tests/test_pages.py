"""/import/: upload → mapping → dry-run report → confirm, and every refusal."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse

from winroom.accounts.models import Account
from winroom.imports.models import ImportJob, ImportMapping, JobStatus
from winroom.imports.urls import urlpatterns

pytestmark = pytest.mark.django_db

DATA = "客户名称,区域,负责人\r\n页面客户,杭州,owner\r\n".encode("utf-8-sig")


def upload(client, data=DATA, name="a.csv", kind="account", **extra):
    return client.post(
        reverse("imports:index"),
        {"kind": kind, "file": SimpleUploadedFile(name, data), **extra},
    )


def mapping_post(job, **extra):
    data = {"col_0": "name", "col_1": "region", "col_2": "owner", "save_as": ""}
    data.update(extra)
    return data


def test_upload_map_dry_run_confirm(company, login):
    client = login(company.manager)
    assert client.get(reverse("imports:index")).status_code == 200
    response = upload(client)
    job = ImportJob.objects.get()
    assert response.url == reverse("imports:mapping", args=[job.pk])
    page = client.get(response.url)
    assert page.status_code == 200
    assert page.context["form"]["col_0"].initial == "name"  # proposed from the header
    response = client.post(response.url, mapping_post(job, save_as="我的模板"))
    assert response.url == reverse("imports:report", args=[job.pk])
    job.refresh_from_db()
    assert (job.status, job.created) == (JobStatus.DRY_RUN, 1)
    assert not Account.objects.filter(name="页面客户").exists()
    saved = ImportMapping.objects.get(kind="account", name="我的模板")
    assert saved.columns == {"客户名称": "name", "区域": "region", "负责人": "owner"}
    page = client.get(response.url)
    assert page.context["can_confirm"]
    client.post(reverse("imports:confirm", args=[job.pk]))
    job.refresh_from_db()
    assert job.status == JobStatus.DONE
    assert Account.objects.get(name="页面客户").owner == company.owner


def test_report_lists_bad_rows_in_the_users_language(company, login):
    client = login(company.owner)
    upload(client, "客户名称,负责人\r\n甲,outsider\r\n".encode())
    job = ImportJob.objects.get()
    client.post(reverse("imports:mapping", args=[job.pk]), {"col_0": "name", "col_1": "owner"})
    page = client.get(reverse("imports:report", args=[job.pk]), HTTP_ACCEPT_LANGUAGE="en")
    assert not page.context["can_confirm"]
    (problem,) = page.context["problems"]
    assert (problem["line"], problem["column"], problem["value"]) == (2, "负责人", "outsider")
    # confirming a dry run with bad rows is refused and writes nothing
    client.post(reverse("imports:confirm", args=[job.pk]))
    job.refresh_from_db()
    assert job.status == JobStatus.DRY_RUN
    assert not Account.objects.filter(name="甲").exists()


def test_mapping_needs_a_name_column_and_no_double_targets(company, login):
    client = login(company.owner)
    upload(client)
    job = ImportJob.objects.get()
    url = reverse("imports:mapping", args=[job.pk])
    response = client.post(url, {"col_0": "region", "col_1": "region"})
    assert response.status_code == 200
    assert response.context["form"].errors
    job.refresh_from_db()
    assert job.report == {}


def test_unsafe_files_are_refused_at_upload(company, login):
    client = login(company.owner)
    response = upload(client, b"not a workbook", name="a.xlsx")
    assert response.status_code == 200
    assert response.context["form"].errors["file"]
    response = upload(client, b"x", name="a.xlsm")
    assert response.context["form"].errors["file"]
    with override_settings(WINROOM_IMPORT_MAX_BYTES=10):
        response = upload(client)
        assert response.context["form"].errors["file"]
    assert not ImportJob.objects.exists()


def test_login_required(client):
    response = client.get(reverse("imports:index"))
    assert response.status_code == 302 and "login" in response.url


def _snapshot(job):
    job.refresh_from_db()
    return (job.status, job.mapping, job.report, job.source, Account.objects.count())


def test_every_job_route_refuses_anyone_but_the_uploader(company, login):
    owner_client = login(company.owner)
    upload(owner_client)
    job = ImportJob.objects.get()
    owner_client.post(
        reverse("imports:mapping", args=[job.pk]), {"col_0": "name", "col_1": "region"}
    )
    before = _snapshot(job)
    client = login(company.manager)  # even their manager: a job is the uploader's own
    checked = set()
    for pattern in urlpatterns:
        name = pattern.name
        if name == "index":
            continue
        url = reverse(f"imports:{name}", args=[job.pk])
        if name in {"mapping", "report"}:
            assert client.get(url).status_code == 404, name
            assert client.post(url, {"col_0": "name"}).status_code == 404, name
        elif name == "confirm":
            assert client.post(url).status_code == 404, name
        else:  # a new route must be added here
            pytest.fail(f"unchecked route {name}")
        checked.add(name)
    assert checked == {"mapping", "report", "confirm"}
    assert _snapshot(job) == before
