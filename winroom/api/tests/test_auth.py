"""Token login, who may use a token, and the caller's language."""

import pytest
from django.urls import reverse
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from .conftest import PASSWORD

TOKEN_URL = "/api/v1/auth/token/"


def anonymous():
    """A client without credentials that asks for English."""
    return APIClient(HTTP_ACCEPT_LANGUAGE="en")


def test_token_url_is_named():
    assert reverse("api-token") == TOKEN_URL


def test_obtain_token(org):
    response = anonymous().post(
        TOKEN_URL, {"username": "rep_owner", "password": PASSWORD}, format="json"
    )
    assert response.status_code == 200
    token = response.json()["token"]
    assert Token.objects.get(key=token).user == org["rep_owner"]
    # the same token the second time
    again = anonymous().post(TOKEN_URL, {"username": "rep_owner", "password": PASSWORD})
    assert again.json()["token"] == token
    # and it opens the API
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    assert client.get("/api/v1/accounts/").status_code == 200


def test_wrong_password_is_400(org):
    response = anonymous().post(
        TOKEN_URL, {"username": "rep_owner", "password": "nope"}, format="json"
    )
    assert response.status_code == 400
    assert "token" not in response.json()
    assert response.json()["non_field_errors"]


def test_unknown_user_is_400_like_a_wrong_password(org):
    unknown = anonymous().post(TOKEN_URL, {"username": "ghost", "password": PASSWORD})
    wrong = anonymous().post(TOKEN_URL, {"username": "rep_owner", "password": "nope"})
    assert unknown.status_code == wrong.status_code == 400
    assert unknown.json() == wrong.json()


def test_inactive_user_gets_a_clear_400(org):
    response = anonymous().post(
        TOKEN_URL, {"username": "inactive", "password": PASSWORD}, format="json"
    )
    assert response.status_code == 400
    assert "deactivated" in response.json()["non_field_errors"][0]
    assert not Token.objects.filter(user=org["inactive"]).exists()


def test_inactive_user_with_wrong_password_learns_nothing(org):
    response = anonymous().post(TOKEN_URL, {"username": "inactive", "password": "nope"})
    assert response.status_code == 400
    assert "deactivated" not in response.json()["non_field_errors"][0]


@pytest.mark.parametrize(
    "body",
    [{}, {"username": "rep_owner"}, {"username": ["x"], "password": {"a": 1}}, {"password": ""}],
)
def test_malformed_token_requests_are_400(org, body):
    assert anonymous().post(TOKEN_URL, body, format="json").status_code == 400


def test_invalid_json_is_400(org):
    response = anonymous().post(TOKEN_URL, "{not json", content_type="application/json")
    assert response.status_code == 400


def test_token_endpoint_ignores_a_stale_token_header(org):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Token deadbeef")
    response = client.post(TOKEN_URL, {"username": "rep_owner", "password": PASSWORD})
    assert response.status_code == 200


def test_deactivated_users_token_is_refused(org, account, client_for):
    client = client_for("rep_owner")
    assert client.get("/api/v1/accounts/").status_code == 200
    user = org["rep_owner"]
    user.is_active = False
    user.save()
    assert client.get("/api/v1/accounts/").status_code == 401
    assert client.get(f"/api/v1/accounts/{account.pk}/").status_code == 401


def test_token_made_before_deactivation_is_refused(org, client_for):
    client = client_for("inactive")  # the token exists, the user is inactive
    assert client.get("/api/v1/accounts/").status_code == 401
    assert client.post("/api/v1/accounts/", {"name": "X"}, format="json").status_code == 401


@pytest.mark.parametrize(
    "url", ["/api/v1/accounts/", "/api/v1/contacts/", "/api/v1/activities/", "/api/v1/"]
)
def test_anonymous_requests_are_refused(db, url):
    assert APIClient().get(url).status_code == 401


def test_bad_token_is_401(db):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Token not-a-token")
    assert client.get("/api/v1/accounts/").status_code == 401


def test_session_login_works_too(org, account):
    client = APIClient()
    client.force_login(org["rep_owner"])
    assert client.get(f"/api/v1/accounts/{account.pk}/").status_code == 200


# -- language --------------------------------------------------------------------------


def test_messages_in_the_users_language(org, client_for):
    user = org["rep_owner"]
    user.language = "zh-hans"
    user.save()
    response = client_for(user).get("/api/v1/accounts/999999/")
    assert response.status_code == 404
    assert response.json()["detail"] == "未找到。"
    assert response["Content-Language"] == "zh-hans"


def test_users_language_beats_accept_language(org, client_for):
    response = client_for("rep_owner").get(
        "/api/v1/accounts/999999/", HTTP_ACCEPT_LANGUAGE="zh-hans"
    )
    assert response.json()["detail"] == "Not found."


def test_accept_language_when_the_user_chose_none(org, client_for):
    user = org["rep_owner"]
    user.language = ""
    user.save()
    client = client_for(user)
    english = client.get("/api/v1/accounts/999999/", HTTP_ACCEPT_LANGUAGE="en")
    chinese = client.get("/api/v1/accounts/999999/", HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert english.json()["detail"] == "Not found."
    assert chinese.json()["detail"] == "未找到。"


def test_validation_messages_in_the_users_language(org, client_for):
    user = org["rep_owner"]
    user.language = "zh-hans"
    user.save()
    response = client_for(user).post("/api/v1/accounts/", {}, format="json")
    assert response.status_code == 400
    assert response.json()["name"] == ["该字段是必填项。"]


def test_users_language_wins_in_content_language(org, client_for):
    user = org["rep_owner"]
    user.language = "zh-hans"
    user.save()
    response = client_for(user).get("/api/v1/accounts/999999/", HTTP_ACCEPT_LANGUAGE="en")
    assert response.json()["detail"] == "未找到。"
    assert response["Content-Language"] == "zh-hans"


def test_token_errors_follow_accept_language(org):
    chinese = APIClient(HTTP_ACCEPT_LANGUAGE="zh-hans").post(
        TOKEN_URL, {"username": "inactive", "password": PASSWORD}
    )
    assert chinese.status_code == 400
    assert "停用" in chinese.json()["non_field_errors"][0]
