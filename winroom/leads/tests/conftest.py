import pytest

from winroom.leads import actions
from winroom.leads.models import LeadChannel


@pytest.fixture
def channel(db):
    return LeadChannel.objects.get(name="展会")


@pytest.fixture
def make_lead(company, channel):
    def _make(*, by=None, **data):
        data.setdefault("company_name", "杭州新客户科技有限公司")
        data.setdefault("channel", channel)
        return actions.create_lead(by=by or company.owner, data=data)

    return _make


@pytest.fixture
def api(company):
    """An API client signed in with the user's token: ``api("owner")`` or ``api(user)``;
    the user speaks ``language`` (English unless told)."""
    from rest_framework.authtoken.models import Token
    from rest_framework.test import APIClient

    def make(who, language="en"):
        user = getattr(company, who) if isinstance(who, str) else who
        if user.language != language:
            user.language = language
            user.save(update_fields=["language"])
        client = APIClient()
        token, _created = Token.objects.get_or_create(user=user)
        client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
        client.user = user
        return client

    return make
