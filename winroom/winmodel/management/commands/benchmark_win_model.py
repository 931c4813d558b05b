"""Time the learned win model end to end on a synthetic company of any size."""

import time

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from winroom.deals.models import Deal, DealStatus
from winroom.org.models import Role
from winroom.winmodel import features
from winroom.winmodel.actions import explain_deals, score_open_deals
from winroom.winmodel.learning import fingerprint, train
from winroom.winmodel.models import ModelStatus, WinModel
from winroom.winmodel.synthetic import build_company


class Command(BaseCommand):
    help = (
        "Benchmark: write a synthetic company of --deals deals with their change history "
        "(into an empty database, or with --force), then time each step of the learned win "
        "model — point-in-time features of every closed deal, training with calibration, "
        "storing, scoring the open deals, and scoring every closed deal as it stands now."
    )

    def add_arguments(self, parser):
        parser.add_argument("--deals", type=int, default=100_000)
        parser.add_argument("--open-share", type=float, default=0.05)
        parser.add_argument("--seed", type=int, default=0)
        parser.add_argument("--snapshots-per-deal", type=int, default=features.SNAPSHOTS_PER_DEAL)
        parser.add_argument("--force", action="store_true", help="even if deals exist already")

    def handle(self, *args, deals, open_share, seed, snapshots_per_deal, force, **options):
        if Deal.all_objects.exists() and not force:
            raise CommandError("The database has deals already; use --force to add more.")
        owner, _created = get_user_model().objects.get_or_create(
            username="benchmark", defaults={"role": Role.ADMIN, "display_name": "benchmark"}
        )
        times = {}
        started = time.perf_counter()
        built = build_company(deals, owner=owner, seed=seed, open_share=open_share)
        times["write the synthetic company"] = time.perf_counter() - started
        self.stdout.write(
            f"{deals} deals written: {built['won']} won, {built['lost']} lost, "
            f"{built['open']} open ({connection.vendor})"
        )

        started = time.perf_counter()
        snapshots = features.training_snapshots(per_deal=snapshots_per_deal)
        times["point-in-time features of the closed deals"] = time.perf_counter() - started
        closed = len({s.deal_id for s in snapshots})

        started = time.perf_counter()
        fitted = train(snapshots, seed=seed)
        times["training with calibration"] = time.perf_counter() - started

        started = time.perf_counter()
        won = sum(1 for s in {s.deal_id: s for s in snapshots}.values() if s.won)
        model = WinModel.objects.create(
            status=ModelStatus.TRAINED,
            closed_deals=closed,
            won=won,
            lost=closed - won,
            rows=len(snapshots),
            features=fitted.coefficients(),
            parameters={"C": fitted.C, "benchmark": True, "excluded": fitted.excluded},
            fingerprint=fingerprint(snapshots),
            artifact=fitted.dumps(),
        )
        times["storing the model"] = time.perf_counter() - started

        started = time.perf_counter()
        scored = score_open_deals(model, fitted)
        times[f"scoring the {scored} open deals (features now, stored)"] = (
            time.perf_counter() - started
        )

        closed_ids = list(Deal.objects.exclude(status=DealStatus.OPEN).values_list("pk", flat=True))
        started = time.perf_counter()
        explained = explain_deals(model, closed_ids, fitted)
        times[f"scoring the {len(explained)} closed deals as they stand now (not stored)"] = (
            time.perf_counter() - started
        )

        self.stdout.write(
            f"{closed} closed deals, {len(snapshots)} rows (≤ {snapshots_per_deal} weekly "
            f"snapshots each), {len(fitted.encoder.columns)} columns, C={fitted.C}"
        )
        for step, seconds in times.items():
            self.stdout.write(f"  {step:<72}{seconds:>9.1f} s")
