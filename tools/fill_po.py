"""Fill a .po file's empty entries from a Python dict of translations (a maintainer's tool).

Usage: python tools/fill_po.py TRANSLATIONS.py [--check]
TRANSLATIONS.py defines ZH = {msgid: msgstr} and PLURALS = {msgid: [msgstr, ...]}.
Prints the msgids still untranslated; --check exits 1 when there are any.
"""

import runpy
import sys
from pathlib import Path

import polib

PO = Path(__file__).resolve().parents[1] / "winroom/locale/zh_Hans/LC_MESSAGES/django.po"


def main() -> int:
    table = runpy.run_path(sys.argv[1]) if len(sys.argv) > 1 and sys.argv[1] != "--check" else {}
    zh, plurals = table.get("ZH", {}), table.get("PLURALS", {})
    po = polib.pofile(str(PO))
    po.metadata["Language"] = "zh_Hans"
    po.metadata["Plural-Forms"] = "nplurals=1; plural=0;"
    po.metadata["Content-Type"] = "text/plain; charset=UTF-8"
    missing = []
    for entry in po:
        if entry.obsolete:
            continue
        if "fuzzy" in entry.flags:
            entry.flags.remove("fuzzy")
            entry.msgstr = ""
            entry.msgstr_plural = dict.fromkeys(entry.msgstr_plural, "")
        if entry.msgid_plural:
            if entry.msgid in plurals:
                entry.msgstr_plural = dict(enumerate(plurals[entry.msgid]))
            if not all(entry.msgstr_plural.values()):
                missing.append(entry.msgid)
        else:
            if entry.msgid in zh:
                entry.msgstr = zh[entry.msgid]
            if not entry.msgstr:
                missing.append(entry.msgid)
    po.save()
    po.save_as_mofile(str(PO.with_suffix(".mo")))
    for msgid in missing:
        print("untranslated:", repr(msgid))
    return 1 if missing and "--check" in sys.argv else 0


if __name__ == "__main__":
    sys.exit(main())
