"""Turn the Olist marketing funnel (two files) into one deal file the importer reads."""

import csv
import json
from datetime import date, datetime, timedelta
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

import winroom
from winroom.attributes.models import AttributeDefinition

MAPPING = Path(__file__).resolve().parents[2] / "mappings" / "olist-deals.json"
DATASETS = Path(winroom.__file__).resolve().parents[2] / "shared" / "datasets"
FOLDER = "olist-marketing-funnel"
LEADS = "olist_marketing_qualified_leads_dataset.csv"
WON = "olist_closed_deals_dataset.csv"
#: the README's advice: wins are only recorded from 2017-12-05, so earlier leads look lost
FIRST_DAY = date(2018, 1, 1)
WINDOW_DAYS = 90
WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


def olist_rows(folder: Path, *, first_day: date = FIRST_DAY, window: int = WINDOW_DAYS):
    """One row per lead first contacted on or after ``first_day``: won when its deal closed
    within ``window`` days of the first contact (a fixed maturity window, as the dataset's
    README advises), else lost, closed at the end of the window."""
    won_on: dict[str, date] = {}
    with (folder / WON).open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            won_on[row["mql_id"]] = datetime.strptime(row["won_date"][:10], "%Y-%m-%d").date()
    rows = []
    with (folder / LEADS).open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            contacted = datetime.strptime(row["first_contact_date"], "%Y-%m-%d").date()
            if contacted < first_day:
                continue
            won = won_on.get(row["mql_id"])
            is_won = won is not None and (won - contacted).days <= window
            closed = max(won, contacted) if is_won and won else contacted + timedelta(days=window)
            rows.append(
                {
                    "mql_id": row["mql_id"],
                    "name": f"Olist lead {row['mql_id'][:10]}",
                    "first_contact_date": contacted.isoformat(),
                    "closed_date": closed.isoformat(),
                    "status": "won" if is_won else "lost",
                    "origin": row["origin"] or "(blank)",
                    "landing_page_id": row["landing_page_id"],
                    "contact_weekday": WEEKDAYS[contacted.weekday()],
                }
            )
    return rows


def install_attributes() -> int:
    """The custom attributes the mapping fills (created when missing)."""
    data = json.loads(MAPPING.read_text(encoding="utf-8"))
    created = 0
    for position, attribute in enumerate(data["attributes"]):
        _definition, new = AttributeDefinition.objects.get_or_create(
            target=attribute["target"],
            code=attribute["code"],
            defaults={
                "label": attribute["label"],
                "label_en": attribute["label_en"],
                "type": attribute["type"],
                "position": 200 + position,
            },
        )
        created += new
    return created


class Command(BaseCommand):
    help = (
        "Write the Olist marketing funnel as one deal file for `winroom import deal FILE "
        "--mapping winroom/winmodel/mappings/olist-deals.json`: leads first contacted from "
        "2018-01-01, won when closed within 90 days of the first contact, else lost (the "
        "dataset's README explains why). Also creates the custom attributes the mapping fills."
    )

    def add_arguments(self, parser):
        parser.add_argument("--out", required=True, help="the .csv to write")
        parser.add_argument("--datasets", default=str(DATASETS), help="the shared datasets folder")

    def handle(self, *args, out, datasets, **options):
        folder = Path(datasets) / FOLDER
        if not (folder / LEADS).is_file() or not (folder / WON).is_file():
            raise CommandError(f"The Olist files are not in {folder}.")
        rows = olist_rows(folder)
        with Path(out).open("w", encoding="utf-8", newline="") as handle:
            writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
            writer.writeheader()
            writer.writerows(rows)
        won = sum(1 for r in rows if r["status"] == "won")
        created = install_attributes()
        self.stdout.write(
            f"{len(rows)} leads written to {out} ({won} won within {WINDOW_DAYS} days, "
            f"{len(rows) - won} lost); {created} custom attributes created. Import with:\n"
            f"  winroom import deal {out} --mapping {MAPPING} --as <administrator>"
        )
