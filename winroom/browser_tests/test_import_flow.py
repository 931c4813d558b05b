"""The import pages in a real browser, on the real Maven CRM accounts file.

An administrator uploads ../shared/datasets/maven-crm-sales-opportunities/accounts.csv as
accounts, sees the proposed mapping, corrects it (the office's country is the region, the
head count is left out, their sectors are mapped onto our industries), saves it by name,
watches the dry run (as a background job: queued, its progress bar polling until done),
reads its report, confirms, and finds the accounts in the list.
"""

import re
import urllib.request
from pathlib import Path

import pytest
from playwright.sync_api import expect

import winroom
from winroom.accounts.models import Account
from winroom.imports import jobs, tasks
from winroom.imports.models import ImportJob, ImportMapping, JobStatus
from winroom.org.models import Role
from winroom.testing.factories import UserFactory

pytestmark = pytest.mark.browser

DATASETS = Path(winroom.__file__).resolve().parents[2] / "shared" / "datasets"
ACCOUNTS_CSV = DATASETS / "maven-crm-sales-opportunities" / "accounts.csv"
ROWS = 85  # accounts.csv: 85 companies (see the dataset's README)
SECTORS = """medical = healthcare
technolgy = other
software = other
marketing = other
entertainment = other
services = other
employment = other"""


@pytest.fixture
def accounts_csv():
    if not ACCOUNTS_CSV.is_file():
        pytest.skip("../shared/datasets is absent (a new clone has no shared folder)")
    return ACCOUNTS_CSV


@pytest.fixture
def queue(settings, monkeypatch):
    """Every file is "large", and the queue holds its tasks until the test runs them, as
    a consumer would, while the browser watches."""
    settings.WINROOM_IMPORT_BACKGROUND_ROWS = 10
    waiting = []
    monkeypatch.setattr(tasks, "run_import_job", waiting.append)
    return waiting


def run_queued(queue):
    while queue:
        jobs.execute(queue.pop(0))


def test_upload_correct_the_mapping_dry_run_and_confirm(
    page, live_server, log_in, accounts_csv, queue
):
    # the server's first request loads every URL module: on a busy machine that alone may
    # take longer than a page is given to load
    urllib.request.urlopen(f"{live_server.url}/login/", timeout=120).read()
    UserFactory(username="boss", role=Role.ADMIN, is_staff=True, is_superuser=True)
    log_in(page, "boss")
    page.goto("/import/")
    upload = page.get_by_test_id("import-upload")
    upload.locator("select[name=kind]").select_option("account")
    upload.locator("input[name=file]").set_input_files(str(accounts_csv))
    page.get_by_test_id("upload").click()

    # the proposal: by header names, the company is the name, the sector the industry …
    page.wait_for_url(re.compile(r"/import/\d+/mapping/$"))
    form = page.get_by_test_id("import-mapping")
    expect(form).to_contain_text("office_location")
    expect(page.get_by_test_id("map-0")).to_have_value("name")
    expect(page.get_by_test_id("map-1")).to_have_value("industry")
    expect(page.get_by_test_id("map-5")).to_have_value("")  # office_location: nothing yet
    # … which the user corrects: the office's country is the region, the head count is
    # not a size band, and their sectors are mapped onto ours
    page.get_by_test_id("map-5").select_option("region")
    page.get_by_test_id("map-4").select_option("")
    form.locator("textarea[name=values_industry]").fill(SECTORS)
    form.locator("input[name=save_as]").fill("Maven 客户表")
    page.get_by_test_id("dry-run").click()

    # the dry run waits in the queue: the report page says so and polls
    page.wait_for_url(re.compile(r"/import/\d+/$"))
    expect(page.get_by_test_id("import-progress")).to_be_visible()
    expect(page.get_by_test_id("task-state")).to_be_visible()
    run_queued(queue)  # the consumer takes it; the page reloads by itself when it is done
    expect(page.get_by_test_id("import-progress")).to_have_count(0, timeout=10_000)
    counts = page.get_by_test_id("counts")
    expect(counts).to_contain_text(str(ROWS))
    expect(page.get_by_test_id("problems")).to_have_count(0)
    assert not Account.objects.filter(name="Acme Corporation").exists()  # a dry run

    saved = ImportMapping.objects.get(kind="account", name="Maven 客户表")
    assert saved.columns["office_location"] == "region"
    assert "employees" not in saved.columns
    assert saved.values["industry"]["medical"] == "healthcare"

    page.get_by_test_id("confirm").click()
    expect(page.get_by_test_id("import-progress")).to_be_visible()
    run_queued(queue)
    expect(page.get_by_test_id("import-progress")).to_have_count(0, timeout=10_000)
    expect(page.get_by_test_id("confirm")).to_have_count(0)
    job = ImportJob.objects.get()
    assert (job.status, job.created, job.refused) == (JobStatus.DONE, ROWS, 0)
    expect(page.get_by_test_id("job-status")).to_have_text(job.get_status_display())

    acme = Account.objects.get(name="Acme Corporation")
    assert (acme.region, acme.industry) == ("United States", "other")
    assert Account.objects.get(name="Betasoloin").industry == "healthcare"
    page.goto("/accounts/")
    expect(page.get_by_text("Acme Corporation").first).to_be_visible()
    assert not page.js_errors, page.js_errors
    assert not page.static_failures, page.static_failures
