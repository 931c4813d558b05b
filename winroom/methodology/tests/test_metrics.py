import math

import pytest

from winroom.methodology import metrics
from winroom.methodology.errors import MethodologyError


def test_auc_perfect_reversed_and_coin():
    assert metrics.auc([0.9, 0.8, 0.2, 0.1], [1, 1, 0, 0]) == 1.0
    assert metrics.auc([0.1, 0.2, 0.8, 0.9], [1, 1, 0, 0]) == 0.0
    assert metrics.auc([0.5, 0.5, 0.5, 0.5], [1, 0, 1, 0]) == 0.5


def test_auc_counts_ties_as_half():
    # pairs (won, lost): (0.8, 0.3) 1, (0.8, 0.8) ½, (0.3, 0.3) ½, (0.3, 0.8) 0 → 2 / 4
    assert metrics.auc([0.8, 0.3, 0.3, 0.8], [1, 1, 0, 0]) == 0.5
    assert metrics.auc([0.7, 0.4, 0.4], [1, 1, 0]) == 0.75


def test_auc_accepts_any_scores_and_booleans():
    assert metrics.auc([12, -3, 40], [True, False, True]) == 1.0


def test_auc_is_undefined_with_one_class_or_no_data():
    assert metrics.auc([0.2, 0.9], [1, 1]) is None
    assert metrics.auc([0.2, 0.9], [0, 0]) is None
    assert metrics.auc([], []) is None


def test_brier_and_log_loss():
    assert metrics.brier([1, 0], [1, 0]) == 0
    assert metrics.brier([0.5, 0.5], [1, 0]) == 0.25
    assert metrics.brier([0.8, 0.3, 0.6], [1, 0, 0]) == pytest.approx(0.49 / 3)
    assert metrics.log_loss([0.5, 0.5], [1, 0]) == pytest.approx(math.log(2))
    assert metrics.log_loss([0.8, 0.3], [1, 0]) == pytest.approx(
        -(math.log(0.8) + math.log(0.7)) / 2
    )


def test_log_loss_clips_a_certain_mistake():
    value = metrics.log_loss([0.0, 1.0], [1, 0])
    assert value == pytest.approx(-math.log(metrics.EPSILON), rel=1e-3)
    assert math.isfinite(value)
    assert metrics.log_loss([1.0, 0.0], [1, 0]) == pytest.approx(0, abs=1e-12)


def test_empty_input_is_no_score():
    assert metrics.brier([], []) is None
    assert metrics.log_loss([], []) is None
    assert metrics.base_rate([]) is None
    assert metrics.expected_calibration_error([], []) is None
    assert metrics.mean([None, None]) is None
    assert metrics.mean([0.2, None, 0.4]) == pytest.approx(0.3)


@pytest.mark.parametrize(
    ("probabilities", "outcomes"),
    [
        ([0.5], [1, 0]),  # unpaired
        ([1.2], [1]),  # not a probability
        ([-0.1], [0]),
        ([float("nan")], [1]),
        ([0.5], [2]),  # not an outcome
        ([0.5], [None]),
    ],
)
def test_bad_inputs_are_refused(probabilities, outcomes):
    with pytest.raises(MethodologyError):
        metrics.brier(probabilities, outcomes)


def test_auc_refuses_infinite_scores():
    with pytest.raises(MethodologyError):
        metrics.auc([float("inf"), 0.1], [1, 0])


def test_calibration_by_decile_keeps_empty_bands_and_the_top_edge():
    table = metrics.calibration_by_decile([0.05, 0.15, 0.15, 1.0, 0.95, 0.1], [0, 1, 0, 1, 1, 0])
    assert len(table) == 10
    assert (table[0].count, table[0].won, table[0].observed) == (1, 0, 0.0)
    assert table[1].count == 3  # 0.1 belongs to [0.1, 0.2)
    assert table[1].mean_predicted == pytest.approx((0.15 + 0.15 + 0.1) / 3)
    assert table[1].observed == pytest.approx(1 / 3)
    assert table[5].count == 0 and table[5].mean_predicted is None and table[5].gap is None
    assert (table[9].count, table[9].won) == (2, 2)
    assert table[9].gap == pytest.approx(1 - 0.975)
    with pytest.raises(MethodologyError):
        metrics.calibration_by_decile([0.5], [1], bands=0)


def test_expected_calibration_error():
    # one band [0.2, 0.3): mean 0.25, observed 0.5 → 0.25
    assert metrics.expected_calibration_error([0.25] * 4, [1, 1, 0, 0]) == pytest.approx(0.25)
    assert metrics.expected_calibration_error([0.0, 1.0], [0, 1]) == pytest.approx(0.0)


def test_evaluate_gathers_everything():
    result = metrics.evaluate([0.9, 0.1, 0.6, 0.4], [1, 0, 1, 0])
    assert (result.count, result.won, result.auc) == (4, 2, 1.0)
    assert result.brier == pytest.approx((0.01 + 0.01 + 0.16 + 0.16) / 4)
    assert len(result.calibration) == 10
    assert metrics.base_rate([1, 0, 0, 0]) == 0.25
