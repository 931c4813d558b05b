"""Record a month's ranking of reps (§3.6) as RankingSnapshot rows."""

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from winroom.incentives import ranking


class Command(BaseCommand):
    help = gettext_lazy(
        "Record the monthly ranking of every active sales rep: the composite of target "
        "attainment, relationship score and effective visits with the administrator's "
        "weights; top 30 % (rounded up, at least one) and bottom 15 % (rounded up, at least "
        "one), no one in both. Without --month, the month that just ended. Running it again "
        "replaces the month's rows (idempotent); reviews are kept."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--month", help=gettext_lazy("YYYY-MM (default: the month that just ended)")
        )

    def handle(self, *args, **options):
        today = timezone.localdate()
        if options.get("month"):
            month = ranking.parse_month(options["month"])
            if month is None:
                raise CommandError(_("--month must look like 2026-05."))
        else:
            first = today.replace(day=1)
            month = (
                first.replace(year=first.year - 1, month=12)
                if first.month == 1
                else first.replace(month=first.month - 1)
            )
        if month > today.replace(day=1):
            raise CommandError(_("A month in the future cannot be ranked."))
        count = ranking.snapshot(month, today=today)
        self.stdout.write(
            _("%(month)s: %(count)s reps ranked.") % {"month": f"{month:%Y-%m}", "count": count}
        )
