from decimal import Decimal

import pytest

from winroom.methodology.canvas import (
    LAYERS,
    CanvasElement,
    Gap,
    Layer,
    explain_canvas,
    layer_of,
)
from winroom.methodology.errors import MethodologyError

D = Decimal
E = CanvasElement


def all_nine(value: int) -> dict[str, int | None]:
    return {e.value: value for e in CanvasElement}


def test_nine_elements_in_three_layers():
    assert [e.value for e in CanvasElement] == [
        "strategy",
        "relationship",
        "communication",
        "solution",
        "process",
        "systems",
        "talent",
        "structure",
        "knowledge",
    ]
    assert [layer.value for layer in Layer] == ["planning", "execution", "resources"]
    assert [e for elements in LAYERS.values() for e in elements] == list(CanvasElement)


@pytest.mark.parametrize(
    ("element", "layer"),
    [
        ("strategy", Layer.PLANNING),
        ("communication", Layer.PLANNING),
        ("solution", Layer.EXECUTION),
        ("systems", Layer.EXECUTION),
        ("talent", Layer.RESOURCES),
        (E.KNOWLEDGE, Layer.RESOURCES),
    ],
)
def test_layer_of(element, layer):
    assert layer_of(element) == layer


def test_layer_of_unknown():
    with pytest.raises(MethodologyError):
        layer_of("culture")


def test_fit_means():
    ours = {
        "strategy": 5,
        "relationship": 4,
        "communication": 4,  # planning 13/3 = 4.33 → 4.3
        "solution": 3,
        "process": 3,
        "systems": 2,  # execution 8/3 = 2.67 → 2.7
        "talent": 1,
        "structure": 2,
        "knowledge": 2,  # resources 5/3 = 1.67 → 1.7
    }
    result = explain_canvas(ours)
    assert result.our_fit == D("2.9")  # 26 / 9 = 2.888…
    assert result.our_layers == {
        "planning": D("4.3"),
        "execution": D("2.7"),
        "resources": D("1.7"),
    }


def test_no_customer_answers():
    result = explain_canvas(all_nine(3))
    assert result.our_fit == D("3.0")
    assert result.customer_fit is None
    assert result.customer_layers == {"planning": None, "execution": None, "resources": None}
    assert result.gaps == ()
    assert result.theirs is None


def test_customer_canvas_with_no_answer():
    result = explain_canvas(all_nine(3), {})
    assert result.customer_fit is None
    assert result.theirs == {e.value: None for e in CanvasElement}
    assert result.gaps == ()


def test_missing_answers_are_left_out_of_the_means():
    result = explain_canvas({"strategy": 5, "relationship": None, "talent": 2})
    assert result.our_fit == D("3.5")
    assert result.our_layers == {"planning": D("5.0"), "execution": None, "resources": D("2.0")}
    assert result.ours["relationship"] is None
    assert result.ours["process"] is None
    assert list(result.ours) == [e.value for e in CanvasElement]


def test_nothing_answered():
    result = explain_canvas({})
    assert result.our_fit is None
    assert result.our_layers == {"planning": None, "execution": None, "resources": None}


def test_half_up_rounding():
    # (1 + 2) / 2 = 1.5; (2 + 3 + 3 + 3) / 4 = 2.75 → 2.8
    assert explain_canvas({"strategy": 1, "solution": 2}).our_fit == D("1.5")
    assert explain_canvas({"strategy": 2, "solution": 3, "talent": 3, "process": 3}).our_fit == D(
        "2.8"
    )


def test_gaps_largest_first_ties_in_canvas_order():
    ours = {"strategy": 5, "relationship": 2, "solution": 4, "systems": 1, "talent": 3}
    theirs = {"strategy": 1, "relationship": 4, "solution": 2, "systems": 3, "talent": 2}
    result = explain_canvas(ours, theirs)
    assert result.gaps == (
        Gap("strategy", "planning", 5, 1, 4),
        Gap("relationship", "planning", 2, 4, -2),
        Gap("solution", "execution", 4, 2, 2),
        Gap("systems", "execution", 1, 3, -2),
    )
    assert result.customer_fit == D("2.4")  # 12 / 5


@pytest.mark.parametrize(
    ("ours", "theirs", "threshold", "gap"),
    [
        (3, 3, 2, False),
        (3, 4, 2, False),  # difference 1 < 2
        (3, 5, 2, True),  # exactly the threshold
        (5, 3, 2, True),
        (3, 4, 1, True),
        (1, 4, 4, False),
        (1, 5, 4, True),
        (5, 1, 3, True),
    ],
)
def test_gap_threshold(ours, theirs, threshold, gap):
    result = explain_canvas({"process": ours}, {"process": theirs}, gap_threshold=threshold)
    assert bool(result.gaps) is gap
    assert result.gap_threshold == threshold


def test_gap_needs_both_answers():
    result = explain_canvas({"strategy": 5, "solution": None}, {"strategy": None, "solution": 1})
    assert result.gaps == ()


def test_customer_layers():
    theirs = {"strategy": 2, "relationship": 3, "knowledge": 5}
    result = explain_canvas(all_nine(4), theirs)
    assert result.customer_layers == {
        "planning": D("2.5"),
        "execution": None,
        "resources": D("5.0"),
    }
    assert result.customer_fit == D("3.3")


@pytest.mark.parametrize(
    ("ours", "theirs"),
    [
        ({"culture": 3}, None),
        ({"strategy": 0}, None),
        ({"strategy": 6}, None),
        ({"strategy": 3.5}, None),
        ({"strategy": True}, None),
        ({"strategy": "3"}, None),
        ({}, {"strategy": 9}),
        ({}, {"vision": 2}),
    ],
)
def test_invalid_answers(ours, theirs):
    with pytest.raises(MethodologyError):
        explain_canvas(ours, theirs)


@pytest.mark.parametrize("threshold", [0, 5, -1, True, 2.0])
def test_invalid_threshold(threshold):
    with pytest.raises(MethodologyError):
        explain_canvas({}, None, threshold)


@pytest.mark.parametrize("value", [1, 2, 3, 4, 5])
def test_every_valid_value(value):
    assert explain_canvas(all_nine(value)).our_fit == D(value).quantize(D("0.1"))
