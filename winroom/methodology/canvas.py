"""Triple-fit canvas (三重匹配画布), METHODOLOGY §1.6.

"Nine elements in three layers, each scored 1–5 by us and (optionally) by the customer:
planning — strategy (战略), relationship (关系), communication (沟通); execution — solution
(解决方案), process (流程), systems (体系); resources — talent (人才), structure (结构),
knowledge (知识). Overall fit = mean (1–5). A large gap between our score and the
customer's on an element marks where the relationship must improve."

Decisions the text leaves open:

- Means are taken over the answered elements only and quantized to 0.1 (half up); nothing
  answered → ``None`` (never 0, which is not on the 1–5 scale).
- A gap needs both sides answered and ``|ours − theirs| ≥ gap_threshold`` (default 2).
  ``difference`` is signed, ``ours − theirs`` (positive: we rate the fit higher than the
  customer does). Gaps are listed largest absolute difference first, ties in canvas order.
- Short-term and long-term fit are two canvases; the caller explains each.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum

from .errors import MethodologyError

SCORE_MIN = 1
SCORE_MAX = 5
FIT_QUANTUM = Decimal("0.1")
DEFAULT_GAP_THRESHOLD = 2


class CanvasElement(StrEnum):
    """The nine elements, in canvas order."""

    STRATEGY = "strategy"
    RELATIONSHIP = "relationship"
    COMMUNICATION = "communication"
    SOLUTION = "solution"
    PROCESS = "process"
    SYSTEMS = "systems"
    TALENT = "talent"
    STRUCTURE = "structure"
    KNOWLEDGE = "knowledge"


class Layer(StrEnum):
    PLANNING = "planning"
    EXECUTION = "execution"
    RESOURCES = "resources"


LAYERS: dict[Layer, tuple[CanvasElement, ...]] = {
    Layer.PLANNING: (
        CanvasElement.STRATEGY,
        CanvasElement.RELATIONSHIP,
        CanvasElement.COMMUNICATION,
    ),
    Layer.EXECUTION: (CanvasElement.SOLUTION, CanvasElement.PROCESS, CanvasElement.SYSTEMS),
    Layer.RESOURCES: (CanvasElement.TALENT, CanvasElement.STRUCTURE, CanvasElement.KNOWLEDGE),
}


def layer_of(element: str) -> Layer:
    """The layer holding ``element``; an unknown element raises."""
    target = _element(element)
    return next(layer for layer, elements in LAYERS.items() if target in elements)


def _element(key: str) -> CanvasElement:
    try:
        return CanvasElement(key)
    except ValueError:
        raise MethodologyError(f"unknown canvas element {key!r}") from None


def _answers(scores: Mapping[str, int | None], label: str) -> dict[str, int | None]:
    """All nine elements in canvas order (absent keys → None), validated."""
    given: dict[CanvasElement, int | None] = {}
    for key, value in scores.items():
        element = _element(key)
        if value is not None and (
            isinstance(value, bool)
            or not isinstance(value, int)
            or not SCORE_MIN <= value <= SCORE_MAX
        ):
            raise MethodologyError(f"{label}: {element.value} must be an integer from 1 to 5")
        given[element] = value
    return {element.value: given.get(element) for element in CanvasElement}


def _mean(values: list[int | None]) -> Decimal | None:
    answered = [v for v in values if v is not None]
    if not answered:
        return None
    mean = Decimal(sum(answered)) / len(answered)
    return mean.quantize(FIT_QUANTUM, rounding=ROUND_HALF_UP)


def _layer_means(answers: Mapping[str, int | None]) -> dict[str, Decimal | None]:
    return {
        layer.value: _mean([answers[e.value] for e in elements])
        for layer, elements in LAYERS.items()
    }


@dataclass(frozen=True)
class Gap:
    """An element where the two sides disagree by at least the threshold;
    ``difference`` = ours − theirs."""

    element: str
    layer: str
    ours: int
    theirs: int
    difference: int


@dataclass(frozen=True)
class CanvasResult:
    """Overall and per-layer fit for both sides, the gaps, and the normalised answers."""

    our_fit: Decimal | None
    #: None when the customer gave no canvas or answered nothing
    customer_fit: Decimal | None
    #: layer code → mean of our answered elements in it (None: none answered)
    our_layers: dict[str, Decimal | None] = field(hash=False)
    customer_layers: dict[str, Decimal | None] = field(hash=False)
    gaps: tuple[Gap, ...]
    #: element code → score or None, all nine in canvas order
    ours: dict[str, int | None] = field(hash=False)
    #: None when the customer gave no canvas
    theirs: dict[str, int | None] | None = field(hash=False)
    gap_threshold: int


def explain_canvas(
    ours: Mapping[str, int | None],
    theirs: Mapping[str, int | None] | None = None,
    gap_threshold: int = DEFAULT_GAP_THRESHOLD,
) -> CanvasResult:
    """Fit means and gaps of a canvas (see the module docstring). Keys are element codes;
    absent keys are unanswered. Unknown elements, values outside 1–5 and a threshold
    outside 1–4 raise."""
    if (
        isinstance(gap_threshold, bool)
        or not isinstance(gap_threshold, int)
        or not 1 <= gap_threshold <= SCORE_MAX - SCORE_MIN
    ):
        raise MethodologyError("gap_threshold must be an integer from 1 to 4")
    our_answers = _answers(ours, "ours")
    their_answers = None if theirs is None else _answers(theirs, "theirs")

    gaps: list[Gap] = []
    if their_answers is not None:
        for element in CanvasElement:
            a, b = our_answers[element.value], their_answers[element.value]
            if a is not None and b is not None and abs(a - b) >= gap_threshold:
                gaps.append(Gap(element.value, layer_of(element).value, a, b, a - b))
    gaps.sort(key=lambda gap: -abs(gap.difference))  # stable: ties keep canvas order

    empty: dict[str, Decimal | None] = {layer.value: None for layer in Layer}
    return CanvasResult(
        our_fit=_mean(list(our_answers.values())),
        customer_fit=None if their_answers is None else _mean(list(their_answers.values())),
        our_layers=_layer_means(our_answers),
        customer_layers=empty if their_answers is None else _layer_means(their_answers),
        gaps=tuple(gaps),
        ours=our_answers,
        theirs=their_answers,
        gap_threshold=gap_threshold,
    )
