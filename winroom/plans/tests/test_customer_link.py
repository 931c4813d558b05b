"""The customer's private link: it opens exactly one canvas, without a login, until it
expires or is revoked; an altered token opens nothing; it reads no other page or account;
it is rate-limited and carries no-referrer and noindex headers."""

from datetime import timedelta

import pytest
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from winroom.plans import actions, public
from winroom.plans.models import CustomerLink, FitCanvas, LinkStatus

pytestmark = pytest.mark.django_db

ANSWERS = {
    "score_strategy": "2",
    "score_relationship": "2",
    "score_communication": "3",
    "score_solution": "4",
    "score_process": "3",
    "score_systems": "3",
    "score_talent": "4",
    "score_structure": "3",
    "score_knowledge": "5",
    "comment": "沟通还需加强",
}


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def link(company, canvas):
    link, token = actions.create_link(canvas, by=company.owner)
    link.token = token
    return link


def url(token):
    return reverse("plans:customer", args=[token])


def test_the_link_opens_the_canvas_without_a_login(client, link, company):
    response = client.get(url(link.token))
    assert response.status_code == 200
    text = response.content.decode()
    assert company.account.name in text
    assert "How well do our strategy" in text or "战略" in text
    # no navigation into the app, nothing else of the account
    assert reverse("accounts:list") not in text
    assert reverse("plans:list") not in text
    assert company.contact.name not in text
    assert "战略一致" not in text  # our notes stay ours
    assert 'name="score_strategy"' in text


def test_security_headers(client, link):
    for response in (client.get(url(link.token)), client.get(url("nonsense"))):
        assert response["Referrer-Policy"] == "no-referrer"
        assert "noindex" in response["X-Robots-Tag"]
        assert "no-store" in response["Cache-Control"]
        assert "frame-ancestors 'none'" in response["Content-Security-Policy"]


def test_the_customer_answers_and_may_answer_again(client, link, canvas):
    response = client.post(url(link.token), ANSWERS)
    assert response.status_code == 200
    assert b'data-testid="thanks"' in response.content
    canvas.refresh_from_db()
    assert canvas.customer_scores["strategy"] == 2
    assert canvas.customer_comment == "沟通还需加强"
    assert canvas.our_scores == {"strategy": 4, "relationship": 5, "solution": 4}  # untouched
    result = canvas.explain()
    assert [gap.element for gap in result.gaps] == ["relationship", "strategy"]  # 5–2, 4–2
    link.refresh_from_db()
    assert link.status == LinkStatus.ANSWERED and link.answers == 1
    # while valid, a second answer replaces the first
    response = client.post(url(link.token), {**ANSWERS, "score_strategy": "5"})
    assert response.status_code == 200
    canvas.refresh_from_db()
    assert canvas.customer_scores["strategy"] == 5
    link.refresh_from_db()
    assert link.answers == 2


def test_bad_answers_are_refused_and_kept(client, link, canvas):
    response = client.post(url(link.token), {**ANSWERS, "score_systems": "9"})
    assert response.status_code == 400
    canvas.refresh_from_db()
    assert canvas.customer_scores is None
    form = response.context["form"]
    assert form.errors["score_systems"]
    assert form.data["score_solution"] == "4"  # what the customer chose is kept


