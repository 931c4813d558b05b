"""The company-wide competitor library: every active person reads and edits it, only
administrators take entries out (and put them back)."""

import pytest

from winroom.deals.models import Competitor

from .conftest import OUTSIDERS, READERS

pytestmark = pytest.mark.django_db

BASE = "/api/v1/competitors/"


@pytest.fixture
def huawei(company):
    return Competitor.objects.create(name="华为", facts="深圳")


@pytest.mark.parametrize("role", READERS + OUTSIDERS)
def test_everyone_active_reads_creates_and_edits(api, huawei, role):
    client = api(role)
    assert huawei.pk in [c["id"] for c in client.get(BASE).json()["results"]]
    assert client.get(f"{BASE}{huawei.pk}/").json()["facts"] == "深圳"
    created = client.post(BASE, {"name": f"对手-{role}", "notes": "新"}, format="json")
    assert created.status_code == 201, created.content
    assert created.json()["version"] == 1
    edited = client.patch(f"{BASE}{huawei.pk}/", {"key_events": f"{role} 来过"}, format="json")
    assert edited.status_code == 200
    assert client.get(f"{BASE}{huawei.pk}/history/").status_code == 200


def test_deactivated_token_is_refused(api, huawei):
    client = api("deactivated")
    assert client.get(BASE).status_code == 401
    assert client.get(f"{BASE}{huawei.pk}/").status_code == 401
    assert client.post(BASE, {"name": "x"}, format="json").status_code == 401
    assert client.patch(f"{BASE}{huawei.pk}/", {"notes": "x"}, format="json").status_code == 401
    assert client.delete(f"{BASE}{huawei.pk}/").status_code == 401
    assert not Competitor.objects.filter(name="x").exists()
    assert Competitor.objects.get(pk=huawei.pk).notes == ""


@pytest.mark.parametrize("role", ["owner", "manager", "director", "outsider"])
def test_only_administrators_delete(api, huawei, role):
    response = api(role).delete(f"{BASE}{huawei.pk}/")
    assert response.status_code == 403
    assert not Competitor.all_objects.get(pk=huawei.pk).is_deleted
    assert api(role).post(f"{BASE}{huawei.pk}/restore/").status_code == 404


def test_administrator_deletes_and_restores(api, huawei):
    admin = api("admin")
    assert admin.delete(f"{BASE}{huawei.pk}/").status_code == 204
    assert Competitor.all_objects.get(pk=huawei.pk).is_deleted
    assert huawei.pk not in [c["id"] for c in api("owner").get(BASE).json()["results"]]
    assert api("owner").post(f"{BASE}{huawei.pk}/restore/").status_code == 403
    assert admin.post(f"{BASE}{huawei.pk}/restore/").status_code == 200
    assert not Competitor.all_objects.get(pk=huawei.pk).is_deleted


def test_names_are_unique_in_any_letter_case_and_in_the_recycle_bin(api, company):
    client = api("owner")
    assert client.post(BASE, {"name": "Cisco"}, format="json").status_code == 201
    twin = client.post(BASE, {"name": " cisco "}, format="json")
    assert twin.json() == {"name": ["A competitor with this name already exists."]}
    Competitor.objects.filter(name="Cisco").update(deleted_at="2026-01-01T00:00:00Z")
    again = client.post(BASE, {"name": "CISCO"}, format="json")
    assert again.status_code == 400
    assert "ask an administrator to restore it" in again.json()["name"][0]
    other = client.post(BASE, {"name": "Juniper"}, format="json").json()
    renamed = client.patch(f"{BASE}{other['id']}/", {"name": "cisco"}, format="json")
    assert renamed.status_code == 400


def test_restore_refused_when_the_name_was_taken_meanwhile(api, company):
    cisco = Competitor.objects.create(name="Cisco")
    admin = api("admin")
    assert admin.delete(f"{BASE}{cisco.pk}/").status_code == 204
    Competitor.objects.create(name="CISCO")  # bypassing the API's check on purpose
    response = admin.post(f"{BASE}{cisco.pk}/restore/")
    assert response.json() == {"name": ["A competitor with this name already exists."]}
    assert Competitor.all_objects.get(pk=cisco.pk).is_deleted


def test_versions(api, huawei):
    client = api("owner")
    assert client.patch(f"{BASE}{huawei.pk}/", {"notes": "一"}, format="json").status_code == 200
    stale = client.patch(f"{BASE}{huawei.pk}/", {"notes": "二", "version": 1}, format="json")
    assert stale.status_code == 409
    assert Competitor.objects.get(pk=huawei.pk).notes == "一"


@pytest.mark.parametrize(
    "body", [{}, {"name": ""}, {"name": "x" * 121}, {"name": "ok", "facts": 5 * ["x"]}]
)
def test_bad_input(api, company, body):
    assert api("owner").post(BASE, body, format="json").status_code == 400


def test_search_and_ordering(api, company):
    client = api("owner")
    for name, facts in (("华为", "深圳"), ("海康威视", "杭州"), ("新华三", "杭州")):
        Competitor.objects.create(name=name, facts=facts)
    found = client.get(BASE, {"q": "杭州", "ordering": "-name"}).json()["results"]
    assert sorted(c["name"] for c in found) == ["新华三", "海康威视"]
    assert client.get(BASE, {"ordering": "deleted_by"}).status_code == 400
