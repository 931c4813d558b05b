from decimal import Decimal

import pytest

from winroom.methodology.errors import MethodologyError
from winroom.methodology.forecast_rollup import (
    DELTA,
    OVERRIDE,
    Adjustment,
    Node,
    latest,
    rollup,
)

D = Decimal


def tree(**adjustments):
    """hq → east (rep a, rep b), west (rep c)."""
    nodes = [
        Node("hq", None),
        Node("east", "hq"),
        Node("west", "hq"),
        Node("a", "east", D(100)),
        Node("b", "east", D(50)),
        Node("c", "west", D(30)),
    ]
    return [Node(n.key, n.parent, n.computed, adjustments.get(n.key)) for n in nodes]


def test_without_adjustments_adjusted_equals_computed():
    result = rollup(tree())
    assert result["hq"].computed == result["hq"].adjusted == D(180)
    assert result["east"].computed == D(150)
    assert not result["hq"].adjusted_below


def test_a_delta_low_in_the_tree_carries_up():
    result = rollup(tree(a=Adjustment(DELTA, D(-40))))
    assert result["a"].adjusted == D(60)
    assert result["east"].adjusted == D(110)
    assert result["hq"].adjusted == D(140)
    assert result["hq"].computed == D(180)
    assert result["hq"].adjusted_below


def test_an_override_replaces_everything_beneath():
    result = rollup(tree(a=Adjustment(DELTA, D(-40)), east=Adjustment(OVERRIDE, D(200))))
    assert result["east"].adjusted == D(200)
    assert result["hq"].adjusted == D(230)


def test_a_delta_never_takes_a_node_below_zero():
    assert rollup(tree(c=Adjustment(DELTA, D(-100))))["c"].adjusted == 0


def test_parent_outside_the_nodes_makes_a_root():
    result = rollup([Node("x", "missing", D(5))])
    assert result["x"].adjusted == D(5)


def test_refusals():
    with pytest.raises(MethodologyError):
        Adjustment("guess", D(1))
    with pytest.raises(MethodologyError):
        Adjustment(OVERRIDE, D(-1))
    with pytest.raises(MethodologyError):
        rollup([Node("a", None), Node("a", None)])
    with pytest.raises(MethodologyError):
        rollup([Node("a", "b"), Node("b", "a")])
    with pytest.raises(MethodologyError):
        rollup([Node("a", None, D(-1))])


def test_latest_adjustment_wins():
    first, second = Adjustment(DELTA, D(1)), Adjustment(OVERRIDE, D(2))
    assert latest([("a", first), ("a", second), ("b", first)]) == {"a": second, "b": first}
