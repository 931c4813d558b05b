"""A planned visit can be cancelled (kept, off Today and the calendar) or deleted to the
recycle bin and restored from it; only those who may write it may do either."""

import pytest
from django.urls import reverse

from winroom.visits.models import Visit, VisitStatus

pytestmark = pytest.mark.django_db


def test_the_owner_cancels_a_planned_visit(company, visit, client):
    client.force_login(company.owner)
    page = client.get(reverse("visits:detail", args=[visit.pk])).content.decode()
    assert 'data-testid="cancel-visit"' in page
    response = client.post(reverse("visits:cancel", args=[visit.pk]))
    assert response.status_code == 302
    visit.refresh_from_db()
    assert visit.status == VisitStatus.CANCELLED and visit.objective
    # cancelled twice: nothing to cancel any more
    assert client.post(reverse("visits:cancel", args=[visit.pk])).status_code == 404


def test_a_recorded_visit_cannot_be_cancelled(company, done_visit, client):
    client.force_login(company.owner)
    assert client.post(reverse("visits:cancel", args=[done_visit.pk])).status_code == 404
    done_visit.refresh_from_db()
    assert done_visit.status == VisitStatus.DONE


def test_delete_moves_to_the_bin_and_restore_brings_it_back(company, visit, client):
    client.force_login(company.owner)
    assert client.get(reverse("visits:delete", args=[visit.pk])).status_code == 200
    assert client.post(reverse("visits:delete", args=[visit.pk])).status_code == 302
    assert not Visit.objects.filter(pk=visit.pk).exists()
    bin_page = client.get(reverse("trash")).content.decode()
    assert f'data-testid="restore-visit-{visit.pk}"' in bin_page
    client.force_login(company.outsider)
    assert f"restore-visit-{visit.pk}" not in client.get(reverse("trash")).content.decode()
    assert client.post(reverse("visits:restore", args=[visit.pk])).status_code == 404
    assert not Visit.objects.filter(pk=visit.pk).exists()
    client.force_login(company.owner)
    assert client.post(reverse("visits:restore", args=[visit.pk])).status_code == 302
    assert Visit.objects.filter(pk=visit.pk).exists()


@pytest.mark.parametrize("role", ["teammate", "outsider", "other_manager"])
def test_outsiders_can_neither_cancel_nor_delete(company, visit, client, role):
    client.force_login(getattr(company, role))
    assert client.post(reverse("visits:cancel", args=[visit.pk])).status_code == 404
    assert client.post(reverse("visits:delete", args=[visit.pk])).status_code == 404
    visit.refresh_from_db()
    assert visit.status == VisitStatus.PLANNED and not visit.is_deleted
