"""Translated labels for the codes the methodology core returns (§1.3, §1.4)."""

from django.utils.translation import gettext_lazy as _

from winroom.methodology.relationship_level import (
    MISSING_SCORE_PREFIX,
    MISSING_STATUS_NOT_NEGATIVE,
    MISSING_STATUS_POSITIVE,
)

INDICATOR_LABELS = {
    "gives_information": _("gives us competitor or project information proactively"),
    "takes_part": _("takes part actively in our activities"),
    "backs_key_decisions": _("backs us in key decisions"),
}

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


def missing_label(code: str) -> str:
    """“score at least 40”, “relationship status positive”, an indicator's label…"""
    if code.startswith(MISSING_SCORE_PREFIX):
        return _("score at least %(score)s") % {"score": code[len(MISSING_SCORE_PREFIX) :]}
    if code in MISSING_LABELS:
        return str(MISSING_LABELS[code])
    return str(INDICATOR_LABELS.get(code, code))
