"""``winroom evaluate-win-model``: out-of-sample metrics of the model and its baselines."""

import json
from datetime import datetime, time
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from winroom.winmodel.actions import run_evaluation
from winroom.winmodel.evaluation import PREDICTORS, NotEnoughData

NAMES = {
    "model": "learned model",
    "base_rate": "base rate",
    "stage": "stage-based",
    "naive_bayes": "naive Bayes (Odoo)",
    "rule": "rule-based TAS+",
}


def _number(value, sd=None, digits=3) -> str:
    if value is None:
        return "—"
    text = f"{value:.{digits}f}"
    if sd is not None:
        text += f" ±{sd:.{digits}f}"
    return text


def _span(pair) -> str:
    return f"[{pair[0]:+.3f}, {pair[1]:+.3f}]" if pair else "—"


def render(data: dict) -> list[str]:
    """The report as terminal lines."""
    d = data["data"]
    if data["method"] == "time":
        split = data["split"]
        how = (
            f"time-ordered split at {split['cut'][:10]}: train {split['train_deals']} deals "
            f"({split['train_rows']} rows), test {split['test_deals']} deals "
            f"({split['test_rows']} rows)"
        )
    else:
        how = (
            f"grouped cross-validation, {data['folds']} folds × {len(data['seeds'])} seeds "
            f"({data['groups']} groups)"
        )
    lines = [
        f"Closed deals: {d['closed_deals']} ({d['won']} won, {d['lost']} lost), {d['rows']} "
        f"rows (deal-weeks), created {d['first_created'][:10]} … {d['last_created'][:10]}",
        f"Method: {how}",
    ]
    if data.get("excluded_features"):
        lines.append(
            "Left out (they tell the outcome by themselves, so were recorded after it): "
            + ", ".join(data["excluded_features"])
        )
    lines += [
        "",
        f"{'predictor':<20}{'rows':>7}{'cover':>7}  {'AUC':<14}{'Brier':<14}{'log loss':<14}"
        f"{'ECE':<8}| model on the same rows: AUC / Brier / log loss",
    ]
    for name in PREDICTORS:
        item = data["predictors"][name]
        if "auc" not in item and "brier" not in item:
            lines.append(f"{NAMES[name]:<20}{item['rows']:>7}{'0%':>7}  not available")
            continue
        same = ""
        if name != "model":
            same = (
                f"| {_number(item.get('model_auc'))} / {_number(item.get('model_brier'))} / "
                f"{_number(item.get('model_log_loss'))}"
            )
        lines.append(
            f"{NAMES[name]:<20}{item['rows']:>7}{item['coverage']:>7.0%}  "
            f"{_number(item['auc'], item.get('auc_sd')):<14}"
            f"{_number(item['brier'], item.get('brier_sd')):<14}"
            f"{_number(item['log_loss'], item.get('log_loss_sd')):<14}"
            f"{_number(item['ece']):<8}{same}"
        )
    lines += [
        "",
        "Model minus baseline, 95 % paired bootstrap interval (first run; > 0 = the model is "
        "better): AUC gain / Brier reduction",
    ]
    for name in PREDICTORS[1:]:
        gain = data["predictors"][name].get("difference_interval")
        if gain:
            lines.append(f"  {NAMES[name]:<20}{_span(gain['auc']):<20}{_span(gain['brier'])}")
    lines += [
        "",
        "Calibration by decile (predictions pooled over the runs): n / mean predicted / won",
    ]
    header = f"{'band':<11}" + "".join(
        f"{NAMES[n][:18]:<20}" for n in PREDICTORS if data["predictors"][n].get("calibration")
    )
    lines.append(header)
    for index in range(10):
        row = f"{index / 10:.1f}–{(index + 1) / 10:.1f}    "
        for name in PREDICTORS:
            table = data["predictors"][name].get("calibration")
            if not table:
                continue
            band = table[index]
            cell = (
                f"{band['count']} / {band['mean_predicted']:.2f} / {band['observed']:.2f}"
                if band["count"]
                else "0"
            )
            row += f"{cell:<20}"
        lines.append(row)
    return lines


class Command(BaseCommand):
    help = (
        "Evaluate the learned win probability out of sample, beside its baselines (base rate, "
        "stage-based probabilities, Odoo-style naive Bayes, rule-based TAS+ win rate): AUC, "
        "Brier score, log loss, calibration by decile. A time-ordered split (by the deals' "
        "creation) when the deals have dates, else grouped cross-validation repeated with "
        "several seeds. Prints a table; --json writes everything. The report is also kept "
        "for the administrators' page."
    )

    def add_arguments(self, parser):
        parser.add_argument("--method", choices=["auto", "time", "cv"], default="auto")
        parser.add_argument("--seeds", type=int, default=5, help="CV repetitions (5)")
        parser.add_argument("--folds", type=int, default=5)
        parser.add_argument(
            "--train-fraction", type=float, default=0.7, help="time split: share of deals to train"
        )
        parser.add_argument("--split-date", help="time split: train on deals created before it")
        parser.add_argument("--snapshots-per-deal", type=int, default=None)
        parser.add_argument("--json", dest="json_path", help="write the full report here")
        parser.add_argument("--as", dest="username", help="who ran it (kept with the report)")

    def handle(self, *args, **options):
        split_at = None
        if options["split_date"]:
            try:
                day = datetime.strptime(options["split_date"], "%Y-%m-%d").date()
            except ValueError as error:
                raise CommandError(f"Not a date: {options['split_date']}") from error
            split_at = timezone.make_aware(datetime.combine(day, time.min))
        user = None
        if options["username"]:
            user = get_user_model().objects.filter(username=options["username"]).first()
            if user is None:
                raise CommandError(f"No user {options['username']!r}.")
        try:
            report = run_evaluation(
                by=user,
                method=options["method"],
                seeds=tuple(range(max(options["seeds"], 1))),
                folds=options["folds"],
                train_fraction=options["train_fraction"],
                split_at=split_at,
                per_deal=options["snapshots_per_deal"],
            )
        except NotEnoughData as error:
            raise CommandError(
                f"Too little history to evaluate ({error.reason}): {error.won} won and "
                f"{error.lost} lost closed deals; at least 50 closed and 10 of each are needed "
                "(and 10 of each on both sides of a time split)."
            ) from error
        for line in render(report.data):
            self.stdout.write(line)
        self.stdout.write(f"({report.data['seconds']} s)")
        if options["json_path"]:
            Path(options["json_path"]).write_text(
                json.dumps(report.data, indent=2, ensure_ascii=False), encoding="utf-8"
            )
            self.stdout.write(f"JSON written to {options['json_path']}")
