"""Login throttling (per account and per address), trusted proxies, session timeouts, passwords."""

import time

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.test import override_settings
from django.urls import reverse

from winroom.org.security import LOGIN_AT, SEEN_AT, client_ip
from winroom.testing.factories import UserFactory

pytestmark = pytest.mark.django_db

LIMIT = 100


@pytest.fixture(autouse=True)
def fast_hasher(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def rep():
    user = UserFactory(username="rep1")
    user.set_password("Winroom-Secret-2026")
    user.save()
    return user


def post_login(client, username, password, ip="10.0.0.1", **extra):
    return client.post(
        reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=ip, **extra
    )


def test_the_configured_limit_is_100_failures_an_hour(settings):
    assert settings.AXES_FAILURE_LIMIT == LIMIT
    assert settings.AXES_COOLOFF_TIME == 1
    assert settings.AXES_LOCKOUT_PARAMETERS == ["username", "ip_address"]


def test_an_account_is_locked_after_100_failures_even_from_many_addresses(client, rep):
    for attempt in range(LIMIT - 1):
        response = post_login(client, "rep1", "wrong", ip=f"10.1.{attempt // 250}.{attempt % 250}")
        assert response.status_code == 200  # the form again, with its error
    assert post_login(client, "rep1", "Winroom-Secret-2026", ip="10.9.9.9").status_code == 302
    client.logout()
    response = post_login(client, "rep1", "wrong", ip="10.9.9.8")
    assert response.status_code == 429
    # locked: even the right password from a fresh address is refused now
    response = post_login(client, "rep1", "Winroom-Secret-2026", ip="10.9.9.7")
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_an_address_is_locked_after_100_failures_across_accounts(client, rep):
    for attempt in range(LIMIT):
        post_login(client, f"nobody{attempt}", "wrong", ip="10.2.0.1")
    response = post_login(client, "rep1", "Winroom-Secret-2026", ip="10.2.0.1")
    assert response.status_code == 429
    # the same account from another address is not locked (it had no failures)
    assert post_login(client, "rep1", "Winroom-Secret-2026", ip="10.2.0.2").status_code == 302


def test_forwarded_for_cannot_spread_attempts_without_a_trusted_proxy(client, rep):
    for attempt in range(LIMIT):
        post_login(
            client,
            f"nobody{attempt}",
            "wrong",
            ip="10.3.0.1",
            HTTP_X_FORWARDED_FOR=f"192.0.2.{attempt % 250}",
        )
    response = post_login(
        client, "rep1", "Winroom-Secret-2026", ip="10.3.0.1", HTTP_X_FORWARDED_FOR="192.0.2.251"
    )
    assert response.status_code == 429


def test_the_token_endpoint_counts_and_answers_429(client, rep):
    url = reverse("api-token")
    for attempt in range(LIMIT):
        response = client.post(
            url, {"username": "rep1", "password": "wrong"}, REMOTE_ADDR="10.4.0.1"
        )
        # the 100th failure is the last one counted: it locks and answers 429
        assert response.status_code == (429 if attempt == LIMIT - 1 else 400)
    response = client.post(
        url, {"username": "rep1", "password": "Winroom-Secret-2026"}, REMOTE_ADDR="10.4.0.2"
    )
    assert response.status_code == 429
    assert "detail" in response.json()


class FakeRequest:
    def __init__(self, remote, forwarded=""):
        self.META = {"REMOTE_ADDR": remote, "HTTP_X_FORWARDED_FOR": forwarded}


def test_client_address_trusts_forwarded_for_only_from_listed_proxies():
    request = FakeRequest("10.0.0.5", "198.51.100.7")
    assert client_ip(request) == "10.0.0.5"
    with override_settings(WINROOM_TRUSTED_PROXIES=["10.0.0.5"]):
        assert client_ip(request) == "198.51.100.7"
        # a client-supplied first entry is ignored: the proxy appends the real peer last
        assert client_ip(FakeRequest("10.0.0.5", "1.2.3.4, 198.51.100.7")) == "198.51.100.7"
        # garbage or only proxies: fall back to the connection
        assert client_ip(FakeRequest("10.0.0.5", "not-an-ip")) == "10.0.0.5"
        assert client_ip(FakeRequest("10.0.0.5", "10.0.0.5")) == "10.0.0.5"
    assert client_ip(FakeRequest("garbage")) == "0.0.0.0"


def login(client, user):
    client.force_login(user)
    return client


def test_an_idle_session_ends(client, rep, settings):
    login(client, rep)
    assert client.get(reverse("home")).status_code == 302  # home redirects to Today
    session = client.session
    session[SEEN_AT] = int(time.time()) - settings.WINROOM_SESSION_IDLE_MINUTES * 60 - 5
    session.save()
    response = client.get(reverse("today:home"))
    assert response.status_code == 302 and reverse("login") in response.url
    assert "_auth_user_id" not in client.session


def test_a_session_ends_after_the_absolute_limit_even_when_busy(client, rep, settings):
    login(client, rep)
    client.get(reverse("today:home"))
    session = client.session
    session[LOGIN_AT] = int(time.time()) - settings.WINROOM_SESSION_MAX_HOURS * 3600 - 5
    session[SEEN_AT] = int(time.time())
    session.save()
    response = client.get(reverse("today:home"))
    assert response.status_code == 302 and reverse("login") in response.url


def test_an_active_session_within_its_limits_goes_on(client, rep):
    login(client, rep)
    assert client.get(reverse("today:home")).status_code == 200
    assert client.get(reverse("today:home")).status_code == 200


def test_password_rules_minimum_common_and_long_passphrases(rep):
    with pytest.raises(ValidationError):
        validate_password("Ab1-xyz", rep)  # 7 characters
    with pytest.raises(ValidationError):
        validate_password("password123", rep)  # on the common-password list
    validate_password("correct horse battery staple " * 4, rep)  # 116 characters are fine
