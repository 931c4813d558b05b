"""Annual account plan (年度客户经营计划), METHODOLOGY §1.6: the whitespace matrix and the
progress of the plan's actions.

"Which of them we can serve (whitespace: our product lines × their business units, owned /
in progress / open / not relevant) … named actions with owners and dates."

Decisions the text leaves open:

- A cell somebody set keeps its state. A cell nobody set is *suggested* from the account's
  deals: a product line in a won deal → owned; else in an open deal → in progress; else
  open. Deals do not say which business unit they served, so a suggestion is the same for
  every business unit of a product line; the person overrides it cell by cell.
- Coverage counts the cells' (set or suggested) states; "not relevant" cells leave the
  denominator of the share owned, since they are not whitespace at all.
- An action is overdue when it is open and its due date is before today (due today is not
  overdue yet).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum

from .errors import MethodologyError


class CellState(StrEnum):
    OWNED = "owned"
    IN_PROGRESS = "in_progress"
    OPEN = "open"
    NOT_RELEVANT = "not_relevant"


@dataclass(frozen=True)
class Cell:
    """One cell of the matrix: its state and whether it was suggested (not set by a person)."""

    unit: int
    line: int
    state: CellState
    suggested: bool


def suggest_state(line: int, *, won_lines: Iterable[int], open_lines: Iterable[int]) -> CellState:
    """The state a cell of product line ``line`` gets from the account's deals."""
    if line in set(won_lines):
        return CellState.OWNED
    if line in set(open_lines):
        return CellState.IN_PROGRESS
    return CellState.OPEN


def whitespace(
    units: Iterable[int],
    lines: Iterable[int],
    *,
    stored: Mapping[tuple[int, int], str],
    won_lines: Iterable[int] = (),
    open_lines: Iterable[int] = (),
) -> list[list[Cell]]:
    """The matrix, one row per business unit (in the order given), one cell per product line.

    ``stored`` maps ``(unit, line)`` to the state a person set; unknown states raise.
    """
    won, in_progress = frozenset(won_lines), frozenset(open_lines)
    line_list = list(lines)
    rows: list[list[Cell]] = []
    for unit in units:
        row: list[Cell] = []
        for line in line_list:
            given = stored.get((unit, line))
            if given is None:
                state = suggest_state(line, won_lines=won, open_lines=in_progress)
                row.append(Cell(unit, line, state, suggested=True))
                continue
            try:
                row.append(Cell(unit, line, CellState(given), suggested=False))
            except ValueError:
                raise MethodologyError(f"unknown whitespace state {given!r}") from None
        rows.append(row)
    return rows


@dataclass(frozen=True)
class Coverage:
    """How many cells are in each state, and the share owned of the relevant cells."""

    counts: dict[str, int] = field(hash=False)
    relevant: int
    #: owned ÷ relevant cells as a percentage (0.1), None when no cell is relevant
    owned_share: Decimal | None


def coverage(matrix: Iterable[Iterable[Cell]]) -> Coverage:
    counts = {state.value: 0 for state in CellState}
    for row in matrix:
        for cell in row:
            counts[cell.state.value] += 1
    relevant = sum(counts.values()) - counts[CellState.NOT_RELEVANT.value]
    share = None
    if relevant:
        share = (Decimal(100) * counts[CellState.OWNED.value] / relevant).quantize(
            Decimal("0.1"), rounding=ROUND_HALF_UP
        )
    return Coverage(counts=counts, relevant=relevant, owned_share=share)


@dataclass(frozen=True)
class PlanAction:
    """What progress needs of an action: whether it is done and when it is due."""

    done: bool
    due_on: date


@dataclass(frozen=True)
class Progress:
    done: int
    total: int
    overdue: int

    @property
    def percent(self) -> int | None:
        """Done ÷ total, whole percent rounded half up; None without actions."""
        if not self.total:
            return None
        value = Decimal(100 * self.done) / self.total
        return int(value.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def is_overdue(action: PlanAction, today: date) -> bool:
    return not action.done and action.due_on < today


def progress(actions: Iterable[PlanAction], today: date) -> Progress:
    """Done / total and how many open actions are past their due date."""
    items = list(actions)
    return Progress(
        done=sum(a.done for a in items),
        total=len(items),
        overdue=sum(is_overdue(a, today) for a in items),
    )
