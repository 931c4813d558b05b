"""The read-only API of metrics and forecast: same numbers, same refusals as the pages."""

import pytest
from rest_framework.test import APIClient

pytestmark = pytest.mark.django_db

METRICS, FORECAST = "/api/v1/insights/metrics/", "/api/v1/insights/forecast/"
Q2 = {"period": "quarter", "day": "2026-05-01"}


def client_for(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_metrics_of_the_company(shop):
    response = client_for(shop.company.admin).get(METRICS, {"scope": "company", **Q2})
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["scope"] == "company"
    assert body["period"] == {"start": "2026-04-01", "end": "2026-06-30", "kind": "quarter"}
    assert body["figures"]["win_rate"] == "0.7500"
    assert body["figures"]["average_deal_size"] == "275000.00"
    assert body["figures"]["renewal_rate"] == "0.5000"
    assert body["counts"]["leads"] == 10
    labels = {row["label"] for row in body["breakdown"]}
    assert {"华东", "华西", str(shop.company.owner)} <= labels


def test_a_rep_gets_their_own_metrics_by_default(shop):
    body = client_for(shop.company.owner).get(METRICS, Q2).json()
    assert body["scope"] == f"rep:{shop.company.owner.pk}"
    assert body["figures"]["lead_volume"] == 4
    assert body["breakdown"] == []


def test_custom_period_and_bad_period(shop):
    client = client_for(shop.company.admin)
    ok = client.get(METRICS, {"period": "custom", "start": "2026-04-01", "end": "2026-04-30"})
    assert ok.status_code == 200
    assert ok.json()["period"]["kind"] == "month"
    assert client.get(METRICS, {"period": "custom", "start": "2026-05-01"}).status_code == 400
    assert (
        client.get(
            METRICS, {"period": "custom", "start": "2026-05-01", "end": "2026-04-01"}
        ).status_code
        == 400
    )


def test_forecast(shop, pipeline):
    body = (
        client_for(shop.company.admin)
        .get(FORECAST, {"scope": "company", "month": "2026-07"})
        .json()
    )
    assert body["tree_month"] == "2026-07"
    tree = {row["scope"]: row for row in body["tree"]}
    assert tree[f"rep:{shop.company.owner.pk}"]["computed"] == "1050000.00"
    assert body["totals"]["pipeline"]["weighted"] == "50000.00"


@pytest.mark.parametrize("params", [{"months": "5"}, {"months": "x"}, {"month": "July"}])
def test_forecast_bad_parameters(shop, params):
    assert client_for(shop.company.admin).get(FORECAST, params).status_code == 400


@pytest.mark.parametrize("url", [METRICS, FORECAST])
def test_refusals(shop, url):
    c = shop.company
    assert APIClient().get(url).status_code in (401, 403)
    east, hq = f"team:{c.east.pk}", f"team:{c.east.parent_id}"
    assert client_for(c.owner).get(url, {"scope": east}).status_code == 404
    assert client_for(c.owner).get(url, {"scope": f"rep:{c.teammate.pk}"}).status_code == 404
    assert client_for(c.other_manager).get(url, {"scope": east}).status_code == 404
    assert client_for(c.manager).get(url, {"scope": hq}).status_code == 404
    assert client_for(c.director).get(url, {"scope": "company"}).status_code == 404
    assert client_for(c.deactivated).get(url).status_code in (401, 403, 404)
    assert client_for(c.manager).get(url, {"scope": east}).status_code == 200


def test_the_schema_lists_the_endpoints(shop):
    from drf_spectacular.validation import validate_schema

    response = client_for(shop.company.owner).get("/api/v1/schema/", {"format": "json"})
    schema = response.json()
    validate_schema(schema)
    assert METRICS in schema["paths"] and FORECAST in schema["paths"]
