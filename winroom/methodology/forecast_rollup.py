"""Rolling a forecast up the team tree with managers' adjustments (METHODOLOGY §3.5).

Each node is a person (their own weighted pipeline) or a team (nothing of its own: its
number is its people's and sub-teams'). A manager may adjust any node below them with a
reason, in one of two ways:

- **delta** — add (or take away) an amount to what the node's children add up to;
- **override** — replace the node's number with their own call.

A node's adjusted number is its override if it has one, else its own computed number plus
its children's *adjusted* numbers plus its delta (never below zero). So an adjustment made
low in the tree carries up to every team above it, and an override high up replaces
everything beneath it. The computed number beside it rolls up without any adjustment, so
both are always shown side by side.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal

from .errors import MethodologyError

DELTA, OVERRIDE = "delta", "override"


@dataclass(frozen=True)
class Adjustment:
    kind: str
    amount: Decimal

    def __post_init__(self) -> None:
        if self.kind not in (DELTA, OVERRIDE):
            raise MethodologyError(f"unknown adjustment kind {self.kind!r}")
        if self.kind == OVERRIDE and Decimal(self.amount) < 0:
            raise MethodologyError("an override cannot be negative")


@dataclass(frozen=True)
class Node:
    key: Hashable
    parent: Hashable | None
    computed: Decimal = Decimal(0)
    adjustment: Adjustment | None = None


@dataclass(frozen=True)
class Rolled:
    key: Hashable
    computed: Decimal  # own + children's computed, no adjustment anywhere
    adjusted: Decimal  # with every adjustment at or below this node
    adjustment: Adjustment | None
    adjusted_below: bool  # some node beneath carries an adjustment


def rollup(nodes: Iterable[Node]) -> dict[Hashable, Rolled]:
    """Every node's computed and adjusted numbers. A parent that is not among the nodes
    makes its child a root; a cycle is an error (the application refuses to save one)."""
    by_key: dict[Hashable, Node] = {}
    for node in nodes:
        if node.key in by_key:
            raise MethodologyError(f"node {node.key!r} given twice")
        if Decimal(node.computed) < 0:
            raise MethodologyError("a computed forecast cannot be negative")
        by_key[node.key] = node
    children: dict[Hashable, list[Hashable]] = {}
    for node in by_key.values():
        if node.parent is not None and node.parent in by_key:
            children.setdefault(node.parent, []).append(node.key)
    result: dict[Hashable, Rolled] = {}
    visiting: set[Hashable] = set()

    def visit(key: Hashable) -> Rolled:
        if key in result:
            return result[key]
        if key in visiting:
            raise MethodologyError("the tree has a cycle")
        visiting.add(key)
        node = by_key[key]
        below = [visit(child) for child in children.get(key, ())]
        computed = Decimal(node.computed) + sum((r.computed for r in below), Decimal(0))
        adjusted = Decimal(node.computed) + sum((r.adjusted for r in below), Decimal(0))
        adjustment = node.adjustment
        if adjustment is not None:
            if adjustment.kind == OVERRIDE:
                adjusted = Decimal(adjustment.amount)
            else:
                adjusted += Decimal(adjustment.amount)
        rolled = Rolled(
            key=key,
            computed=computed,
            adjusted=max(adjusted, Decimal(0)),
            adjustment=adjustment,
            adjusted_below=any(r.adjustment is not None or r.adjusted_below for r in below),
        )
        visiting.discard(key)
        result[key] = rolled
        return rolled

    for key in by_key:
        visit(key)
    return result


def latest(adjustments: Iterable[tuple[Hashable, Adjustment]]) -> Mapping[Hashable, Adjustment]:
    """The adjustment that applies per node, from adjustments given oldest first: the last."""
    chosen: dict[Hashable, Adjustment] = {}
    for key, adjustment in adjustments:
        chosen[key] = adjustment
    return chosen
