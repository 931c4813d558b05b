"""Deal generation knobs: scale, skipping, the seed, and the commands."""

import io

from django.core.management import call_command

from winroom.accounts.models import Account, Contact
from winroom.activities.models import Activity
from winroom.deals.models import Deal, WinRatePoint
from winroom.demo.generator import generate
from winroom.insights.models import Contract, Payment
from winroom.org.models import Team
from winroom.visits.models import Visit


def _money_records_go_first():
    """Payments and contracts protect their deals from a hard delete (the app soft-deletes)."""
    Payment.objects.all().delete()
    Contract.objects.filter(renewal_of__isnull=False).delete()
    Contract.objects.all().delete()


def test_deals_scale_with_accounts_and_can_be_skipped(db):
    counts = generate(accounts=40, activities=600, seed=3)
    assert counts["deals"] == Deal.objects.count() == 108  # round(40 × 2.7)
    assert Deal.objects.filter(people__isnull=False).distinct().exists()
    Visit.all_objects.all().delete()
    _money_records_go_first()
    Deal.all_objects.all().delete()
    Activity.all_objects.all().delete()
    Contact.all_objects.all().delete()
    Account.all_objects.all().delete()
    counts = generate(accounts=10, activities=100, seed=3, deals_per_account=0)
    assert counts["deals"] == 0 and not Deal.objects.exists()
    assert not Activity.objects.filter(deal__isnull=False).exists()


def test_same_seed_same_deals_and_deals_leave_the_rest_unchanged(db):
    def snapshot():
        return (
            list(Account.objects.order_by("pk").values_list("name", "owner__username")),
            list(Contact.objects.order_by("pk").values_list("name", "phone")),
            list(Activity.objects.order_by("pk").values_list("subject", "occurred_at")),
            list(
                Deal.objects.order_by("pk").values_list(
                    "name", "amount", "stage__number", "status", "win_rate"
                )
            ),
            list(WinRatePoint.objects.order_by("deal_id", "week").values_list("rate", "cause")),
        )

    def wipe():
        Visit.all_objects.all().delete()
        _money_records_go_first()
        Deal.all_objects.all().delete()
        Activity.all_objects.all().delete()
        Contact.all_objects.all().delete()
        Account.all_objects.all().delete()

    generate(accounts=12, activities=150, seed=9)
    first = snapshot()
    assert first[3]
    wipe()
    generate(accounts=12, activities=150, seed=9)
    assert snapshot() == first
    wipe()
    generate(accounts=12, activities=150, seed=9, deals_per_account=0)
    without = snapshot()
    assert without[:3] == first[:3] and not without[3]


def test_generate_command_takes_deals_per_account(db):
    out = io.StringIO()
    call_command("generate", accounts=6, activities=40, reps=4, deals_per_account=2, stdout=out)
    assert Deal.objects.count() == 12
    assert "deals: 12" in out.getvalue()
    assert Team.objects.exists()


def test_load_demo_reports_the_deals(db):
    out = io.StringIO()
    call_command("load_demo", accounts=12, activities=200, stdout=out)
    assert "32 opportunities (商机)" in out.getvalue()
    before = Deal.objects.count()
    call_command("load_demo", accounts=12, activities=200, stdout=io.StringIO())
    assert Deal.objects.count() == before == 32
