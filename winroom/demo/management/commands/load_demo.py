"""``load_demo``: load the Chinese demo company once (idempotent)."""

import time

from django.core.management.base import BaseCommand

from winroom.demo.generator import DEMO_LOGINS, demo_logins_table, generate
from winroom.org.models import User


class Command(BaseCommand):
    help = (
        "Load the demo company (智云工业软件有限公司: sales teams, users, accounts, contacts, "
        "activities and opportunities with their deal rooms) once. Does nothing if the demo "
        "users already exist."
    )

    def add_arguments(self, parser):
        parser.add_argument("--accounts", type=int, default=150, help="Accounts (default 150).")
        parser.add_argument(
            "--activities", type=int, default=4000, help="Activities (default 4000)."
        )
        parser.add_argument("--seed", type=int, default=2026, help="Random seed (default 2026).")

    def handle(self, *args, **options):
        usernames = [username for username, _role, _sees in DEMO_LOGINS]
        if User.objects.filter(username__in=usernames).exists():
            self.stdout.write(
                "The demo company is already loaded (演示数据已加载): nothing was changed."
            )
        else:
            started = time.perf_counter()
            self.stdout.write("Loading the demo company (正在加载演示数据)…")
            counts = generate(
                accounts=options["accounts"],
                activities=options["activities"],
                seed=options["seed"],
                stdout=self.stdout if options["verbosity"] >= 1 else None,
            )
            self.stdout.write(
                self.style.SUCCESS(
                    f"Demo company loaded in {time.perf_counter() - started:.1f}s: "
                    f"{counts['accounts']:,} accounts (客户), {counts['contacts']:,} contacts "
                    f"(联系人), {counts['activities']:,} activities (活动), "
                    f"{counts['deals']:,} opportunities (商机), {counts['users']} users (用户)."
                )
            )
        self.stdout.write(demo_logins_table())
