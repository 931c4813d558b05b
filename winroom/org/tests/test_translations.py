"""Every string the product shows has its Chinese translation, compiled."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest
from django.utils import translation

PACKAGE = Path(__file__).resolve().parents[2]
PO = PACKAGE / "locale/zh_Hans/LC_MESSAGES/django.po"


def test_catalogue_is_complete_and_not_fuzzy():
    po = polib.pofile(str(PO))
    assert [e.msgid for e in po.untranslated_entries()] == []
    assert [e.msgid for e in po.fuzzy_entries()] == []


def test_compiled_catalogue_matches_the_po_file():
    compiled = polib.mofile(str(PO.with_suffix(".mo")))
    source = {e.msgid: e.msgstr for e in polib.pofile(str(PO)) if not e.msgid_plural}
    assert {e.msgid: e.msgstr for e in compiled if not e.msgid_plural and e.msgid} == {
        k: v for k, v in source.items() if k
    }


def test_methodology_terms_in_chinese():
    with translation.override("zh-hans"):
        from winroom.accounts.models import Orientation, RelationshipStatus, TeamRole

        assert str(RelationshipStatus.STRONG_POSITIVE.label) == "强正向"
        assert str(Orientation.PRAGMATIC.label) == "务实型"
        assert str(TeamRole.SOLUTION_MANAGER.label) == "方案经理"
    with translation.override("en"):
        assert str(RelationshipStatus.STRONG_POSITIVE.label) == "Strong positive"


@pytest.mark.skipif(
    shutil.which("xgettext") is None and not os.environ.get("CI"),
    reason="gettext (xgettext) is not installed: apt-get install gettext",
)
def test_no_string_in_the_code_is_missing_from_the_catalogue(tmp_path):
    """Extract the strings afresh from a copy of the code; each must be translated."""
    copy = tmp_path / "winroom"
    shutil.copytree(
        PACKAGE,
        copy,
        ignore=shutil.ignore_patterns("static", "__pycache__", "tests", "browser_tests", "*.mo"),
    )
    po_copy = copy / "locale/zh_Hans/LC_MESSAGES/django.po"
    # the copy is the package imported, so its settings point makemessages at its own locale
    env = {**os.environ, "PYTHONPATH": str(tmp_path)}
    subprocess.run(
        [sys.executable, "-m", "winroom.manage", "makemessages", "-l", "zh_Hans", "--no-location"],
        cwd=copy,
        env=env,
        check=True,
        capture_output=True,
    )
    fresh = polib.pofile(str(po_copy))
    missing = [e.msgid for e in fresh if not e.obsolete and not e.translated()]
    assert missing == [], "run `make messages` and translate: " + repr(missing)
