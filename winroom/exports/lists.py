"""The columns of each list's export, and the one call a list view makes to export itself.

A list view builds its queryset (``visible_to`` the viewer, filtered by its FilterSet) and,
when asked for a file, returns ``exports.<list>(request, filterset.qs)``: the rows are those
of the page, without pagination. Only what the viewer reads on the page or the record goes
out — no relationship scores, levels or seven-element ratings from the general lists (the
portfolio, whose rows are the accounts one may read with their figures, keeps its own).

Accounts and contacts carry an ``ID`` column (our primary key) and headers the ready
mappings ``winroom-accounts`` / ``winroom-contacts`` know in both languages, so an export
re-imports with no change.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from operator import attrgetter

from django.utils.translation import gettext_lazy as _

from winroom.attributes.models import AttributeDefinition, AttributeType

from .spreadsheet import Column, ListExport, export_response

ID = Column(_("ID"), attrgetter("pk"), width=8)
CREATED = Column(_("created"), attrgetter("created_at"))
UPDATED = Column(_("updated"), attrgetter("updated_at"))


def _name(obj) -> str:
    return "" if obj is None else str(obj)


def _display(field: str):
    return lambda obj: getattr(obj, f"get_{field}_display")()


def _related(path: str):
    """A related object's text, '' when the link is empty (``account.name``)."""
    first, _dot, rest = path.partition(".")

    def read(obj):
        value = getattr(obj, first)
        if value is None:
            return ""
        return getattr(value, rest) if rest else str(value)

    return read


# -- custom attributes ---------------------------------------------------------------------


def _custom_value(definition, record):
    value = (record.custom or {}).get(definition.code)
    if value is None or value == "":
        return None
    if definition.type == AttributeType.DATE:
        try:
            return date.fromisoformat(str(value))
        except ValueError:
            return str(value)
    if definition.type == AttributeType.NUMBER and not isinstance(value, bool):
        try:
            return Decimal(str(value))
        except ArithmeticError:
            return str(value)
    return str(value)


def custom_columns(target: str) -> list[Column]:
    """One column per active custom attribute, headed by its label in the viewer's language."""
    return [
        Column(definition.display_label(), lambda record, d=definition: _custom_value(d, record))
        for definition in AttributeDefinition.objects.for_target(target)
    ]


# -- the lists -----------------------------------------------------------------------------


def deal_export() -> ListExport:
    def win_rate(deal):
        if deal.win_rate is None:
            return None
        return (deal.win_rate * 100).quantize(Decimal("0.1"))

    return ListExport(
        name="deals",
        title=_("Opportunities"),
        columns=[
            ID,
            Column(_("name"), attrgetter("name")),
            Column(_("account"), _related("account.name")),
            Column(_("stage"), _related("stage")),
            Column(_("status"), _display("status")),
            Column(_("grade"), _display("grade")),
            Column(_("amount (CNY)"), attrgetter("amount")),
            Column(_("win rate (%)"), win_rate),
            Column(_("health"), attrgetter("health_score")),
            Column(_("owner"), _related("owner")),
            Column(_("expected close date"), attrgetter("expected_close")),
            Column(_("source"), _display("source")),
            Column(_("partner"), attrgetter("partner")),
            Column(_("product lines"), lambda d: "、".join(p.name for p in d.product_lines.all())),
            Column(_("closed"), attrgetter("closed_at")),
            Column(_("reason lost"), attrgetter("lost_reason")),
            CREATED,
            UPDATED,
            *custom_columns("deal"),
        ],
    )


def deals(request, queryset):
    return export_response(request, deal_export(), queryset.prefetch_related("product_lines"))


def account_export() -> ListExport:
    return ListExport(
        name="accounts",
        title=_("Accounts"),
        columns=[
            ID,
            Column(_("name"), attrgetter("name")),
            Column(_("industry"), _display("industry")),
            Column(_("region"), attrgetter("region")),
            Column(_("size"), _display("size")),
            Column(_("status"), _display("status")),
            Column(_("website"), attrgetter("website")),
            Column(_("address"), attrgetter("address")),
            Column(_("description"), attrgetter("description")),
            Column(_("owner"), _related("owner")),
            Column(_("contacts"), attrgetter("contact_count")),
            CREATED,
            UPDATED,
            *custom_columns("account"),
        ],
    )


def accounts(request, queryset):
    return export_response(request, account_export(), queryset)


INTERACTION_LABELS = {
    "never_met": _("Never met"),
    "occasional": _("Occasional"),
    "repeated": _("Repeated"),
    "deep": _("Deep"),
}


def contact_export(company) -> ListExport:
    from winroom.activities.interaction import explain

    def interaction(contact):
        return INTERACTION_LABELS.get(str(explain(contact, company).level), "")

    return ListExport(
        name="contacts",
        title=_("Contacts"),
        columns=[
            ID,
            Column(_("name"), attrgetter("name")),
            Column(_("account"), _related("account.name")),
            Column(_("title"), attrgetter("title")),
            Column(_("department"), attrgetter("department")),
            Column(_("phone"), attrgetter("phone")),
            Column(_("email"), attrgetter("email")),
            Column(_("level in the organisation"), _display("level")),
            Column(_("relationship status"), _display("relationship_status")),
            Column(_("interaction level"), interaction),
            Column(_("behavioural orientation"), _display("orientation")),
            Column(_("first contact"), attrgetter("first_contact_on")),
            Column(_("key contact"), attrgetter("marked_key")),
            Column(_("reports to"), _related("reports_to.name")),
            Column(_("notes"), attrgetter("notes")),
            CREATED,
            UPDATED,
        ],
    )


