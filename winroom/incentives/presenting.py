"""Statement lines and ranking values in words, in the reader's language."""

from __future__ import annotations

from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from winroom.methodology import commission as core

from .models import CommissionStatement

COMPONENT_LABELS = {
    "order": gettext_lazy("orders"),
    "revenue": gettext_lazy("recognised revenue"),
    "collection": gettext_lazy("collections"),
}
RULE_LABELS = {
    "base": gettext_lazy("base rate"),
    "over_target": gettext_lazy("over-target increment"),
    "strategic": gettext_lazy("strategic-breakthrough award"),
    "margin_band": gettext_lazy("gross-margin band"),
    "forfeit": gettext_lazy("must-win forfeiture"),
}
REASON_LABELS = {
    "account": gettext_lazy("account seller: an account assigned to the rep"),
    "solution": gettext_lazy("solution seller: the rep's product line in their coverage"),
    "project": gettext_lazy("project seller: a deal the rep leads"),
}
GAP_LABELS = {
    "revenue": gettext_lazy(
        "Recognised revenue is not recorded in Winroom, so the revenue component pays nothing."
    ),
    "collection": gettext_lazy(
        "Payments received are not recorded in Winroom yet, so the collection component pays "
        "nothing."
    ),
}


def money(value) -> str:
    number = Decimal(str(value)).quantize(Decimal("0.01"), ROUND_HALF_UP)
    return f"¥{number:,.2f}"


def percent(value) -> str:
    number = (Decimal(str(value)) * 100).quantize(Decimal("0.01"), ROUND_HALF_UP).normalize()
    text = f"{number:f}"
    return f"{text} %"


def describe(line: dict) -> str:
    """The rule behind one statement line, in words."""
    rule, detail = line["rule"], line.get("detail", {})
    component = COMPONENT_LABELS.get(line.get("component", ""), line.get("component", ""))
    values = {
        "component": component,
        "basis": money(line["basis"]),
        "rate": percent(line["rate"]) if line.get("rate") is not None else "",
        "amount": money(line["amount"]),
    }
    if rule == "base" and "target" in detail:
        return _(
            "Base rate on %(component)s up to the period target of %(target)s: "
            "%(basis)s × %(rate)s = %(amount)s"
        ) % {**values, "target": money(detail["target"])}
    if rule == "base":
        return _("Base rate on %(component)s: %(basis)s × %(rate)s = %(amount)s") % values
    if rule == "over_target":
        return _(
            "%(component)s above the target of %(target)s pay the base rate × %(multiple)s: "
            "%(basis)s × %(rate)s = %(amount)s"
        ) % {
            **values,
            "target": money(detail["target"]),
            "multiple": Decimal(detail["multiple"]).normalize(),
        }
    if rule == "strategic":
        return _(
            "Strategic-breakthrough award for the first booking at the strategic account "
            "%(account)s (%(deal)s): %(amount)s"
        ) % {
            **values,
            "account": detail.get("account_name", ""),
            "deal": detail.get("deal_name", ""),
        }
    if rule == "margin_band":
        return _(
            "Gross-margin band on %(deal)s: a margin of %(margin)s is above the red line of "
            "%(red_line)s; the part between %(low)s and %(high)s × the rep's share of "
            "%(share)s is %(rate)s of %(basis)s = %(amount)s"
        ) % {
            **values,
            "deal": detail.get("deal_name", ""),
            "margin": percent(detail.get("margin", 0)),
            "red_line": percent(detail.get("red_line", 0)),
            "low": percent(detail.get("band_low", 0)),
            "high": percent(detail.get("band_high", 0)),
            "share": percent(detail.get("share", 1)),
        }
    if rule == "forfeit":
        names = ", ".join(a.get("name", "") for a in detail.get("accounts", []))
        return _(
            "Must-win account lost this year (%(accounts)s): the year's bonus is set to zero "
            "(%(amount)s)"
        ) % {**values, "accounts": names}
    return f"{rule}: {values['amount']}"


def lines_for_display(statement: CommissionStatement) -> list[dict]:
    return [
        {
            **line,
            "rule_label": RULE_LABELS.get(line["rule"], line["rule"]),
            "component_label": COMPONENT_LABELS.get(line.get("component", ""), ""),
            "text": describe(line),
        }
        for line in statement.lines
    ]


def bookings_for_display(statement: CommissionStatement) -> list[dict]:
    return [
        {
            **b,
            "reason_label": REASON_LABELS.get(b.get("reason", ""), ""),
            "margin_text": percent(b["margin"]) if b.get("margin") is not None else None,
        }
        for b in statement.bookings
    ]


def gaps_for_display(statement: CommissionStatement) -> list[str]:
    return [str(GAP_LABELS[g]) for g in statement.gaps if g in GAP_LABELS]


def timeliness(payout, *, allowed_days: int, today: date | None = None) -> dict:
    """How late a payout is (or was) against the plan's allowance."""
    today = today or timezone.localdate()
    late = core.days_late(payout.core(), today=today, allowed_days=allowed_days)
    return {"days_late": late, "on_time": late == 0, "paid": payout.paid_on is not None}


def period_label(statement) -> str:
    start = statement.period_start
    if statement.period_kind == "month":
        return f"{start:%Y-%m}"
    if statement.period_kind == "quarter":
        return f"{start.year} Q{(start.month - 1) // 3 + 1}"
    return str(start.year)
