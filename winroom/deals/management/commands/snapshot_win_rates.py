"""Weekly win-rate snapshot of every open opportunity."""

from django.core.management.base import BaseCommand
from django.utils.dateparse import parse_datetime

from winroom.deals.actions import snapshot_win_rates


class Command(BaseCommand):
    help = (
        "Record one win-rate point per open opportunity for the current ISO week, computed by "
        "the competitor comparison rule (METHODOLOGY §2.6). Idempotent: a second run in the "
        "same week adds nothing. Schedule it weekly (e.g. Monday 06:00)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--at", help="Pretend it is this moment (ISO date-time), e.g. to backfill a week."
        )

    def handle(self, *args, at=None, **options):
        now = parse_datetime(at) if at else None
        if at and now is None:
            self.stderr.write(f"Not a date-time: {at}")
            raise SystemExit(2)
        result = snapshot_win_rates(now=now)
        self.stdout.write(
            f"Week of {result['week']}: {result['processed']} open deals processed, "
            f"{result['created']} points written, {result['already']} already had this week's point."
        )
