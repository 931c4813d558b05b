from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from winroom.notifications.webhooks import deliver_due


class Command(BaseCommand):
    help = gettext_lazy(
        "Send the team robots' messages that are due from the outbox. A failed attempt is "
        "retried after 1, 2, 4, 8 … minutes (WINROOM_WEBHOOK_RETRY_SECONDS, default 60) and "
        "the message is marked failed after WINROOM_WEBHOOK_MAX_ATTEMPTS attempts (default "
        "5); every attempt is logged. Run it every minute."
    )

    def handle(self, *args, **options):
        outcome = deliver_due()
        self.stdout.write(_("%(sent)s sent, %(retry)s to retry, %(failed)s failed.") % outcome)
