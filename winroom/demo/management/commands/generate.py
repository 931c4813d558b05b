"""``generate``: the demo company generator at any scale, for load and performance tests."""

from django.core.management.base import BaseCommand, CommandError

from winroom.accounts.models import Account
from winroom.demo.deals import DEFAULT_DEALS_PER_ACCOUNT
from winroom.demo.generator import generate
from winroom.org.models import User

DEFAULT_ACTIVITIES_PER_ACCOUNT = 4000 / 150


class Command(BaseCommand):
    help = (
        "Generate the demo company at a given scale (e.g. --accounts 50000) with bulk inserts "
        "and report rows per second. Refuses to write into a database that already holds "
        "users or accounts unless --force is given (it then adds to what is there)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--accounts", type=int, required=True, help="Number of accounts.")
        parser.add_argument(
            "--contacts-per-account",
            type=int,
            default=10,
            help="Average contacts per account (default 10; varies 3–40 per account).",
        )
        parser.add_argument(
            "--activities",
            type=int,
            default=None,
            help="Number of activities (default: about 27 per account).",
        )
        parser.add_argument(
            "--deals-per-account",
            type=float,
            default=DEFAULT_DEALS_PER_ACCOUNT,
            help=(
                f"Average opportunities per account (default {DEFAULT_DEALS_PER_ACCOUNT}; "
                "0 for none), each with its whole deal room and weekly win-rate curve."
            ),
        )
        parser.add_argument("--seed", type=int, default=2026, help="Random seed (default 2026).")
        parser.add_argument("--reps", type=int, default=12, help="Sales reps (default 12).")
        parser.add_argument(
            "--months", type=int, default=18, help="Months of activity history (default 18)."
        )
        parser.add_argument(
            "--no-history",
            action="store_true",
            help="Skip the change-history rows (faster at very large scale).",
        )
        parser.add_argument(
            "--force",
            action="store_true",
            help="Run even if the database already holds users or accounts.",
        )

    def handle(self, *args, **options):
        accounts = options["accounts"]
        if accounts < 1:
            raise CommandError("--accounts must be at least 1.")
        if options["reps"] < 1:
            raise CommandError("--reps must be at least 1.")
        if options["contacts_per_account"] < 0:
            raise CommandError("--contacts-per-account cannot be negative.")
        activities = options["activities"]
        if activities is None:
            activities = round(accounts * DEFAULT_ACTIVITIES_PER_ACCOUNT)
        if activities < 0:
            raise CommandError("--activities cannot be negative.")
        if options["deals_per_account"] < 0:
            raise CommandError("--deals-per-account cannot be negative.")
        if not options["force"] and (User.objects.exists() or Account.all_objects.exists()):
            raise CommandError(
                "The database is not empty (it has users or accounts). "
                "Use --force to add generated data to it anyway."
            )
        counts = generate(
            accounts=accounts,
            contacts_per_account=options["contacts_per_account"],
            activities=activities,
            seed=options["seed"],
            months=options["months"],
            reps=options["reps"],
            history=not options["no_history"],
            deals_per_account=options["deals_per_account"],
            stdout=self.stdout,
        )
        seconds = counts.pop("seconds")
        rows = sum(counts.values())
        for kind, number in counts.items():
            self.stdout.write(f"  {kind.replace('_', ' ')}: {number:,}")
        self.stdout.write(
            self.style.SUCCESS(
                f"{rows:,} rows in {seconds:.1f}s ({rows / max(seconds, 1e-9):,.0f} rows/s)."
            )
        )
