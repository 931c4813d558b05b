"""The kinds of notification and their text, rendered in the reader's language on display.

Parameters are plain JSON values; a ``date`` parameter is an ISO date, formatted for the
reader's language when shown.
"""

from datetime import date

from django.db import models
from django.utils import formats
from django.utils.translation import gettext_lazy as _


class Kind(models.TextChoices):
    ACTION_OVERDUE = "action_overdue", _("Overdue action")
    REVIEW_OVERDUE = "review_overdue", _("Coaching review overdue")
    REVIEW_OWED = "review_owed", _("Coaching review you owe")
    VISIT_PREPARE = "visit_prepare", _("Visit to prepare")
    VISIT_RECORD = "visit_record", _("Visit to record")
    VISIT_SCORE = "visit_score", _("Visit to evaluate")
    LEAD_RETURNED = "lead_returned", _("Lead back in the pool")
    DEAL_STALE = "deal_stale", _("Stale opportunity")
    TEST = "test", _("Test message")


TEXTS = {
    Kind.ACTION_OVERDUE: _("Action “%(title)s” on %(deal)s was due %(date)s."),
    Kind.REVIEW_OVERDUE: _("The coaching review of %(deal)s was due %(date)s."),
    Kind.REVIEW_OWED: _("You owe %(rep)s the coaching review of %(deal)s (due %(date)s)."),
    Kind.VISIT_PREPARE: _("Prepare your visit to %(account)s on %(date)s at %(time)s."),
    Kind.VISIT_RECORD: _("Record your visit to %(account)s of %(date)s."),
    Kind.VISIT_SCORE: _("Score %(rep)s's visit to %(account)s of %(date)s."),
    Kind.LEAD_RETURNED: _(
        "The lead %(company)s went back to the pool: untouched for more than %(days)s days."
    ),
    Kind.DEAL_STALE: _("%(deal)s has had no activity and no stage change for %(days)s days."),
    Kind.TEST: _("Test message from Winroom: the robot is connected."),
}


def _shown(key: str, value):
    if key == "date" and isinstance(value, str):
        try:
            return formats.date_format(date.fromisoformat(value), "SHORT_DATE_FORMAT")
        except ValueError:
            return value
    return value


def render(kind: str, params: dict) -> str:
    """The text of a notification in the active language; unknown kinds show their code."""
    template = TEXTS.get(kind)
    if template is None:
        return str(kind)
    values = {key: _shown(key, value) for key, value in (params or {}).items()}
    try:
        return str(template) % values
    except (KeyError, TypeError, ValueError):
        return str(Kind(kind).label) if kind in Kind.values else str(kind)
