"""The pages render for those who may see them, pin their query counts, export to Excel and
answer the what-if; the headline numbers agree with the hand computation (conftest.py)."""

from decimal import Decimal
from io import BytesIO

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from winroom.deals.models import Deal
from winroom.insights.models import CapacityCell

pytestmark = pytest.mark.django_db

Q2 = {"period": "quarter", "day": "2026-05-01"}
PAGES = ["dashboard", "metrics", "path", "wheel", "forecast", "backtest", "capacity", "watch"]
#: queries per page for the director (whole tree), whatever the number of deals
QUERIES = {
    "dashboard": 20,
    "metrics": 15,
    "path": 21,
    "wheel": 11,
    "forecast": 13,
    "backtest": 10,
    "capacity": 9,
    "watch": 12,
}


@pytest.fixture
def english(client, settings):
    """English in the test and in the pages the client asks for (Chinese is the default)."""
    from django.utils import translation

    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    with translation.override("en"):
        yield


@pytest.mark.parametrize("name", PAGES)
def test_manager_pages_render_with_a_pinned_query_count(shop, pipeline, login, name):
    from winroom.insights.models import WatchedAccount

    for account in shop.accounts.values():  # the watch list shows every one of them
        WatchedAccount.objects.create(account=account, kind="strategic")
    client = login(shop.company.director)
    client.get(reverse(f"insights:{name}"), Q2)  # warm the session and the company settings
    from django.core.cache import cache

    cache.clear()
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse(f"insights:{name}"), Q2)
    assert response.status_code == 200
    assert len(queries) == QUERIES[name], [q["sql"][:120] for q in queries.captured_queries]


def test_query_count_does_not_grow_with_deals(shop, pipeline, login):
    from winroom.testing.factories import AccountFactory

    from .conftest import make_deal

    client = login(shop.company.director)
    counts = []
    for _round in range(2):
        from django.core.cache import cache

        cache.clear()
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("insights:dashboard"), Q2).status_code == 200
        counts.append(len(queries))
        account = AccountFactory(owner=shop.company.teammate)
        for amount in (10_000, 20_000, 30_000):
            make_deal(
                shop.company.teammate,
                account,
                amount,
                win_rate=Decimal("0.5"),
                win_rate_status="computed",
            )
    assert counts[0] == counts[1]


@pytest.mark.parametrize("name", ["dashboard", "metrics", "path", "wheel", "forecast", "backtest"])
def test_rep_pages_show_their_own_numbers(shop, login, name):
    client = login(shop.company.owner)
    response = client.get(reverse(f"insights:{name}"), Q2)
    assert response.status_code == 200
    assert response.context["page"].scope.code == f"rep:{shop.company.owner.pk}"


def test_metrics_page_shows_the_hand_computed_figures(shop, login, english):
    response = login(shop.company.admin).get(
        reverse("insights:metrics"), {"scope": "company", **Q2}
    )
    rows = {row["code"]: row for row in response.context["rows"]}
    assert rows["win_rate"]["value"] == Decimal("75.0")
    assert rows["average_deal_size"]["value"] == Decimal("275000.00")
    assert rows["win_rate"]["inputs"] == "6 won of 8 closed"
    html = response.content.decode()
    assert "figures as of" in html and "75.0 %" in html


def test_what_if_moves_a_driver(shop, login):
    url = reverse("insights:what_if")
    response = login(shop.company.admin).get(url, {"scope": "company", **Q2, "move_leads": "10"})
    assert response.status_code == 200
    assert response.context["uplift"] == Decimal("10.0")
    both = login(shop.company.admin).get(
        url, {"scope": "company", **Q2, "move_leads": "5", "move_cycle": "5"}
    )
    # 1.05 / 0.95 − 1
    assert both.context["uplift"] == Decimal("10.5")
    assert login(shop.company.admin).get(url, {**Q2, "move_leads": "x"}).status_code == 404


def test_path_page_names_the_driver_that_pays_most_and_the_compound(shop, login):
    response = login(shop.company.admin).get(reverse("insights:path"), {"scope": "company", **Q2})
    assert response.status_code == 200
    context = response.context
    # every rate is below 100 % and every driver has data: the cycle pays most for 5 %
    assert context["best"].driver == "cycle"
    assert context["compound_formula"] == Decimal("41.1")
    assert context["step"] == Decimal("5.0")


def _sheets(response):
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    return load_workbook(BytesIO(response.content))


@pytest.mark.parametrize(
    "name", ["metrics", "path", "wheel", "forecast", "backtest", "capacity", "watch"]
)
def test_each_block_exports_to_excel(shop, pipeline, login, name):
    book = _sheets(
        login(shop.company.director).get(reverse(f"insights:{name}"), {**Q2, "format": "xlsx"})
    )
    first = book.worksheets[0]
    assert first["A1"].value  # the caption: whose numbers, which period, how fresh
    assert first.max_row >= 2


def test_exported_text_that_looks_like_a_formula_is_neutralised(shop, login):
    Deal.all_objects.filter(pk=shop.deals["D3"].pk).update(name='=HYPERLINK("http://x")')
    book = _sheets(
        login(shop.company.admin).get(
            reverse("insights:wheel"), {"scope": "company", **Q2, "format": "xlsx"}
        )
    )
    names = (
        [row[0].value for row in book["Won deals"].iter_rows(min_row=3)]
        if "Won deals" in book.sheetnames
        else [row[0].value for row in book.worksheets[2].iter_rows(min_row=3)]
    )
    assert '\'=HYPERLINK("http://x")' in names


def test_capacity_table_is_edited_by_a_manager(shop, login):
    client = login(shop.company.manager)
    url = reverse("insights:capacity") + "?year=2026"
    data = {
        "cells-TOTAL_FORMS": "1",
        "cells-INITIAL_FORMS": "0",
        "cells-MIN_NUM_FORMS": "0",
        "cells-MAX_NUM_FORMS": "1000",
        "cells-0-region": "上海",
        "cells-0-industry": "manufacturing",
        "cells-0-target_customers": "100",
        "cells-0-existing_customers": "20",
        "cells-0-competitor_customers": "30",
        "cells-0-market_size": "100000000",
        "cells-0-last_year_revenue": "8000000",
        "cells-0-demand_changing": "on",
        "cells-0-sales_model": "solution",
        "cells-0-conversion_existing": "0.5",
        "cells-0-conversion_new": "0.1",
        "cells-0-conversion_competitors": "0.2",
        "cells-0-average_deal_size": "500000",
    }
    assert client.post(url, data).status_code == 302
    cell = CapacityCell.objects.get()
    assert (cell.year, cell.region) == (2026, "上海")
    page = client.get(url)
    assert page.context["plan"].bottom_up == Decimal("10500000.00")
    # more customers of ours and competitors' than targets: refused, nothing changes
    bad = {
        **data,
        "cells-0-existing_customers": "90",
        "cells-TOTAL_FORMS": "1",
        "cells-INITIAL_FORMS": "1",
        "cells-0-id": str(cell.pk),
    }
    assert client.post(url, bad).status_code == 200
    cell.refresh_from_db()
    assert cell.existing_customers == 20
