"""Every list exports itself as .xlsx and .csv: the page's rows, filters and sort, without
pagination; only what the viewer reads; a fixed number of queries whatever the rows."""

from datetime import datetime

import pytest
from django.contrib.messages import get_messages
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from winroom.accounts.models import Account
from winroom.attributes.models import AttributeDefinition
from winroom.deals.models import Deal
from winroom.exports import spreadsheet
from winroom.exports.spreadsheet import CSV_TYPE, XLSX_TYPE
from winroom.testing.factories import AccountFactory, ContactFactory

from .conftest import LISTS, SPARK, content, identities, make_rows, rows_of, xlsx_sheet

pytestmark = pytest.mark.django_db

FORMATS = {"xlsx": XLSX_TYPE, "csv": CSV_TYPE}
FILE_STEMS = {
    "deals": "deals",
    "accounts": "accounts",
    "contacts": "contacts",
    "activities": "activities",
    "leads": "leads",
    "visits": "visits",
    "plans": "account-plans",
    "portfolio": "account-portfolio",
}


def export(client, name, fmt, **query):
    return client.get(reverse(LISTS[name]), {**query, "format": fmt})


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("name", LISTS)
def test_every_list_exports_both_formats(world, client, name, fmt):
    client.force_login(world.company.owner)
    response = export(client, name, fmt)
    assert response.status_code == 200
    assert response["Content-Type"] == FORMATS[fmt]
    stamp = timezone.localdate().isoformat()
    assert response["Content-Disposition"] == (
        f'attachment; filename="{FILE_STEMS[name]}-{stamp}.{fmt}"'
    )
    rows = rows_of(response, fmt)
    assert len({len(row) for row in rows}) == 1, "every row has the header's columns"
    assert identities(name, rows) == world.mine[name]


@pytest.mark.parametrize("name", LISTS)
def test_a_rep_exports_only_rows_they_may_read(world, client, name):
    client.force_login(world.company.outsider)
    for fmt in FORMATS:
        shown = identities(name, rows_of(export(client, name, fmt), fmt))
        assert shown == world.theirs[name], fmt
        assert not shown & world.mine[name], fmt


@pytest.mark.parametrize("name", ["deals", "accounts", "contacts", "activities", "leads"])
def test_a_teammate_does_not_export_the_owners_rows(world, client, name):
    client.force_login(world.company.teammate)  # same team, not on the account
    for fmt in FORMATS:
        assert not identities(name, rows_of(export(client, name, fmt), fmt)) & world.mine[name]


@pytest.mark.parametrize("name", LISTS)
def test_anonymous_and_deactivated_people_are_sent_to_log_in(world, client, name):
    for user in (None, world.company.deactivated):
        if user is not None:
            client.force_login(user)
        for fmt in FORMATS:
            response = export(client, name, fmt)
            assert response.status_code == 302
            assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("name", LISTS)
def test_the_filters_of_the_page_apply(world, client, name):
    client.force_login(world.company.owner)
    for fmt in FORMATS:
        rows = rows_of(export(client, name, fmt, q=SPARK), fmt)
        assert identities(name, rows) == {world.spark_row[name]}, fmt


def test_the_sort_of_the_page_applies(world, client):
    client.force_login(world.company.owner)
    for sort in ("name", "-name"):
        page = client.get(reverse("deals:list"), {"sort": sort}).context["page"]
        rows = rows_of(export(client, "deals", "csv", sort=sort), "csv")
        assert [int(r[0]) for r in rows[1:]] == [d.pk for d in page]


def test_pagination_is_not_applied(world, client):
    client.force_login(world.company.owner)
    response = client.get(reverse("deals:list"), {"page": 2, "format": "csv"})
    assert identities("deals", rows_of(response, "csv")) == world.mine["deals"]


def _count_queries(client, url):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
        assert response.status_code == 200
        content(response)
    return len(ctx.captured_queries)


@pytest.mark.parametrize("name", LISTS)
def test_query_count_does_not_grow_with_rows(world, client, name):
    company = world.company
    client.force_login(company.owner)
    url = reverse(LISTS[name]) + "?format=xlsx"
    client.get(url)  # warm the caches (settings, stages)
    few = _count_queries(client, url)
    for n in range(4):
        account = AccountFactory(owner=company.owner, name=f"追加客户{n}")
        make_rows(company.owner, account, ContactFactory(account=account), tag=f"追加{n}")
    many = _count_queries(client, url)
    assert many == few, f"{few} queries for 2 rows, {many} for 6"


