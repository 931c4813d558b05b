"""Credit by seller type (销售类型), METHODOLOGY §3.6.

- an **account seller** (客户型, AE) is credited with every booking at an account assigned to them;
- a **solution seller** (方案型, SSP) with bookings of deals containing one of their product
  lines, at the accounts or in the regions they cover;
- a **project seller** (项目型) with the deals they lead.

One booking may credit several sellers, each against their own target; totals for a team or
the company count each booking once (:func:`team_total`).
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable
from dataclasses import dataclass
from decimal import Decimal

ACCOUNT, SOLUTION, PROJECT = "account", "solution", "project"
SELLER_TYPES = (ACCOUNT, SOLUTION, PROJECT)


@dataclass(frozen=True)
class Seller:
    key: Hashable
    type: str
    accounts: frozenset[Hashable] = frozenset()
    regions: frozenset[str] = frozenset()
    product_lines: frozenset[Hashable] = frozenset()


@dataclass(frozen=True)
class Booking:
    key: Hashable
    amount: Decimal
    account: Hashable
    region: str = ""
    product_lines: frozenset[Hashable] = frozenset()
    leader: Hashable | None = None  # who leads the deal (its owner)


@dataclass(frozen=True)
class Credit:
    seller: Hashable
    booking: Hashable
    amount: Decimal
    reason: str  # account, solution, project


def reason(seller: Seller, booking: Booking) -> str | None:
    """Why ``seller`` is credited with ``booking`` (their type), or None."""
    if seller.type == ACCOUNT and booking.account in seller.accounts:
        return ACCOUNT
    covers = booking.account in seller.accounts or (
        bool(booking.region) and booking.region in seller.regions
    )
    if seller.type == SOLUTION and booking.product_lines & seller.product_lines and covers:
        return SOLUTION
    if seller.type == PROJECT and booking.leader == seller.key:
        return PROJECT
    return None


def credits(sellers: Iterable[Seller], bookings: Iterable[Booking]) -> list[Credit]:
    people = list(sellers)
    result = []
    for booking in bookings:
        for seller in people:
            why = reason(seller, booking)
            if why is not None:
                result.append(Credit(seller.key, booking.key, booking.amount, why))
    return result


def credited_totals(items: Iterable[Credit]) -> dict[Hashable, Decimal]:
    """Each seller's credited amount (a booking counts for every seller it credits)."""
    totals: dict[Hashable, Decimal] = {}
    for credit in items:
        totals[credit.seller] = totals.get(credit.seller, Decimal(0)) + credit.amount
    return totals


def team_total(
    items: Iterable[Credit], members: Iterable[Hashable], amounts: dict[Hashable, object]
) -> Decimal:
    """A team's booked total: each booking credited to any member counts once."""
    people = set(members)
    seen = {credit.booking for credit in items if credit.seller in people}
    return sum((Decimal(str(amounts[b])) for b in seen), Decimal(0))
