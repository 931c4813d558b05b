"""Fixtures for the real-browser tests: Playwright (sync API) driving Debian's Chromium.

The tests are marked ``browser``; ``make test-browser`` runs them (``pytest -m browser``).
Without a Chromium at ``$CHROMIUM`` (default /usr/bin/chromium) they are skipped, except
on CI (``CI=true``), where a missing browser fails the run instead of passing it quietly.
"""

import importlib
import os
import re
from pathlib import Path

import pytest

from winroom.testing.factories import PASSWORD

# Playwright's sync API keeps an event loop in the test thread; Django would otherwise refuse
# every ORM call made from a test ("You cannot call this from an async context").
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
TIMEOUT_MS = 15_000
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


def _on_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() in {"1", "true", "yes", "on"}


def _unavailable(message: str):
    """Skip locally; fail on CI so a runner without a browser cannot pass silently."""
    if _on_ci():
        pytest.fail(f"{message} (CI is set: browser tests must run)", pytrace=False)
    pytest.skip(message)


@pytest.fixture(scope="session")
def browser():
    if not (os.path.isfile(CHROMIUM) and os.access(CHROMIUM, os.X_OK)):
        _unavailable(f"no Chromium at {CHROMIUM} (set $CHROMIUM or apt-get install chromium)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:  # pragma: no cover - playwright is a dev dependency
        _unavailable("the playwright package is not installed (pip install -e '.[dev]')")
    playwright = sync_playwright().start()
    try:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
    except Exception:
        playwright.stop()
        raise
    yield browser
    browser.close()
    playwright.stop()


@pytest.fixture(autouse=True)
def fast_passwords(settings):
    """Users made by the factories log in through the form; a cheap hasher keeps that quick."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    setattr(item, f"report_{report.when}", report)
    return report


def _new_page(browser, live_server, **context_options):
    context = browser.new_context(
        base_url=live_server.url,
        # the people Winroom is for browse in Chinese; LocaleMiddleware honours this header
        locale="zh-CN",
        **context_options,
    )
    context.set_default_timeout(TIMEOUT_MS)
    context.set_default_navigation_timeout(TIMEOUT_MS)
    page = context.new_page()
    # what went wrong in the page, for the tests to assert on: script errors and
    # static files (ECharts, htmx, Bootstrap) that the live server did not deliver
    page.js_errors = []
    page.static_failures = []
    page.on("pageerror", lambda error: page.js_errors.append(str(error)))

    def on_response(response):
        if "/static/" in response.url and response.status >= 400:
            page.static_failures.append(f"{response.status} {response.url}")

    page.on("response", on_response)
    page.on(
        "requestfailed",
        lambda req: (
            page.static_failures.append(f"{req.failure} {req.url}")
            if "/static/" in req.url
            else None
        ),
    )
    return context, page


def _save_screenshot(request, page):
    report = getattr(request.node, "report_call", None)
    if report is None or not report.failed:
        return
    try:
        ARTIFACTS.mkdir(exist_ok=True)
        name = re.sub(r"[^\w.-]+", "_", request.node.nodeid)
        page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)
    except Exception:  # a screenshot is a courtesy; never mask the real failure
        pass


@pytest.fixture
def page(browser, live_server, transactional_db, request):
    """A fresh browser context (no cookies) and page, pointed at the live server."""
    context, page = _new_page(browser, live_server)
    yield page
    _save_screenshot(request, page)
    context.close()


@pytest.fixture
def phone_page(browser, live_server, transactional_db, request):
    """Like ``page``, in a phone-sized viewport (iPhone 12–15 class)."""
    context, page = _new_page(
        browser,
        live_server,
        viewport={"width": 390, "height": 844},
        device_scale_factor=3,
        is_mobile=True,
        has_touch=True,
    )
    yield page
    _save_screenshot(request, page)
    context.close()


@pytest.fixture
def log_in():
    """``log_in(page, username)`` signs in through the login page and waits for the list."""

    def _log_in(page, username, password=PASSWORD):
        page.goto("/login/")
        page.locator("#id_username").fill(username)
        page.locator("#id_password").fill(password)
        page.locator("#id_password").press("Enter")
        # reps and managers land on Today, administrators on the accounts
        page.wait_for_url(re.compile(r"/(accounts|today)/$"))
        if not page.url.endswith("/accounts/"):
            page.goto("/accounts/")
        return page

    return _log_in


#: data migrations whose ``seed(apps, schema_editor)`` puts reference data in (idempotent)
SEEDING_MIGRATIONS = [
    "winroom.deals.migrations.0002_default_stages",
    "winroom.deals.migrations.0004_default_health_standards",
    "winroom.leads.migrations.0002_default_channels",
    "winroom.accounts.migrations.0004_seed_relationship_catalogue",
]


@pytest.fixture(autouse=True)
def reference_data(transactional_db):
    """Browser tests run on a live server with a transactional database, which flushes the
    reference data the data migrations seeded once a test before has run: put it back."""
    from django.apps import apps

    from winroom.accounts.models import LevelIndicator

    for module in SEEDING_MIGRATIONS:
        importlib.import_module(module).seed(apps, None)
    checklist = importlib.import_module("winroom.accounts.migrations.0007_seed_level_indicators")
    for code, name, order in checklist.DEFAULTS:
        LevelIndicator.objects.get_or_create(
            code=code, defaults={"name": name, "order": order, "active": True}
        )
