from decimal import Decimal

import pytest

from winroom.methodology import forecast
from winroom.methodology.errors import MethodologyError


@pytest.mark.parametrize(
    ("rate", "expected"),
    [
        ("1", "commit"),
        ("0.70", "commit"),
        ("0.6999", "best_case"),
        ("0.40", "best_case"),
        ("0.3999", "pipeline"),
        ("0", "pipeline"),
    ],
)
def test_categories_at_their_edges(rate, expected):
    assert forecast.category(rate) == expected


def test_category_bounds_are_settings():
    assert forecast.category("0.6", commit_from="0.6", best_case_from="0.3") == "commit"
    with pytest.raises(MethodologyError):
        forecast.category("0.5", commit_from="0.3", best_case_from="0.6")
    with pytest.raises(MethodologyError):
        forecast.category("1.5")


def test_weighted_amount():
    assert forecast.weighted("1000000", "0.35") == Decimal("350000.00")
    with pytest.raises(MethodologyError):
        forecast.weighted("-1", "0.5")


def test_brier_score():
    assert forecast.brier_score([]) is None
    assert forecast.brier_score([(1, True), (0, False)]) == 0
    assert forecast.brier_score([("0.5", True), ("0.5", False)]) == Decimal("0.25")
    # (0.8-1)^2=0.04, (0.3-0)^2=0.09, (0.6-0)^2=0.36 → 0.49/3
    assert forecast.brier_score([("0.8", True), ("0.3", False), ("0.6", False)]) == Decimal(
        "0.1633"
    )


def test_calibration_bands_include_the_top_edge_in_the_last_band():
    bands = forecast.calibration(
        [("0.05", False), ("0.15", True), ("0.15", False), ("1", True), ("0.95", True)]
    )
    assert len(bands) == 10
    assert (bands[0].count, bands[0].won, bands[0].won_share) == (1, 0, Decimal("0"))
    assert (bands[1].count, bands[1].mean_predicted, bands[1].won_share) == (
        2,
        Decimal("0.15"),
        Decimal("0.5"),
    )
    assert bands[1].gap == Decimal("0.35")
    assert bands[9].count == 2 and bands[9].won == 2
    assert bands[5].count == 0 and bands[5].mean_predicted is None and bands[5].gap is None


def test_calibration_with_category_bands():
    bands = forecast.calibration([("0.7", True), ("0.39", False)], edges=["0", "0.4", "0.7", "1"])
    assert [b.count for b in bands] == [1, 0, 1]
    with pytest.raises(MethodologyError):
        forecast.calibration([], edges=["0.5", "0.2"])


def test_stage_probabilities_rise_with_the_stage():
    values = [forecast.stage_probability(n) for n in range(1, 8)]
    assert values == sorted(values)
    with pytest.raises(MethodologyError):
        forecast.stage_probability(9)
