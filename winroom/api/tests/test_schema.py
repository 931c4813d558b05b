"""The OpenAPI schema and the Swagger UI: valid, complete, for signed-in users only."""

import pytest
from django.urls import reverse
from drf_spectacular.validation import validate_schema
from rest_framework.test import APIClient


def test_urls_are_named():
    assert reverse("api-schema") == "/api/v1/schema/"
    assert reverse("api-docs") == "/api/v1/docs/"


def test_schema_is_valid_openapi(client_for):
    response = client_for("rep_owner").get("/api/v1/schema/", {"format": "json"})
    assert response.status_code == 200
    schema = response.json()
    assert schema["openapi"].startswith("3.")
    validate_schema(schema)
    paths = schema["paths"]
    for path in [
        "/api/v1/auth/token/",
        "/api/v1/accounts/",
        "/api/v1/accounts/{id}/",
        "/api/v1/accounts/{id}/restore/",
        "/api/v1/accounts/{id}/history/",
        "/api/v1/accounts/{id}/members/",
        "/api/v1/accounts/{id}/members/{member_id}/",
        "/api/v1/accounts/{id}/org-chart/",
        "/api/v1/contacts/",
        "/api/v1/contacts/{id}/",
        "/api/v1/activities/",
        "/api/v1/activities/{id}/",
    ]:
        assert path in paths, path
    assert "tokenAuth" in schema["components"]["securitySchemes"]
    # the token endpoint needs no credentials; the derived level is read-only
    assert paths["/api/v1/auth/token/"]["post"].get("security") in (None, [], [{}])
    contact_request = schema["components"]["schemas"]["ContactRequest"]["properties"]
    assert "interaction_level" not in contact_request
    assert "version" in contact_request


def test_schema_in_yaml_by_default(client_for):
    response = client_for("rep_owner").get("/api/v1/schema/")
    assert response.status_code == 200
    assert b"openapi: 3" in response.content


def test_docs_page_for_signed_in_user(org):
    client = APIClient()
    client.force_login(org["rep_owner"])
    response = client.get("/api/v1/docs/")
    assert response.status_code == 200
    assert b"swagger-ui" in response.content
    assert b"/api/v1/schema/" in response.content


@pytest.mark.parametrize("url", ["/api/v1/schema/", "/api/v1/docs/"])
def test_schema_and_docs_need_a_login(db, url):
    assert APIClient().get(url).status_code in (401, 403)


def test_deactivated_user_gets_no_schema(client_for):
    assert client_for("inactive").get("/api/v1/schema/").status_code == 401


def test_unsupported_schema_language_is_400(client_for):
    client = client_for("rep_owner")
    assert client.get("/api/v1/schema/", {"lang": "../../etc"}).status_code == 400
    assert client.get("/api/v1/schema/", {"lang": "en", "format": "json"}).status_code == 200
