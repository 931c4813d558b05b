"""Leads (线索) and routing, METHODOLOGY §3.1.

"Lead channels feed a lead pool; screening (SDR) turns a lead into an opportunity or rejects
it. [...] Routing by expected size and type: ≤ CNY 20,000 → online self-service / inside
sales; ≤ CNY 200,000 → standard (transactional) sales; larger, or a solution/strategic need →
key-account team. Leads untouched for N days (default 14) return to the pool. Won customers
go to the customer pool for cross-sell re-activation."

What this module decides:

- the route of a lead (:func:`route_lead`): a solution or strategic need goes to the key-account
  team whatever the size; otherwise the size decides, a size exactly on a bound belonging
  to the *smaller* route (20,000 is self-service, 200,000 is standard); an unknown size goes
  to standard sales, whose screening can size it;
- whether a held lead returns to the pool (:func:`should_recycle`): a lead last touched on
  day D is kept through D + 14 and returns on D + 15 (``(today - last_touched).days > 14``);
- that a rejection has a reason (:func:`check_rejection`);
- when a won customer is due for cross-sell re-activation (:func:`reactivation_due`);
- which existing accounts a new name may duplicate (:func:`match_account`).

Dates are calendar dates; a ``datetime`` passed where a date is expected is reduced to its
own ``.date()`` (convert aware datetimes to the company's time zone first).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum

from .errors import MethodologyError, ReasonRequiredError


def _as_date(value: date) -> date:
    return value.date() if isinstance(value, datetime) else value


def _check_days(label: str, days: int) -> None:
    if isinstance(days, bool) or not isinstance(days, int) or days < 1:
        raise MethodologyError(f"{label} must be an integer of at least 1")


# --------------------------------------------------------------------------- routing


class Route(StrEnum):
    """Who works a lead (not :class:`winroom.methodology.grade.Route`, a deal's process)."""

    SELF_SERVICE = "self_service"  # online self-service / inside sales
    STANDARD = "standard"  # standard (transactional) sales
    KEY_ACCOUNT = "key_account"  # key-account team


class NeedType(StrEnum):
    """What the customer needs: a product, a solution, or a strategic partnership."""

    PRODUCT = "product"
    SOLUTION = "solution"
    STRATEGIC = "strategic"


#: needs that go to the key-account team whatever the size
KEY_ACCOUNT_NEEDS: frozenset[NeedType] = frozenset({NeedType.SOLUTION, NeedType.STRATEGIC})

# Reason codes of :class:`RoutingDecision`.
REASON_COMPLEX_NEED = "complex_need"  # solution or strategic need
REASON_WITHIN_SELF_SERVICE_MAX = "within_self_service_max"
REASON_WITHIN_STANDARD_MAX = "within_standard_max"
REASON_ABOVE_STANDARD_MAX = "above_standard_max"
REASON_SIZE_UNKNOWN = "size_unknown"


@dataclass(frozen=True)
class RoutingRule:
    """The company's upper bounds (inclusive, CNY) of self-service and standard sales."""

    self_service_max: Decimal = Decimal(20_000)
    standard_max: Decimal = Decimal(200_000)

    def __post_init__(self) -> None:
        for bound in (self.self_service_max, self.standard_max):
            if isinstance(bound, bool) or not Decimal(bound).is_finite():
                raise MethodologyError("routing bounds must be finite numbers")
        if not 0 < self.self_service_max < self.standard_max:
            raise MethodologyError("routing bounds need 0 < self_service_max < standard_max")


DEFAULT_ROUTING_RULE = RoutingRule()


@dataclass(frozen=True)
class RoutingDecision:
    """The route, the clause that produced it (a ``REASON_*`` code) and the inputs."""

    route: Route
    reason: str
    expected_size: Decimal | None
    need_type: NeedType | None
    rule: RoutingRule


def route_lead(
    *,
    expected_size: Decimal | None,
    need_type: NeedType | None,
    rule: RoutingRule = DEFAULT_ROUTING_RULE,
) -> RoutingDecision:
    """Route a lead, clause by clause:

    1. a solution or strategic need → key account (``complex_need``), whatever the size;
    2. size unknown (None) → standard (``size_unknown``): screening there sizes the lead,
       and it is re-routed once the size is known; this holds for a product need and for an
       unknown need alike;
    3. size ≤ ``self_service_max`` → self-service (exactly 20,000 is self-service);
    4. size ≤ ``standard_max`` → standard (exactly 200,000 is standard);
    5. larger → key account (``above_standard_max``).

    A negative or non-finite size, or an unknown need type, is an error (also under clause 1).
    """
    size: Decimal | None = None
    if expected_size is not None:
        if isinstance(expected_size, bool) or not Decimal(expected_size).is_finite():
            raise MethodologyError("expected_size must be a finite number")
        size = Decimal(expected_size)
        if size < 0:
            raise MethodologyError("expected_size cannot be negative")
    need: NeedType | None = None
    if need_type is not None:
        try:
            need = NeedType(need_type)
        except ValueError:
            raise MethodologyError(f"unknown need type {need_type!r}") from None

    if need in KEY_ACCOUNT_NEEDS:
        route, reason = Route.KEY_ACCOUNT, REASON_COMPLEX_NEED
    elif size is None:
        route, reason = Route.STANDARD, REASON_SIZE_UNKNOWN
    elif size <= rule.self_service_max:
        route, reason = Route.SELF_SERVICE, REASON_WITHIN_SELF_SERVICE_MAX
    elif size <= rule.standard_max:
        route, reason = Route.STANDARD, REASON_WITHIN_STANDARD_MAX
    else:
        route, reason = Route.KEY_ACCOUNT, REASON_ABOVE_STANDARD_MAX
    return RoutingDecision(
        route=route, reason=reason, expected_size=size, need_type=need, rule=rule
    )


# --------------------------------------------------------------------------- lead pool


class LeadStatus(StrEnum):
    NEW = "new"  # assigned, not yet worked
    WORKING = "working"  # being screened
    QUALIFIED = "qualified"  # turned into an opportunity
    REJECTED = "rejected"  # screened out, with a reason
    RECYCLED = "recycled"  # back in the pool, anyone may pick it up


#: statuses of a lead held by someone; only these return to the pool
HELD_STATUSES: frozenset[LeadStatus] = frozenset({LeadStatus.NEW, LeadStatus.WORKING})

# Reason codes of :class:`RecycleDecision`.
REASON_NOT_HELD = "not_held"  # pooled, qualified or rejected: nothing to recycle
REASON_RECENTLY_TOUCHED = "recently_touched"
REASON_UNTOUCHED_TOO_LONG = "untouched_too_long"


@dataclass(frozen=True)
class RecycleRule:
    """A held lead is kept while untouched for at most ``untouched_days`` full days."""

    untouched_days: int = 14

    def __post_init__(self) -> None:
        _check_days("untouched_days", self.untouched_days)


DEFAULT_RECYCLE_RULE = RecycleRule()


@dataclass(frozen=True)
class RecycleDecision:
    """Whether the lead returns to the pool, why (a ``REASON_*`` code) and the inputs."""

    recycle: bool
    reason: str
    status: LeadStatus
    #: calendar days since the last touch (negative when dated after today)
    days_untouched: int
    #: the first day on which a held lead untouched since ``last_touched`` returns
    returns_on: date
    rule: RecycleRule


def recycle_date(last_touched: date, rule: RecycleRule = DEFAULT_RECYCLE_RULE) -> date:
    """The day a held lead last touched on ``last_touched`` returns to the pool.

    That is ``last_touched + untouched_days + 1``: touched on 1 June, the lead is still held
    on 15 June (14 days later) and returns on 16 June.
    """
    return date.fromordinal(_as_date(last_touched).toordinal() + rule.untouched_days + 1)


def explain_recycle(
    *,
    status: LeadStatus,
    last_touched: date,
    today: date,
    rule: RecycleRule = DEFAULT_RECYCLE_RULE,
) -> RecycleDecision:
    """Only a held lead (new or working) untouched for *more than* ``untouched_days``
    calendar days returns: ``(today - last_touched).days > untouched_days``.

    With the default 14: 14 days untouched → kept; 15 → returns. A lead already in the pool
    (recycled), qualified or rejected never returns, so running the sweep twice recycles a
    lead once. ``last_touched`` and ``today`` may be datetimes; their dates are compared.
    """
    try:
        current = LeadStatus(status)
    except ValueError:
        raise MethodologyError(f"unknown lead status {status!r}") from None
    touched = _as_date(last_touched)
    days = (_as_date(today) - touched).days
    if current not in HELD_STATUSES:
        recycle, reason = False, REASON_NOT_HELD
    elif days > rule.untouched_days:
        recycle, reason = True, REASON_UNTOUCHED_TOO_LONG
    else:
        recycle, reason = False, REASON_RECENTLY_TOUCHED
    return RecycleDecision(
        recycle=recycle,
        reason=reason,
        status=current,
        days_untouched=days,
        returns_on=recycle_date(touched, rule),
        rule=rule,
    )


def should_recycle(
    *,
    status: LeadStatus,
    last_touched: date,
    today: date,
    rule: RecycleRule = DEFAULT_RECYCLE_RULE,
) -> bool:
    """Shorthand for :func:`explain_recycle` when only the verdict is wanted."""
    return explain_recycle(status=status, last_touched=last_touched, today=today, rule=rule).recycle


def _clean_text(text: str) -> str:
    normalized = unicodedata.normalize("NFKC", text)
    # zero-width and other format characters are invisible: they do not make a reason
    visible = "".join(ch for ch in normalized if unicodedata.category(ch) != "Cf")
    return " ".join(visible.split())


def check_rejection(reason: str) -> str:
    """A rejected lead needs a reason; return it cleaned (NFKC, whitespace collapsed).

    Blank, whitespace-only (including the full-width space) or invisible-only reasons
    raise :class:`ReasonRequiredError`.
    """
    cleaned = _clean_text(reason or "")
    if not cleaned:
        raise ReasonRequiredError("a rejected lead needs a reason")
    return cleaned


# --------------------------------------------------------------------------- customer pool

DEFAULT_REACTIVATION_DAYS = 180


def reactivation_due(
    *, won_on: date, today: date, interval_days: int = DEFAULT_REACTIVATION_DAYS
) -> bool:
    """Whether a won customer is due for cross-sell re-activation (default: 180 days after
    the win, exactly 180 days included). A win dated after today is not due."""
    _check_days("interval_days", interval_days)
    return (_as_date(today) - _as_date(won_on)).days >= interval_days


# --------------------------------------------------------------------------- account matching

#: Chinese company-form suffixes, stripped (repeatedly, longest first) for matching only.
CHINESE_SUFFIXES: tuple[str, ...] = tuple(
    sorted(
        (
            "股份有限公司",
            "有限责任公司",
            "有限公司",
            "股份公司",
            "分公司",
            "公司",
            "集团",
            "控股",
        ),
        key=len,
        reverse=True,
    )
)
#: Latin company-form words, stripped (repeatedly) when they are the last word.
LATIN_SUFFIXES: frozenset[str] = frozenset(
    {"co", "company", "corp", "corporation", "inc", "incorporated", "llc", "ltd", "limited"}
    | {"plc", "group"}
)
#: A key shorter than this never matches by containment (only exactly): "ab" would be in
#: too many names. Keys holding a non-ASCII character (e.g. Chinese) need 2, others 3.
MIN_CONTAINED_LENGTH = 2
MIN_CONTAINED_LENGTH_ASCII = 3

_SPACES = re.compile(r"\s+")


def _strip_suffix(text: str) -> str | None:
    """``text`` without its last company-form suffix; None when there is none, or when the
    suffix is all there is (a name is never stripped to nothing)."""
    suffix = next((s for s in CHINESE_SUFFIXES if text.endswith(s)), None)
    if suffix is not None:
        rest = text[: -len(suffix)].rstrip()
        return rest or None
    head, _, last = text.rpartition(" ")
    if head and last in LATIN_SUFFIXES:
        return head.rstrip()
    return None


def normalize_account_name(name: str) -> str:
    """The name as compared: NFKC (full-width letters and digits become ASCII), casefolded,
    punctuation and symbols replaced by spaces, whitespace collapsed, and company-form
    suffixes (有限公司, 股份有限公司, 集团, 公司, Co. Ltd., Inc. …) stripped from the end.

    Stripping stops before it would leave nothing: "有限公司" stays, "集团有限公司" → "集团".
    """
    text = unicodedata.normalize("NFKC", name or "").casefold()
    text = "".join(" " if unicodedata.category(ch)[0] in "PSZC" else ch for ch in text)
    text = _SPACES.sub(" ", text).strip()
    stripped = text
    while True:
        shorter = _strip_suffix(stripped)
        if shorter is None:
            break
        stripped = shorter
    return stripped


def account_match_key(name: str) -> str:
    """:func:`normalize_account_name` without any spaces ("华为 技术" = "华为技术")."""
    return normalize_account_name(name).replace(" ", "")


def _containable(key: str) -> bool:
    minimum = MIN_CONTAINED_LENGTH_ASCII if key.isascii() else MIN_CONTAINED_LENGTH
    return len(key) >= minimum


def match_account(name: str, existing: Iterable[tuple[int, str]]) -> tuple[int, ...]:
    """Ids of existing accounts ``name`` may duplicate, best first.

    Names are compared by :func:`account_match_key`. Exact matches come first (in the
    order given), then accounts whose key contains or is contained in the new one, the
    closest in length first (ties in the order given). Containment needs the shorter key
    to be at least :data:`MIN_CONTAINED_LENGTH` characters (:data:`MIN_CONTAINED_LENGTH_ASCII`
    for ASCII-only keys). Each id appears once; a blank name matches nothing.
    """
    key = account_match_key(name)
    if not key:
        return ()
    exact: list[int] = []
    contained: dict[int, tuple[int, int]] = {}  # id → (length difference, position)
    for position, (account_id, other_name) in enumerate(existing):
        other = account_match_key(other_name)
        if not other:
            continue
        if other == key:
            if account_id not in exact:
                exact.append(account_id)
            continue
        shorter, longer = (other, key) if len(other) <= len(key) else (key, other)
        if _containable(shorter) and shorter in longer and account_id not in contained:
            contained[account_id] = (len(longer) - len(shorter), position)
    ranked = sorted((rank, account_id) for account_id, rank in contained.items())
    return tuple(exact + [account_id for _, account_id in ranked if account_id not in exact])
