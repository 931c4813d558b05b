from django.core.management.base import BaseCommand
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from winroom.leads.actions import recycle_untouched_leads
from winroom.methodology.leads import DEFAULT_RECYCLE_RULE


class Command(BaseCommand):
    help = gettext_lazy(
        "Return to the pool every new or working lead untouched for more than %(days)s "
        "days (touched on day D: kept through D + %(days)s, back on D + %(next)s). "
        "Leads already in the pool are left alone, so running it twice changes nothing."
    ) % {
        "days": DEFAULT_RECYCLE_RULE.untouched_days,
        "next": DEFAULT_RECYCLE_RULE.untouched_days + 1,
    }

    def handle(self, *args, **options):
        recycled = recycle_untouched_leads(today=timezone.localdate())
        self.stdout.write(_("%(count)s lead(s) returned to the pool.") % {"count": len(recycled)})