def test_expired_link_is_refused(client, link, canvas):
    CustomerLink.objects.filter(pk=link.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    for method in (client.get, client.post):
        response = method(url(link.token), ANSWERS)
        assert response.status_code == 410
        assert company_name_absent(response, canvas)
    canvas.refresh_from_db()
    assert canvas.customer_scores is None


def company_name_absent(response, canvas):
    return canvas.account.name.encode() not in response.content


def test_revoked_link_is_refused(client, link, canvas, company):
    actions.revoke_link(link, by=company.owner)
    for method in (client.get, client.post):
        response = method(url(link.token), ANSWERS)
        assert response.status_code == 410
        assert company_name_absent(response, canvas)
    canvas.refresh_from_db()
    assert canvas.customer_scores is None
    link.refresh_from_db()
    assert link.status == LinkStatus.REVOKED


def test_a_deleted_canvas_closes_its_links(client, link, canvas, company):
    from winroom.records import soft_delete

    soft_delete(canvas, by=company.owner)
    assert client.get(url(link.token)).status_code == 404


@pytest.mark.parametrize(
    "tamper",
    [
        lambda t: t[:-1] + ("A" if t[-1] != "A" else "B"),
        lambda t: t[:-4],
        lambda t: t + "x",
        lambda t: t.upper(),
        lambda t: "x" * len(t),
    ],
)
def test_a_tampered_token_is_refused(client, link, canvas, tamper):
    response = client.get(url(tamper(link.token)))
    assert response.status_code == 404
    assert company_name_absent(response, canvas)
    assert client.post(url(tamper(link.token)), ANSWERS).status_code == 404
    canvas.refresh_from_db()
    assert canvas.customer_scores is None


def test_only_the_hash_of_the_token_is_stored(link):
    stored = CustomerLink.objects.get(pk=link.pk)
    assert link.token not in stored.token_hash
    assert stored.token_hash == CustomerLink.hash_token(link.token)


def test_the_token_reads_nothing_else(client, link, canvas, other_canvas, company, plan):
    """The customer holds no session: app pages stay behind the login, and the link
    answers only for its own canvas."""
    client.get(url(link.token))
    for target in (
        reverse("plans:canvas", args=[canvas.pk]),
        reverse("plans:canvas", args=[other_canvas.pk]),
        reverse("plans:detail", args=[plan.pk]),
        reverse("plans:list"),
        reverse("accounts:detail", args=[company.account.pk]),
        reverse("accounts:detail", args=[other_canvas.account.pk]),
    ):
        response = client.get(target)
        assert response.status_code == 302 and reverse("login") in response["Location"], target
    assert client.get("/api/v1/canvases/").status_code in (401, 403)
    assert client.get(f"/api/v1/canvases/{other_canvas.pk}/").status_code in (401, 403)
    # an answer through the link changes its canvas only
    client.post(url(link.token), ANSWERS)
    other_canvas.refresh_from_db()
    assert other_canvas.customer_scores is None
    # the other account's canvas has its own link; ours never opens it
    _other_link, other_token = actions.create_link(other_canvas, by=company.outsider)
    response = client.get(url(link.token))
    assert other_canvas.account.name.encode() not in response.content
    assert canvas.account.name.encode() not in client.get(url(other_token)).content


def test_rate_limit_per_token(client, link, monkeypatch):
    monkeypatch.setattr(public, "PER_TOKEN", 3)
    statuses = [client.get(url(link.token)).status_code for _ in range(5)]
    assert statuses == [200, 200, 200, 429, 429]
    # another client address with the same token is limited too (per token)
    other = client.get(url(link.token), REMOTE_ADDR="10.0.0.9")
    assert other.status_code == 429


def test_rate_limit_per_address_counts_bad_tokens(client, link, monkeypatch):
    monkeypatch.setattr(public, "PER_ADDRESS", 4)
    statuses = [client.get(url(f"guess{n}")).status_code for n in range(4)]
    assert statuses == [404] * 4
    # the fifth try from that address is refused, even with the right token
    assert client.get(url(link.token)).status_code == 429
    assert client.get(url(link.token), REMOTE_ADDR="10.0.0.7").status_code == 200


@pytest.mark.parametrize(
    ("language", "expected"), [("en", "How well do we fit"), ("zh-hans", None)]
)
def test_language_of_the_link(client, company, canvas, language, expected):
    _link, token = actions.create_link(canvas, by=company.owner, language=language)
    response = client.get(url(token))
    assert response["Content-Language"] == language
    if expected:
        assert expected in response.content.decode()


def test_browser_language_when_the_link_has_none(client, link):
    response = client.get(url(link.token), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert response["Content-Language"] == "en"
    response = client.get(url(link.token), HTTP_ACCEPT_LANGUAGE="zh-CN,zh;q=0.9")
    assert response["Content-Language"] == "zh-hans"


def test_expiry_chosen_at_creation(company, canvas):
    link, _token = actions.create_link(canvas, by=company.owner)
    assert timedelta(days=13, hours=23) < link.expires_at - link.created_at <= timedelta(days=14)
    link, _token = actions.create_link(canvas, by=company.owner, days=3)
    assert link.expires_at - link.created_at == timedelta(days=3)
    with pytest.raises(ValidationError):
        actions.create_link(canvas, by=company.owner, days=0)


def test_the_canvas_page_lists_links_with_status(client, company, canvas):
    client.force_login(company.owner)
    response = client.post(reverse("plans:link_create", args=[canvas.pk]), {"days": "14"})
    assert response.status_code == 200
    new_url = response.context["new_url"]
    assert "/plans/c/" in new_url
    link = canvas.links.get()
    assert link.status == LinkStatus.ACTIVE
    response = client.post(reverse("plans:link_revoke", args=[canvas.pk, link.pk]))
    assert response.status_code == 302
    page = client.get(reverse("plans:canvas", args=[canvas.pk]))
    assert [(row.pk, row.status) for row in page.context["links"]] == [(link.pk, "revoked")]
    client.logout()
    token = new_url.rstrip("/").rsplit("/", 1)[1]
    assert client.get(url(token)).status_code == 410


def test_outsider_cannot_create_or_revoke_links(client, company, canvas, link):
    client.force_login(company.outsider)
    assert (
        client.post(reverse("plans:link_create", args=[canvas.pk]), {"days": 5}).status_code == 404
    )
    assert client.post(reverse("plans:link_revoke", args=[canvas.pk, link.pk])).status_code == 404
    assert canvas.links.count() == 1
    link.refresh_from_db()
    assert link.revoked_at is None
    assert FitCanvas.objects.get(pk=canvas.pk).customer_scores is None