def contacts(request, queryset, *, company):
    """``queryset`` comes from ``with_interaction_counts`` (the list's interaction level)."""
    return export_response(
        request, contact_export(company), queryset.select_related("account", "reports_to")
    )


def activity_export() -> ListExport:
    return ListExport(
        name="activities",
        title=_("Activities"),
        columns=[
            ID,
            Column(_("date"), attrgetter("occurred_at")),
            Column(_("kind"), _display("kind")),
            Column(_("subject"), attrgetter("subject")),
            Column(_("account"), _related("account.name")),
            Column(_("participants"), lambda a: "、".join(p.name for p in a.participants.all())),
            Column(_("owner"), _related("owner")),
            Column(_("notes"), attrgetter("notes")),
            CREATED,
        ],
    )


def activities(request, queryset):
    """``queryset`` prefetches the participants (the list does)."""
    return export_response(request, activity_export(), queryset)


def lead_export() -> ListExport:
    def owner(lead):
        return str(lead.owner) if lead.owner_id else _("the pool")

    return ListExport(
        name="leads",
        title=_("Leads"),
        columns=[
            ID,
            Column(_("company"), attrgetter("company_name")),
            Column(_("contact person"), attrgetter("person_name")),
            Column(_("title"), attrgetter("title")),
            Column(_("phone"), attrgetter("phone")),
            Column(_("email"), attrgetter("email")),
            Column(_("status"), _display("status")),
            Column(_("route"), _display("route")),
            Column(_("need type"), _display("need_type")),
            Column(_("need"), attrgetter("need_description")),
            Column(_("expected size (CNY)"), attrgetter("expected_size")),
            Column(_("source"), attrgetter("source")),
            Column(_("channel"), _related("channel")),
            Column(_("owner"), owner),
            Column(_("last touched"), attrgetter("last_touched_at")),
            CREATED,
        ],
    )


def leads(request, queryset):
    return export_response(request, lead_export(), queryset)


def visit_export() -> ListExport:
    def effective(visit):
        return visit.effective if visit.status == "done" else None

    return ListExport(
        name="visits",
        title=_("Visits"),
        columns=[
            ID,
            Column(_("when"), attrgetter("planned_at")),
            Column(_("account"), _related("account.name")),
            Column(_("opportunity"), _related("deal.name")),
            Column(_("objective"), attrgetter("objective")),
            Column(_("status"), _display("status")),
            Column(_("effective"), effective),
            Column(_("visited on"), attrgetter("visited_on")),
            Column(_("rep"), _related("owner")),
        ],
    )


def visits(request, queryset):
    return export_response(request, visit_export(), queryset)


def plan_export() -> ListExport:
    return ListExport(
        name="account-plans",
        title=_("Account plans"),
        columns=[
            ID,
            Column(_("account"), _related("account.name")),
            Column(_("year"), attrgetter("year")),
            Column(_("status"), _display("status")),
            Column(_("owner"), lambda p: _name(p.account.owner)),
            Column(_("actions done"), attrgetter("actions_done")),
            Column(_("actions"), attrgetter("actions_total")),
            Column(_("overdue"), attrgetter("actions_overdue")),
        ],
    )


def plans(request, queryset):
    """``queryset`` comes from ``with_progress`` (the list's action counts)."""
    return export_response(request, plan_export(), queryset)


def portfolio_export() -> ListExport:
    """The account portfolio with its relationship figures: the rows are the accounts the
    viewer reads, whose figures the page shows them too."""
    from winroom.accounts.models import RelationshipLevel
    from winroom.accounts.portfolio import decorate

    def level_count(level):
        return lambda a: next(d["count"] for d in a.distribution if d["level"] == level)

    return ListExport(
        name="account-portfolio",
        title=_("Account portfolio"),
        prepare=decorate,
        columns=[
            Column(_("account"), attrgetter("name")),
            Column(_("industry"), _display("industry")),
            Column(_("region"), attrgetter("region")),
            Column(_("owner"), _related("owner")),
            Column(_("sales team"), lambda a: _name(getattr(a.owner, "team", None))),
            Column(
                _("account team"),
                lambda a: "; ".join(f"{m.user} ({m.get_role_display()})" for m in a.members.all()),
            ),
            Column(_("account score"), attrgetter("score")),
            Column(_("key contacts"), attrgetter("key_count")),
            *[Column(label, level_count(level)) for level, label in RelationshipLevel.choices],
            Column(_("coverage gaps"), attrgetter("gap_count")),
            Column(
                _("roles without a supporter"),
                lambda a: "; ".join(f"{g['role_label']}: {', '.join(g['people'])}" for g in a.gaps),
            ),
            Column(_("supplier tier"), attrgetter("tier_label")),
            Column(_("account plan"), attrgetter("plan_label")),
        ],
    )


def portfolio(request, queryset, fmt=None):
    return export_response(request, portfolio_export(), queryset, fmt=fmt)
