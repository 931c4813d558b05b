"""Value arithmetic of the value proposition (价值主张), METHODOLOGY §2.8.

"actual value = product value + value added by the salesperson; customer value = actual
value × customer perception (0–1); a deal makes sense for the customer when customer
value − customer cost > 0."

Money is quantized to 0.01 (half up) at each step, so the shown figures add up.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from .errors import MethodologyError

MONEY_QUANTUM = Decimal("0.01")


def _money(amount: Decimal) -> Decimal:
    return amount.quantize(MONEY_QUANTUM, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class ValueCase:
    """The arithmetic with its inputs: net = customer value − customer cost."""

    product_value: Decimal
    seller_value: Decimal
    perception: Decimal
    customer_cost: Decimal
    actual_value: Decimal
    customer_value: Decimal
    net: Decimal
    #: the customer gains from the deal: net > 0 (exactly 0 is not worth doing)
    worth_doing: bool


def value_case(
    product_value: Decimal,
    seller_value: Decimal,
    perception: Decimal,
    customer_cost: Decimal,
) -> ValueCase:
    """Compute the value case; negative money or a perception outside 0..1 raises."""
    for label, amount in (
        ("product_value", product_value),
        ("seller_value", seller_value),
        ("perception", perception),
        ("customer_cost", customer_cost),
    ):
        if not Decimal(amount).is_finite():
            raise MethodologyError(f"{label} must be a finite number")
        if amount < 0:
            raise MethodologyError(f"{label} cannot be negative")
    if perception > 1:
        raise MethodologyError("perception must be between 0 and 1")
    actual = _money(Decimal(product_value) + Decimal(seller_value))
    customer = _money(actual * Decimal(perception))
    cost = _money(Decimal(customer_cost))
    net = customer - cost
    return ValueCase(
        product_value=_money(Decimal(product_value)),
        seller_value=_money(Decimal(seller_value)),
        perception=Decimal(perception),
        customer_cost=cost,
        actual_value=actual,
        customer_value=customer,
        net=net,
        worth_doing=net > 0,
    )
