"""The stored verdict: the core's rule with the company's settings, refreshed on save."""

from datetime import timedelta

import pytest

from winroom.org.models import CompanySettings
from winroom.visits.models import VisitStatus
from winroom.visits.presenting import effective_lines

from .conftest import make_visit, recorded

pytestmark = pytest.mark.django_db


def _visit(company, **fields):
    return make_visit(company.owner, company.account, days_ago=10, **fields)


def test_recorded_three_days_later_is_effective_four_is_not(company):
    three = recorded(_visit(company), recorded_days_after=3)
    four = recorded(_visit(company), recorded_days_after=4)
    assert three.effective is True
    assert four.effective is False
    assert four.explain_effective().reasons == ("recorded_late",)


def test_same_day_record_is_effective(company):
    assert recorded(_visit(company), recorded_days_after=0).effective


def test_no_objective_is_not_effective(company):
    visit = recorded(_visit(company, objective="  "), recorded_days_after=0)
    assert not visit.effective
    assert visit.explain_effective().reasons == ("no_objective",)


def test_unanswered_commitment_is_not_effective_but_not_won_is(company):
    unanswered = recorded(_visit(company), commitment="")
    not_won = recorded(_visit(company), commitment="not_won")
    assert not unanswered.effective
    assert unanswered.explain_effective().reasons == ("commitment_unanswered",)
    assert not_won.effective


def test_a_planned_visit_is_never_effective(company):
    visit = _visit(company, commitment="won")
    assert visit.status == VisitStatus.PLANNED
    assert not visit.effective


def test_changed_settings_apply_on_the_next_save(company):
    visit = recorded(_visit(company), recorded_days_after=5)
    assert not visit.effective
    settings = CompanySettings.current()
    settings.visit_record_within_days = 7
    settings.save()
    visit.save()
    assert visit.effective
    settings.visit_requires_objective = True
    settings.visit_record_within_days = 3
    settings.save()
    visit.objective = ""
    visit.save()
    assert visit.explain_effective().reasons == ("recorded_late", "no_objective")
    settings.visit_record_within_days = 10
    settings.visit_requires_objective = False
    settings.save()
    visit.save()
    assert visit.effective


def test_a_record_dated_before_the_visit_counts_as_on_time(company):
    visit = _visit(company)
    visit = recorded(visit, recorded_days_after=0)
    visit.visited_on = visit.visited_on + timedelta(days=1)
    visit.save()
    assert visit.effective


def test_the_verdict_in_words(company, settings):
    settings.LANGUAGE_CODE = "en"
    from django.utils import translation

    with translation.override("en"):
        late = effective_lines(recorded(_visit(company, objective=""), recorded_days_after=4))
        assert not late["effective"]
        texts = [text for _ok, text in late["lines"]]
        assert texts[0] == "Recorded 4 days after the visit (the rule allows 3 days)."
        assert [ok for ok, _t in late["lines"]] == [False, False, True]
        good = effective_lines(recorded(_visit(company), recorded_days_after=1))
        assert good["effective"] and all(ok for ok, _t in good["lines"])
