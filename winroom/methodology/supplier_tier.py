"""Supplier tier with the account (合作关系层级), METHODOLOGY §1.5.

"Five levels: 1 basic product supplier, 2 quality product supplier, 3 personalised service
provider, 4 solution provider (solves today's problems), 5 strategic partner (supports the
customer's future strategy)."

The tier is an integer 1–5 (so tiers compare and sort) with a lowercase code for storage
and translation.
"""

from __future__ import annotations

from enum import IntEnum

from .errors import MethodologyError


class SupplierTier(IntEnum):
    BASIC_PRODUCT = 1
    QUALITY_PRODUCT = 2
    PERSONALISED_SERVICE = 3
    SOLUTION_PROVIDER = 4
    STRATEGIC_PARTNER = 5

    @property
    def code(self) -> str:
        """``basic_product``, ``quality_product``, ``personalised_service``,
        ``solution_provider`` or ``strategic_partner``."""
        return self.name.lower()

    @classmethod
    def from_code(cls, code: str) -> SupplierTier:
        """The tier of a code; an unknown code raises."""
        for tier in cls:
            if tier.code == code:
                return tier
        raise MethodologyError(f"unknown supplier tier {code!r}")


TIER_CODES: tuple[str, ...] = tuple(tier.code for tier in SupplierTier)


def supplier_tier(value: int | str) -> SupplierTier:
    """A tier from its level (1–5, or its digit as text) or its code; anything else raises."""
    if isinstance(value, bool):
        raise MethodologyError("a supplier tier is a level 1–5 or a code")
    if isinstance(value, str):
        text = value.strip()
        if not text.isdecimal():
            return SupplierTier.from_code(text)
        value = int(text)
    if isinstance(value, int):
        try:
            return SupplierTier(value)
        except ValueError:
            raise MethodologyError(f"supplier tier must be from 1 to 5, not {value}") from None
    raise MethodologyError("a supplier tier is a level 1–5 or a code")


def next_tier(tier: SupplierTier) -> SupplierTier | None:
    """The tier above ``tier``; None for a strategic partner."""
    if tier is SupplierTier.STRATEGIC_PARTNER:
        return None
    return SupplierTier(tier + 1)
