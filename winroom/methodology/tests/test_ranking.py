from decimal import Decimal

import pytest

from winroom.methodology import ranking
from winroom.methodology.errors import MethodologyError


@pytest.mark.parametrize(
    ("count", "top", "bottom"),
    [(0, 0, 0), (1, 1, 0), (2, 1, 1), (3, 1, 1), (7, 3, 2), (10, 3, 2), (20, 6, 3), (21, 7, 4)],
)
def test_group_sizes_round_up_with_at_least_one_and_no_one_in_both(count, top, bottom):
    assert ranking.group_sizes(count) == (top, bottom)


def groups(result):
    return [r.group for r in result]


def test_three_reps():
    result = ranking.rank({"a": 50, "b": 90, "c": 70})
    assert [r.key for r in result] == ["b", "c", "a"]
    assert groups(result) == ["top", "middle", "bottom"]


def test_seven_reps():
    result = ranking.rank({f"r{i}": i * 10 for i in range(7)})
    assert groups(result) == ["top"] * 3 + ["middle"] * 2 + ["bottom"] * 2
    assert result[0].key == "r6" and result[-1].key == "r0"


def test_twenty_reps():
    result = ranking.rank({f"r{i:02}": i for i in range(20)})
    assert groups(result).count("top") == 6
    assert groups(result).count("bottom") == 3


def test_ties_keep_the_group_sizes_broken_by_tie_break_then_key_and_are_flagged():
    scores = {"a": 80, "b": 80, "c": 80, "d": 10}
    result = ranking.rank(scores, tie_break={"b": [5], "a": [3], "c": [3]})
    assert [r.key for r in result] == ["b", "a", "c", "d"]
    assert groups(result) == ["top", "top", "middle", "bottom"]  # 4 reps: top 2, bottom 1
    assert [r.tied_across_boundary for r in result] == [False, True, True, False]


def test_all_equal_still_splits_exactly():
    result = ranking.rank(dict.fromkeys("abcdefg", 1))
    assert groups(result).count("top") == 3 and groups(result).count("bottom") == 2


def test_composite_scales_each_metric_to_the_best_and_weights_them():
    scores = ranking.composite_scores(
        {
            "a": {"attainment": 120, "relationship": 40, "visits": 10},
            "b": {"attainment": 60, "relationship": 80, "visits": 0},
        },
        {"attainment": 50, "relationship": 30, "visits": 20},
    )
    by = {s.key: s for s in scores}
    assert by["a"].scaled == {
        "attainment": Decimal("100.00"),
        "relationship": Decimal("50.00"),
        "visits": Decimal("100.00"),
    }
    assert by["a"].composite == Decimal("85.00")  # (100*50 + 50*30 + 100*20) / 100
    assert by["b"].composite == Decimal("55.00")  # (50*50 + 100*30 + 0) / 100


def test_a_metric_nobody_scored_counts_zero_for_all():
    scores = ranking.composite_scores({"a": {"x": 0}, "b": {"x": 0}}, {"x": 1})
    assert {s.composite for s in scores} == {Decimal("0.00")}


def test_weights_must_be_sensible():
    with pytest.raises(MethodologyError):
        ranking.composite_scores({"a": {"x": 1}}, {"x": 0})
    with pytest.raises(MethodologyError):
        ranking.composite_scores({"a": {"x": 1}}, {"x": -1})
    with pytest.raises(MethodologyError):
        ranking.group_sizes(-1)
