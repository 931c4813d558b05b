from django.core.management.base import BaseCommand
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from winroom.leads.actions import recycle_untouched_leads
from winroom.org.models import CompanySettings


class Command(BaseCommand):
    help = gettext_lazy(
        "Return to the pool every new or working lead untouched for longer than the "
        "company's recycling period (default 14 days: touched on day D, kept through "
        "D + 14, back on D + 15). Leads already in the pool are left alone, so running it "
        "twice changes nothing."
    )

    def handle(self, *args, **options):
        rule = CompanySettings.current().recycle_rule()
        recycled = recycle_untouched_leads(today=timezone.localdate(), rule=rule)
        self.stdout.write(_("%(count)s lead(s) returned to the pool.") % {"count": len(recycled)})
