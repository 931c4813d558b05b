"""Large imports as background jobs (huey, run at once in tests) and their progress."""

import pytest
from django.core.cache import caches
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from huey.contrib.djhuey import HUEY

from winroom.accounts import actions
from winroom.accounts.models import Account
from winroom.imports import jobs
from winroom.imports.importer import run_import
from winroom.imports.mapping import Mapping
from winroom.imports.models import ImportedKey, ImportJob, JobStatus, TaskState
from winroom.imports.tasks import run_import_job

pytestmark = pytest.mark.django_db

MAPPING = Mapping(columns={"编号": "external_id", "客户名称": "name", "区域": "region"})


def accounts_csv(count: int) -> bytes:
    lines = ["编号,客户名称,区域"] + [f"K{n},批量客户{n:05d},杭州" for n in range(1, count + 1)]
    return "\r\n".join(lines).encode("utf-8-sig")


def state():
    return (
        sorted(Account.all_objects.values_list("name", "region", "owner_id")),
        ImportedKey.objects.count(),
    )


@pytest.fixture
def background(settings):
    """Every file is "large": its steps go through the task queue."""
    settings.WINROOM_IMPORT_BACKGROUND_ROWS = 2
    return settings


def queued_job(user, count=5, dry_run=True) -> ImportJob:
    return ImportJob.objects.create(
        created_by=user,
        kind="account",
        filename="big.csv",
        content=accounts_csv(count),
        mapping=MAPPING.to_json(),
        status=JobStatus.DRY_RUN if dry_run else JobStatus.CONFIRMED,
    )


def test_tests_run_tasks_at_once():
    assert HUEY.immediate  # settings.TASKS_IMMEDIATE under pytest: no consumer needed


def test_large_file_goes_through_the_queue_with_a_polling_report(
    company, login, background, django_capture_on_commit_callbacks
):
    client = login(company.manager)
    client.post(
        reverse("imports:index"),
        {"kind": "account", "file": SimpleUploadedFile("big.csv", accounts_csv(5))},
    )
    job = ImportJob.objects.get()
    mapping = {"col_0": "external_id", "col_1": "name", "col_2": "region"}
    with django_capture_on_commit_callbacks(execute=False) as queued:
        client.post(reverse("imports:mapping", args=[job.pk]), mapping)
    job.refresh_from_db()
    assert (job.status, job.task_state, job.report) == (JobStatus.DRY_RUN, TaskState.QUEUED, {})
    report_url = reverse("imports:report", args=[job.pk])
    page = client.get(report_url)
    assert page.context["progress"] == {"phase": "queued", "done": 0, "total": 5, "percent": 0}
    assert not page.context["can_confirm"]
    html = page.content.decode()
    assert 'hx-trigger="every 2s"' in html and f'hx-get="{report_url}"' in html
    poll = client.get(report_url, HTTP_HX_REQUEST="true")
    assert 'data-testid="import-progress"' in poll.content.decode()
    assert "<html" not in poll.content.decode()
    # a queued job is not run twice, nor confirmed, nor re-mapped
    assert client.post(reverse("imports:confirm", args=[job.pk])).status_code == 302
    assert client.get(reverse("imports:mapping", args=[job.pk])).status_code == 302

    for callback in queued:  # the task is handed to huey once the request has committed
        callback()
    job.refresh_from_db()
    assert (job.status, job.task_state, job.created) == (JobStatus.DRY_RUN, "", 5)
    assert not Account.objects.filter(name__startswith="批量客户").exists()
    poll = client.get(report_url, HTTP_HX_REQUEST="true")
    assert poll.headers["HX-Refresh"] == "true"  # done: the page reloads with the report
    assert client.get(report_url).context["can_confirm"]

    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("imports:confirm", args=[job.pk]))
    job.refresh_from_db()
    assert (job.status, job.task_state, job.created) == (JobStatus.DONE, "", 5)
    assert Account.objects.filter(name__startswith="批量客户").count() == 5