def test_a_list_longer_than_the_cap_is_refused_with_a_message(world, client, settings):
    settings.WINROOM_EXPORT_MAX_ROWS = 1
    company = world.company
    company.owner.language = "en"
    company.owner.save()
    client.force_login(company.owner)
    response = export(client, "deals", "xlsx", status="open")
    assert response.status_code == 302
    assert response["Location"] == reverse("deals:list") + "?status=open"
    (message,) = [str(m) for m in get_messages(response.wsgi_request)]
    assert "2 rows" in message and "at most 1" in message and "Narrow the filters" in message
    settings.WINROOM_EXPORT_MAX_ROWS = 2
    assert export(client, "deals", "xlsx", status="open").status_code == 200


@pytest.mark.parametrize("fmt", FORMATS)
def test_long_lists_stream_chunk_by_chunk(world, client, monkeypatch, fmt):
    client.force_login(world.company.owner)
    whole = rows_of(export(client, "contacts", fmt), fmt)
    monkeypatch.setattr(spreadsheet, "CHUNK", 1)
    response = export(client, "contacts", fmt)
    assert response.streaming
    assert rows_of(response, fmt) == whole


def test_every_list_page_links_to_its_exports_with_its_filters(world, client):
    client.force_login(world.company.owner)
    for url_name in LISTS.values():
        page = client.get(reverse(url_name), {"q": "x", "page": 1}).content.decode()
        assert 'href="?q=x&amp;format=xlsx"' in page, url_name
        assert 'href="?q=x&amp;format=csv"' in page, url_name


def test_xlsx_cells_are_typed_and_the_header_is_framed(world, client):
    company = world.company
    company.owner.language = "en"
    company.owner.save()
    client.force_login(company.owner)
    sheet = xlsx_sheet(export(client, "deals", "xlsx", q=SPARK))
    rows = [list(r) for r in sheet.iter_rows()]
    header = [c.value for c in rows[0]]
    row = dict(zip(header, rows[1], strict=True))
    assert header[:3] == ["ID", "name", "account"]
    assert all(c.font.b for c in rows[0])
    assert sheet.freeze_panes == "A2"
    assert row["amount (CNY)"].data_type == "n" and row["amount (CNY)"].value == 3200000
    assert row["expected close date"].is_date
    assert row["expected close date"].value.date().isoformat() == "2026-12-31"
    assert row["created"].is_date
    assert sheet.column_dimensions["B"].width >= len("星火项目") * 2


def test_headers_follow_the_viewers_language(world, client):
    company = world.company
    client.force_login(company.owner)
    for language, first in (("en", "name"), ("zh-hans", "名称")):
        company.owner.language = language
        company.owner.save()
        for fmt in FORMATS:
            header = rows_of(export(client, "accounts", fmt), fmt)[0]
            assert header[1] == first, (language, fmt)


def test_custom_attributes_get_a_typed_column_each(world, client):
    for target in ("deal", "account"):
        AttributeDefinition.objects.create(
            target=target, code="budget", label="预算", label_en="Budget", type="number"
        )
        AttributeDefinition.objects.create(
            target=target, code="tender_on", label="招标日期", label_en="Tender date", type="date"
        )
        AttributeDefinition.objects.create(
            target=target, code="tier", label="层级", type="choice", choices=["甲", "乙"]
        )
    AttributeDefinition.objects.create(
        target="deal", code="old", label="停用", type="text", active=False
    )
    values = {"budget": 1250000.5, "tender_on": "2026-05-20", "tier": "乙"}
    Deal.objects.filter(pk__in=world.mine["deals"]).update(custom=values)
    Account.objects.filter(pk__in=world.mine["accounts"]).update(custom=values)
    company = world.company
    company.owner.language = "en"
    company.owner.save()
    client.force_login(company.owner)
    for name in ("deals", "accounts"):
        rows = rows_of(export(client, name, "xlsx"), "xlsx")
        assert rows[0][-3:] == ["Budget", "Tender date", "层级"], name  # no English label: 层级
        assert rows[1][-3:] == [1250000.5, datetime(2026, 5, 20), "乙"], name
        csv_row = rows_of(export(client, name, "csv"), "csv")[1]
        assert csv_row[-3:] == ["1250000.5", "2026-05-20", "乙"], name
