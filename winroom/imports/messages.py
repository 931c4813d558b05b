"""The sentences behind the importer's refusal codes, in the user's language."""

from django.utils import translation
from django.utils.translation import gettext_lazy as _

from winroom.imports.reading import DEFAULT_MAX_BYTES

MESSAGES = {
    # whole file
    "too_big": _("The file is too big (the limit is %(limit_mb)s MB)."),
    "too_many_rows": _("The file has more than %(limit)s rows; split it into smaller files."),
    "macro": _("Files with macros cannot be imported; save the sheet as a plain .xlsx."),
    "zip_bomb": _("The workbook expands to an unreasonable size and was refused."),
    "not_xlsx": _("This is not a valid .xlsx workbook."),
    "unsupported": _("Only .xlsx and .csv files can be imported."),
    "encoding": _("The file's text encoding was not recognised (use UTF-8 or GB18030)."),
    "empty": _("The file is empty."),
    "no_sheet": _("The workbook has no sheet named “%(sheet)s”."),
    "no_name_column": _("No column is mapped to the name; choose which column holds it."),
    # one value
    "number": _("“%(value)s” is not a number."),
    "integer": _("“%(value)s” is not a whole number."),
    "date": _("“%(value)s” is not a date (use e.g. 2026-03-01 or 2026年3月1日)."),
    "date_ambiguous": _(
        "“%(value)s” could be day/month or month/day; mark the column as month-first."
    ),
    "boolean": _("“%(value)s” is not yes or no."),
    "choice": _("“%(value)s” is not one of the choices of this column."),
    "required": _("This value is required."),
    "owner_unknown": _("No active user with the username or email “%(value)s”."),
    "owner_not_assignable": _("You may not make “%(value)s” an owner."),
    "account_unknown": _("No account “%(value)s” that you may edit."),
    "reports_to_unknown": _("No contact “%(value)s” at the same account."),
    "not_writable": _("You may not edit this existing record."),
    "duplicate_in_file": _("The same record appears again on line %(line)s."),
    "crash": _("The import stopped on an unexpected error; nothing was written."),
}


def message(code: str, params: dict | None = None, *, language: str | None = None) -> str:
    """The sentence for a code, in ``language`` (default: the active language)."""
    params = dict(params or {})
    if "limit" in params and code == "too_big":
        params.setdefault("limit_mb", round(params["limit"] / 1024 / 1024))
    params.setdefault("limit_mb", round(DEFAULT_MAX_BYTES / 1024 / 1024))
    text = MESSAGES.get(code)
    if code == "validation":  # a model's own message, kept in each language when raised
        texts = params.get("text") or {}
        lang = language or translation.get_language() or "zh-hans"
        text = texts.get(lang) or next(iter(texts.values()), "")
        return " ".join(text) if isinstance(text, list) else str(text)
    with translation.override(language or translation.get_language()):
        if text is None:
            return str(params.get("text", code))
        try:
            return str(text) % params
        except (KeyError, TypeError, ValueError):
            return str(text)
