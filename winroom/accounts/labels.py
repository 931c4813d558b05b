"""Translated labels for the codes the methodology core returns (§1.3, §1.4)."""

from django.utils.translation import gettext_lazy as _

from winroom.methodology.relationship_level import (
    MISSING_SCORE_PREFIX,
    MISSING_STATUS_NOT_NEGATIVE,
    MISSING_STATUS_POSITIVE,
)

ELEMENT_LABELS = {
    "value": _("value"),
    "favour": _("favour"),
    "decency": _("decency"),
    "standing": _("standing"),
    "frequency": _("frequency"),
    "length": _("length"),
    "depth": _("depth"),
}

MISSING_LABELS = {
    MISSING_STATUS_NOT_NEGATIVE: _("relationship status no longer negative"),
    MISSING_STATUS_POSITIVE: _("relationship status positive"),
}


def missing_label(code: str, indicator_names: dict[str, str] | None = None) -> str:
    """“score at least 40”, “relationship status positive”, an indicator's name from the
    company's checklist (``indicator_names``: code → name)…"""
    if code.startswith(MISSING_SCORE_PREFIX):
        return _("score at least %(score)s") % {"score": code[len(MISSING_SCORE_PREFIX) :]}
    if code in MISSING_LABELS:
        return str(MISSING_LABELS[code])
    return (indicator_names or {}).get(code, code)
