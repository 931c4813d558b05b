"""Trees the product keeps: the team hierarchy and reporting lines between contacts."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from .errors import MethodologyError


def team_subtree(parent_of: Mapping[int, int | None], roots: Iterable[int]) -> frozenset[int]:
    """All teams at or below ``roots`` in the team tree ``parent_of`` (team → parent team).

    A cycle in the data (which the application refuses to save) must not hang a request, so
    each team is visited once; an unknown root is an error.
    """
    children: dict[int, list[int]] = {}
    for team, parent in parent_of.items():
        if parent is not None:
            children.setdefault(parent, []).append(team)
    seen: set[int] = set()
    stack = list(roots)
    for root in stack:
        if root not in parent_of:
            raise MethodologyError(f"unknown team {root}")
    while stack:
        team = stack.pop()
        if team in seen:
            continue
        seen.add(team)
        stack.extend(children.get(team, ()))
    return frozenset(seen)


def would_create_cycle(
    parent_of: Mapping[int, int | None], child: int, new_parent: int | None
) -> bool:
    """Whether making ``new_parent`` the parent of ``child`` closes a loop.

    Serves every tree the product keeps: teams, and reporting lines between contacts.
    """
    if new_parent is None:
        return False
    node: int | None = new_parent
    seen: set[int] = set()
    while node is not None:
        if node == child:
            return True
        if node in seen:  # an existing loop elsewhere; not one this edit makes
            return False
        seen.add(node)
        node = parent_of.get(node)
    return False
