import pytest

from winroom.methodology.errors import MethodologyError
from winroom.methodology.health import DEFAULT_STANDARDS, INDICATORS
from winroom.methodology.learned_standards import (
    REASON_ALREADY_STANDARD,
    REASON_NO_DIFFERENCE,
    REASON_PROPOSED,
    REASON_TOO_FEW_DEALS,
    StageObservation,
    learn_standards,
    lower_quartile,
)


def _values(**overrides):
    values = {i.value: 50 for i in INDICATORS}
    values.update(overrides)
    return values


def _observations(stage, won_coverage, lost_coverage, roles=frozenset()):
    rows = [
        StageObservation(stage, True, _values(decision_maker_coverage=v), roles)
        for v in won_coverage
    ]
    rows += [
        StageObservation(stage, False, _values(decision_maker_coverage=v)) for v in lost_coverage
    ]
    return rows


def test_a_standard_is_proposed_from_the_won_deals_lower_quartile():
    won = [100, 100, 75, 75, 75, 75, 50, 100, 75, 75, 100, 75]
    lost = [25, 50, 25, 0, 25, 50, 25, 0, 25, 50]
    result = learn_standards(
        _observations(3, won, lost, frozenset({"approver"})), DEFAULT_STANDARDS, min_deals=10
    )
    coverage = next(e for e in result.indicators if e.indicator == "decision_maker_coverage")
    # sorted won: 50, 75 ×7, 100 ×4; nearest rank ⌈0.25 × 12⌉ = 3 → 75
    assert (coverage.won_count, coverage.lost_count) == (12, 10)
    assert coverage.current == 75
    assert coverage.reason == REASON_ALREADY_STANDARD and coverage.proposed is None
    other = DEFAULT_STANDARDS | {3: {**DEFAULT_STANDARDS[3], "decision_maker_coverage": 50}}
    result = learn_standards(_observations(3, won, lost), other, min_deals=10)
    coverage = next(e for e in result.indicators if e.indicator == "decision_maker_coverage")
    assert (coverage.reason, coverage.proposed) == (REASON_PROPOSED, 75)
    assert result.proposals == (coverage,)
    # the other indicators are 50 for everyone: no difference, no proposal
    urgency = next(e for e in result.indicators if e.indicator == "urgency")
    assert urgency.reason == REASON_NO_DIFFERENCE


def test_too_few_deals_of_one_outcome_proposes_nothing():
    result = learn_standards(_observations(2, [100] * 20, [0] * 3), DEFAULT_STANDARDS)
    assert {e.reason for e in result.indicators} == {REASON_TOO_FEW_DEALS}
    assert result.proposals == ()


def test_role_coverage_per_stage():
    rows = _observations(4, [100] * 4, [0] * 2, roles=frozenset({"approver", "user"}))
    result = learn_standards(rows, DEFAULT_STANDARDS, min_deals=1)
    approver = next(r for r in result.roles if r.role == "approver")
    evaluator = next(r for r in result.roles if r.role == "evaluator")
    assert (approver.stage, approver.won_share, approver.lost_share) == (4, 1.0, 0.0)
    assert evaluator.won_share == 0.0
    assert {e.stage for e in result.indicators} == {4}


def test_rounding_down_to_five_and_quartile_edge_cases():
    assert lower_quartile([7]) == 7
    assert lower_quartile([40, 10, 30, 20]) == 10
    won = [68] * 10
    result = learn_standards(_observations(5, won, [0] * 10), {}, min_deals=10)
    coverage = next(e for e in result.indicators if e.indicator == "decision_maker_coverage")
    assert (coverage.current, coverage.proposed) == (None, 65)
    with pytest.raises(MethodologyError):
        lower_quartile([])


def test_bad_observations_are_refused():
    with pytest.raises(MethodologyError):
        StageObservation(1, True, {"charm": 50})
    with pytest.raises(MethodologyError):
        StageObservation(1, True, {"urgency": 101})
    with pytest.raises(MethodologyError):
        learn_standards([], {}, min_deals=0)
