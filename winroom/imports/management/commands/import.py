"""``winroom import <kind> <file>``: the web importer from the command line.

Prints the same report; exits 1 when any row (or the file) is refused, and then writes
nothing. ``--dry-run`` never writes.
"""

import json
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from winroom.imports import ready
from winroom.imports.importer import run_import
from winroom.imports.mapping import KINDS, Mapping, custom_targets, propose_columns
from winroom.imports.models import ImportMapping
from winroom.imports.reading import FileRefused, read_table


class Command(BaseCommand):
    help = "Import records of one kind from an .xlsx or .csv file (all-or-nothing)."

    def add_arguments(self, parser):
        parser.add_argument("kind", choices=KINDS)
        parser.add_argument("file")
        parser.add_argument("--mapping", help="a saved mapping's name, or a .json file")
        parser.add_argument("--dry-run", action="store_true", help="report only, write nothing")
        parser.add_argument("--as", dest="username", required=True, help="the importing user")
        parser.add_argument("--sheet", help="the .xlsx sheet (default: the first)")
        parser.add_argument("--source", help="where the external ids come from")
        parser.add_argument("--language", default="zh-hans", help="zh-hans or en")

    def handle(
        self, *args, kind, file, mapping, dry_run, username, sheet, source, language, **options
    ):
        user = get_user_model().objects.filter(username=username, is_active=True).first()
        if user is None:
            raise CommandError(f"No active user {username!r}.")
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"No file {file!r}.")
        data = path.read_bytes()
        chosen, name = self.mapping(kind, mapping, user)
        if source is not None and chosen is not None:
            chosen.options.pop("source", None)  # a source given here outranks the mapping's
        if chosen is None:
            try:
                table = read_table(data, path.name, sheet=sheet)
            except FileRefused:
                table = None
            chosen = Mapping(
                columns=propose_columns(
                    kind, table.headers, table.rows[:200], custom=custom_targets(kind)
                )
                if table
                else {}
            )
        report = run_import(
            kind=kind,
            data=data,
            filename=path.name,
            user=user,
            mapping=chosen,
            source=source if source is not None else name,
            sheet=sheet,
            dry_run=dry_run,
        )
        with translation.override(language):
            for line in report.lines():
                self.stdout.write(line)
            if not report.ok:
                raise CommandError(translation.gettext("Nothing was imported."), returncode=1)
            if dry_run:
                self.stdout.write(translation.gettext("Dry run: nothing was written."))

    def mapping(self, kind, value, user):
        if not value:
            return None, ""
        path = Path(value)
        if path.suffix.lower() == ".json" and path.is_file():
            return Mapping.from_json(json.loads(path.read_text(encoding="utf-8"))), path.stem
        saved = ImportMapping.objects.filter(kind=kind, name=value).first()
        if saved is None:
            # a ready mapping shipped with Winroom (by name or file stem) is saved on first use
            found = ready.find(value)
            if found is None or found["kind"] != kind:
                raise CommandError(f"No saved {kind} mapping {value!r}.")
            saved = ready.install(found["slug"], by=user)
        return Mapping.from_json(saved.as_json()), saved.name
