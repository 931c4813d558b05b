"""Train the learned win probability on the company's closed deals and score the open ones."""

from django.core.management.base import BaseCommand

from winroom.winmodel.actions import propose_health_standards, train_win_model
from winroom.winmodel.learning import MIN_CLOSED, MIN_PER_CLASS


class Command(BaseCommand):
    help = (
        "Train the learned win probability (calibrated logistic regression) on every closed "
        "deal — won = 1, lost or abandoned = 0, up to four weekly snapshots per deal, each "
        "with only what was recorded by then — store it with its metadata and score every "
        f"open deal. Fewer than {MIN_CLOSED} closed deals, or fewer than {MIN_PER_CLASS} won "
        "or lost, stores no model and the deal room says so. Idempotent: unchanged training "
        "data retrains nothing (the open deals are scored again). Also proposes health "
        "standards learned from won vs lost deals (METHODOLOGY §2.9) for an administrator to "
        "accept or reject. Schedule it weekly, after snapshot_win_rates."
    )

    def add_arguments(self, parser):
        parser.add_argument("--force", action="store_true", help="retrain even if unchanged")
        parser.add_argument("--seed", type=int, default=0, help="seed of the calibration folds")
        parser.add_argument(
            "--snapshots-per-deal", type=int, default=None, help="weekly snapshots per deal (4)"
        )
        parser.add_argument(
            "--skip-standards", action="store_true", help="do not propose health standards"
        )

    def handle(self, *args, force, seed, snapshots_per_deal, skip_standards, **options):
        result = train_win_model(force=force, seed=seed, per_deal=snapshots_per_deal)
        model = result["model"]
        if not model.is_trained:
            self.stdout.write(
                f"No model: too little history ({model.reason}): {model.closed_deals} closed "
                f"deals, {model.won} won, {model.lost} lost; at least {MIN_CLOSED} closed and "
                f"{MIN_PER_CLASS} of each outcome are needed."
            )
        elif result["created"]:
            in_sample = model.metrics.get("in_sample", {})
            self.stdout.write(
                f"Trained on {model.closed_deals} closed deals ({model.won} won, {model.lost} "
                f"lost; {model.rows} deal-weeks, {len(model.features)} columns, C={model.parameters['C']}) "
                f"in {model.seconds:.1f} s; in-sample AUC {in_sample.get('auc') or 0:.3f}, "
                f"Brier {in_sample.get('brier') or 0:.3f} (optimistic: run evaluate-win-model)."
            )
            if model.parameters.get("excluded"):
                self.stdout.write(
                    "Left out (they tell the outcome by themselves, so were recorded after it): "
                    + ", ".join(model.parameters["excluded"])
                )
        else:
            self.stdout.write(f"Training data unchanged since {model.trained_at:%Y-%m-%d %H:%M}.")
        self.stdout.write(f"{result['scored']} open deals scored.")
        if not skip_standards:
            proposed = propose_health_standards()
            self.stdout.write(f"{proposed['proposals']} health standards proposed.")
