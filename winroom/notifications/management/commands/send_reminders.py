from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from winroom.notifications import producers


class Command(BaseCommand):
    help = gettext_lazy(
        "Create the reminders due now — overdue actions and coaching reviews (to the rep, "
        "and to the first-line manager who owes the review), visits to prepare tomorrow, "
        "visits held but not recorded, recorded visits the manager has not scored, stale "
        "opportunities — with the same rules as Today. Each reminder has a dedupe key per "
        "person, so running it twice creates nothing new. Then e-mails the people who chose "
        "'immediately'; with --digest (run once a day) also those who chose the daily "
        "digest, and queues one summary a day for each team's chat robot. Run it hourly."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--digest",
            action="store_true",
            help=gettext_lazy("Also send the daily digests and the team robots' summaries."),
        )

    def handle(self, *args, digest=False, **options):
        created = producers.produce()
        mails = producers.send_emails(digest=digest)
        queued = producers.team_summaries() if digest else 0
        self.stdout.write(
            _(
                "%(created)s new reminder(s), %(mails)s e-mail(s) sent, %(queued)s team message(s) queued."
            )
            % {"created": len(created), "mails": mails, "queued": queued}
        )
