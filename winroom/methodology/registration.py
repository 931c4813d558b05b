"""Partner deal registration (报备), METHODOLOGY §2.2.

E deals are led by a partner, who registers the account and product line. A manager
approves or rejects the registration; an approved one is protected for a period (default 90
days) during which no other partner can register the same account and product line.
A registration still waiting for a decision also blocks a second one, so two partners never
race for the same opening.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from .errors import MethodologyError

DEFAULT_PROTECTION_DAYS = 90


class RegistrationStatus(StrEnum):
    SUBMITTED = "submitted"
    APPROVED = "approved"
    REJECTED = "rejected"


@dataclass(frozen=True)
class Registration:
    """What the rule needs of a registration already on file."""

    account_id: int
    product_line_id: int
    partner: str
    status: RegistrationStatus
    protected_until: date | None = None
    registration_id: int | None = None


@dataclass(frozen=True)
class RegistrationDecision:
    allowed: bool
    holder: Registration | None = None
    reason: str = "free"  # free | protected | pending | same_partner


def protection_end(approved_on: date, days: int = DEFAULT_PROTECTION_DAYS) -> date:
    if days < 1:
        raise MethodologyError("the protection period must be at least one day")
    return approved_on + timedelta(days=days)


def check_registration(
    *,
    account_id: int,
    product_line_id: int,
    partner: str,
    existing: Iterable[Registration],
    today: date,
) -> RegistrationDecision:
    """May ``partner`` register this account and product line today?

    Refused while another partner holds an approved registration whose protection has not
    ended (the last protected day still counts), or has one waiting for a decision. The same
    partner registering again is refused too (reason ``same_partner``): one registration at a
    time. Rejected and expired registrations block nobody.
    """
    name = " ".join(partner.split()).casefold()
    if not name:
        raise MethodologyError("a registration needs a partner")
    for held in existing:
        if held.account_id != account_id or held.product_line_id != product_line_id:
            continue
        if held.status == RegistrationStatus.REJECTED:
            continue
        if held.status == RegistrationStatus.APPROVED and (
            held.protected_until is None or held.protected_until < today
        ):
            continue
        same = " ".join(held.partner.split()).casefold() == name
        if same:
            return RegistrationDecision(False, held, "same_partner")
        reason = "pending" if held.status == RegistrationStatus.SUBMITTED else "protected"
        return RegistrationDecision(False, held, reason)
    return RegistrationDecision(True)