def test_small_files_still_run_within_the_request(company, login):
    client = login(company.manager)
    client.post(
        reverse("imports:index"),
        {"kind": "account", "file": SimpleUploadedFile("small.csv", accounts_csv(3))},
    )
    job = ImportJob.objects.get()
    client.post(
        reverse("imports:mapping", args=[job.pk]),
        {"col_0": "external_id", "col_1": "name", "col_2": "region"},
    )
    job.refresh_from_db()
    assert (job.task_state, job.created) == ("", 3)


def test_threshold_by_size_and_rows(settings):
    settings.WINROOM_IMPORT_BACKGROUND_ROWS = 10
    settings.WINROOM_IMPORT_BACKGROUND_BYTES = 1000
    assert not jobs.in_background(1000, 10)
    assert jobs.in_background(1001, 1)
    assert jobs.in_background(10, 11)


def test_the_row_loop_reports_its_progress(company):
    calls = []

    def progress(phase, done, total):
        calls.append((phase, done, total))

    data = accounts_csv(250)
    kwargs = {"kind": "account", "data": data, "filename": "a.csv", "user": company.manager}
    report = run_import(**kwargs, mapping=MAPPING, dry_run=True, progress=progress)
    assert report.ok and report.counts()["created"] == 250
    assert calls == [
        ("reading", 0, 0),
        ("checking", 0, 250),
        ("checking", 100, 250),
        ("checking", 200, 250),
        ("checking", 250, 250),
    ]
    calls.clear()
    run_import(**kwargs, mapping=MAPPING, dry_run=False, progress=progress)
    assert [c for c in calls if c[0] == "writing"][-1] == ("writing", 250, 250)
    assert Account.objects.count() == 250 + 1  # the company's own account


def test_progress_is_visible_while_the_task_runs(company, monkeypatch):
    monkeypatch.setattr(jobs, "WRITE_SECONDS", 0)
    job = queued_job(company.manager, count=250, dry_run=False)
    seen = []
    create = actions.create_account

    def watching(**kwargs):
        if Account.objects.filter(name__startswith="批量客户").count() == 149:
            seen.append(jobs.progress_of(ImportJob.objects.defer("content").get(pk=job.pk)))
        return create(**kwargs)

    monkeypatch.setattr(actions, "create_account", watching)
    run_import_job(job.pk)
    assert seen == [{"phase": "writing", "done": 100, "total": 250, "percent": 40}]
    job.refresh_from_db()
    assert (job.status, job.task_state, job.created) == (JobStatus.DONE, "", 250)
    assert jobs.progress_of(job) is None  # done: the report says the rest
    last = caches["progress"].get(jobs._key(job))
    assert last == {"phase": "writing", "done": 250, "total": 250}


def test_a_crash_inside_the_task_fails_the_job_and_writes_nothing(company, monkeypatch):
    job = queued_job(company.manager, count=5, dry_run=False)
    before = state()
    create = actions.create_account
    calls = []

    def crashing(**kwargs):
        calls.append(1)
        if len(calls) == 3:
            raise RuntimeError("disk on fire")
        return create(**kwargs)

    monkeypatch.setattr(actions, "create_account", crashing)
    run_import_job(job.pk)  # huey logs the error; the job tells the user
    job.refresh_from_db()
    assert (job.status, job.task_state) == (JobStatus.FAILED, "")
    assert job.report["file_error"]["code"] == "crash"
    assert len(calls) == 3
    assert state() == before


def test_a_crash_in_a_step_run_within_the_request_is_reported_too(company, monkeypatch):
    job = queued_job(company.manager, count=2, dry_run=True)
    monkeypatch.setattr(actions, "create_account", lambda **kwargs: 1 / 0)
    assert jobs.start(job, rows=2) is False
    assert (job.status, job.task_state) == (JobStatus.FAILED, "")
    assert not Account.objects.filter(name__startswith="批量客户").exists()


def test_a_job_deleted_while_queued_is_skipped(company):
    job = queued_job(company.manager)
    pk = job.pk
    job.delete()
    run_import_job(pk)  # nothing to do, no error
    assert not ImportJob.objects.filter(pk=pk).exists()
