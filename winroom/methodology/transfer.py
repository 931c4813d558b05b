"""Transfer of a leaving rep's records, METHODOLOGY §1.6.

"Relationships belong to the company: when a rep leaves, a manager transfers all their
accounts, deals and open actions in one step, with history kept."

:func:`plan_transfer` only plans: every record owned by the leaving user goes to the
successor named for its kind, else to the default successor; with neither it is listed as
unassigned (the caller decides whether to refuse the step). Records of other owners are
left alone. The caller applies the plan in one transaction and keeps the history.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from types import MappingProxyType
from typing import NamedTuple

from .errors import MethodologyError


class TransferKind(StrEnum):
    """The record kinds METHODOLOGY names; other kind codes are accepted as given."""

    ACCOUNT = "account"
    DEAL = "deal"
    ACTION = "action"


def _user_id(value: object, label: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise MethodologyError(f"{label} must be an integer user id")
    return value


@dataclass(frozen=True)
class TransferItem:
    """A record that may change hands: its kind code, its id and its current owner."""

    kind: str
    record_id: int
    owner_id: int

    def __post_init__(self) -> None:
        if not self.kind.strip():
            raise MethodologyError("a record needs a kind")
        if isinstance(self.record_id, bool) or not isinstance(self.record_id, int):
            raise MethodologyError("record_id must be an integer")
        _user_id(self.owner_id, "owner_id")


class Move(NamedTuple):
    """One planned change of owner."""

    kind: str
    record_id: int
    new_owner: int


@dataclass(frozen=True)
class TransferPlan:
    """The moves in the order the records were given, and the leaving user's records no
    successor was named for."""

    leaving_user_id: int
    moves: tuple[Move, ...]
    unassigned: tuple[TransferItem, ...]
    successors: Mapping[str, int] = field(hash=False)
    default_successor: int | None

    @property
    def complete(self) -> bool:
        """Every record of the leaving user has a new owner."""
        return not self.unassigned

    def moves_by_owner(self) -> dict[int, tuple[Move, ...]]:
        """The moves grouped by new owner (owners in order of first appearance)."""
        grouped: dict[int, list[Move]] = {}
        for move in self.moves:
            grouped.setdefault(move.new_owner, []).append(move)
        return {owner: tuple(moves) for owner, moves in grouped.items()}


def plan_transfer(
    records: Iterable[TransferItem],
    *,
    leaving_user_id: int,
    successors: Mapping[str, int],
    default_successor: int | None = None,
) -> TransferPlan:
    """Plan the hand-over of ``leaving_user_id``'s records (see the module docstring).

    A successor (per kind or default) equal to the leaving user raises, as does the same
    record (kind and id) given twice.
    """
    leaving = _user_id(leaving_user_id, "leaving_user_id")
    named: dict[str, int] = {}
    for kind, successor in successors.items():
        if not kind.strip():
            raise MethodologyError("a successor needs a record kind")
        named[kind] = _user_id(successor, f"successor for {kind!r}")
        if successor == leaving:
            raise MethodologyError(f"the successor for {kind!r} is the leaving user")
    if default_successor is not None:
        _user_id(default_successor, "default_successor")
        if default_successor == leaving:
            raise MethodologyError("the default successor is the leaving user")

    seen: set[tuple[str, int]] = set()
    moves: list[Move] = []
    unassigned: list[TransferItem] = []
    for record in records:
        key = (record.kind, record.record_id)
        if key in seen:
            raise MethodologyError(f"record {record.kind} {record.record_id} given twice")
        seen.add(key)
        if record.owner_id != leaving:
            continue
        new_owner = named.get(record.kind, default_successor)
        if new_owner is None:
            unassigned.append(record)
        else:
            moves.append(Move(record.kind, record.record_id, new_owner))
    return TransferPlan(
        leaving_user_id=leaving,
        moves=tuple(moves),
        unassigned=tuple(unassigned),
        successors=MappingProxyType(named),
        default_successor=default_successor,
    )
