from datetime import date
from decimal import Decimal

import pytest

from winroom.methodology.account_plan import (
    Cell,
    CellState,
    PlanAction,
    coverage,
    is_overdue,
    progress,
    suggest_state,
    whitespace,
)
from winroom.methodology.errors import MethodologyError

TODAY = date(2026, 6, 15)


@pytest.mark.parametrize(
    ("won", "open_", "expected"),
    [
        ({1}, set(), CellState.OWNED),
        (set(), {1}, CellState.IN_PROGRESS),
        ({1}, {1}, CellState.OWNED),  # won beats a new open deal of the same line
        ({2}, {3}, CellState.OPEN),
        (set(), set(), CellState.OPEN),
    ],
)
def test_suggestion_from_deals(won, open_, expected):
    assert suggest_state(1, won_lines=won, open_lines=open_) == expected


def test_a_stored_state_beats_the_suggestion():
    matrix = whitespace(
        [10, 20],
        [1, 2],
        stored={(10, 1): "not_relevant"},
        won_lines=[1],
        open_lines=[2],
    )
    assert matrix == [
        [Cell(10, 1, CellState.NOT_RELEVANT, False), Cell(10, 2, CellState.IN_PROGRESS, True)],
        [Cell(20, 1, CellState.OWNED, True), Cell(20, 2, CellState.IN_PROGRESS, True)],
    ]


def test_empty_matrix():
    assert whitespace([], [1, 2], stored={}) == []
    assert whitespace([1], [], stored={}) == [[]]
    result = coverage([])
    assert result.relevant == 0 and result.owned_share is None


def test_unknown_state_raises():
    with pytest.raises(MethodologyError):
        whitespace([1], [1], stored={(1, 1): "maybe"})


def test_coverage_leaves_not_relevant_cells_out():
    matrix = whitespace(
        [1, 2],
        [1, 2, 3],
        stored={(1, 1): "owned", (1, 2): "not_relevant", (2, 3): "not_relevant"},
    )
    result = coverage(matrix)
    assert result.counts == {"owned": 1, "in_progress": 0, "open": 3, "not_relevant": 2}
    assert result.relevant == 4
    assert result.owned_share == Decimal("25.0")


def test_all_not_relevant_has_no_share():
    matrix = whitespace([1], [1], stored={(1, 1): "not_relevant"})
    assert coverage(matrix).owned_share is None


def test_progress_and_overdue():
    actions = [
        PlanAction(done=True, due_on=date(2026, 1, 1)),  # done late: not overdue
        PlanAction(done=False, due_on=date(2026, 6, 14)),  # yesterday: overdue
        PlanAction(done=False, due_on=TODAY),  # due today: not yet
        PlanAction(done=False, due_on=date(2026, 7, 1)),
    ]
    result = progress(actions, TODAY)
    assert (result.done, result.total, result.overdue) == (1, 4, 1)
    assert result.percent == 25
    assert is_overdue(actions[1], TODAY) and not is_overdue(actions[2], TODAY)


def test_progress_without_actions():
    result = progress([], TODAY)
    assert (result.done, result.total, result.overdue, result.percent) == (0, 0, 0, None)


def test_percent_rounds_half_up():
    actions = [PlanAction(done=i < 1, due_on=TODAY) for i in range(8)]  # 12.5 %
    assert progress(actions, TODAY).percent == 13
