"""The deals API in the OpenAPI schema: present, valid, and generated without warnings."""

import pytest
from django.core.management import call_command
from drf_spectacular.validation import validate_schema

pytestmark = pytest.mark.django_db

DEAL_PATHS = [
    "/api/v1/deals/",
    "/api/v1/deals/{id}/",
    "/api/v1/deals/{id}/restore/",
    "/api/v1/deals/{id}/history/",
    "/api/v1/deals/{id}/members/",
    "/api/v1/deals/{id}/members/{member_id}/",
    "/api/v1/deals/{id}/advance/",
    "/api/v1/deals/{id}/grade/",
    "/api/v1/deals/{id}/stage-changes/",
    "/api/v1/deals/{id}/events/",
    "/api/v1/deals/{id}/compelling-events/",
    "/api/v1/deals/{id}/compelling-events/{event_id}/confirm/",
    "/api/v1/deals/{id}/competitors/",
    "/api/v1/deals/{id}/competitors/{entry_id}/",
    "/api/v1/deals/{id}/competitors/{entry_id}/quotes/",
    "/api/v1/deals/{id}/questionnaire/",
    "/api/v1/deals/{id}/questionnaire/{questionnaire_id}/review/",
    "/api/v1/deals/{id}/decision-map/",
    "/api/v1/deals/{id}/decision-map/{person_id}/",
    "/api/v1/deals/{id}/win-rate/",
    "/api/v1/deals/{id}/win-rate/curve/",
    "/api/v1/deals/{id}/actions/",
    "/api/v1/deals/{id}/actions/{action_id}/",
    "/api/v1/deals/{id}/reviews/",
    "/api/v1/deals/{id}/close/",
    "/api/v1/deals/{id}/reopen/",
    "/api/v1/competitors/",
    "/api/v1/competitors/{id}/",
]


def test_schema_lists_the_deal_routes(api, company):
    response = api("owner").get("/api/v1/schema/", {"format": "json"})
    assert response.status_code == 200
    schema = response.json()
    validate_schema(schema)
    paths = schema["paths"]
    for path in DEAL_PATHS:
        assert path in paths, path
    # sub-resource ids are integers
    confirm = paths["/api/v1/deals/{id}/compelling-events/{event_id}/confirm/"]["post"]
    event_id = next(p for p in confirm["parameters"] if p["name"] == "event_id")
    assert event_id["schema"]["type"] == "integer"
    # the list documents its filters and ordering
    names = {p["name"] for p in paths["/api/v1/deals/"]["get"]["parameters"]}
    assert {"q", "status", "stage", "stage_number", "grade", "owner", "account", "band"} <= names
    assert "ordering" in names
    number = next(
        p for p in paths["/api/v1/deals/"]["get"]["parameters"] if p["name"] == "stage_number"
    )
    assert number["schema"]["type"] == "integer"
    # derived fields are never accepted in a request
    request = schema["components"]["schemas"]["DealRequest"]["properties"]
    for derived in ("status", "win_rate", "win_rate_status", "grade", "stage", "members"):
        assert derived not in request, derived
    assert "version" in request
    patched = schema["components"]["schemas"]["PatchedDealRequest"]["properties"]
    assert "status" not in patched and "grade" not in patched
    # the events list is paginated
    events = paths["/api/v1/deals/{id}/events/"]["get"]["responses"]["200"]
    assert "Paginated" in events["content"]["application/json"]["schema"]["$ref"]


def test_spectacular_validates_without_warnings(tmp_path):
    """What ``manage.py spectacular --validate --fail-on-warn`` checks."""
    target = tmp_path / "schema.yaml"
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(target))
    text = target.read_text()
    assert "/api/v1/deals/{id}/win-rate/curve/:" in text
