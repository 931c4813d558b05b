"""The evaluation on real closed deals from ../shared/datasets (skipped when it is absent).

Salvirt (448 real B2B deals, CC BY 4.0) goes through the deal importer with its ready mapping,
then through the evaluation (grouped cross-validation; fewer seeds than docs/win-model.md to
stay quick). The Olist funnel is turned into a deal file the importer reads.
"""

import csv
from pathlib import Path

import pytest

import winroom
from winroom.imports.importer import run_import
from winroom.imports.mapping import Mapping
from winroom.imports.ready import install
from winroom.org.models import Role
from winroom.testing.factories import UserFactory
from winroom.winmodel.features import training_snapshots
from winroom.winmodel.management.commands.prepare_olist_deals import olist_rows

pytestmark = pytest.mark.django_db

DATASETS = Path(winroom.__file__).resolve().parents[2] / "shared" / "datasets"
SALVIRT = DATASETS / "salvirt-b2b-sales" / "Salvirt_B2B_ML_dataset_HF.csv"
OLIST = DATASETS / "olist-marketing-funnel"


def _needs(path: Path) -> None:
    if not path.exists():
        pytest.skip("../shared/datasets is absent (a new clone has no shared folder)")


def test_salvirt_the_model_beats_the_base_rate_and_naive_bayes():
    _needs(SALVIRT)
    from winroom.winmodel.evaluation import evaluate

    admin = UserFactory(username="importer", role=Role.ADMIN, is_superuser=True)
    mapping = install("salvirt-b2b-sales", by=admin)
    report = run_import(
        kind="deal",
        data=SALVIRT.read_bytes(),
        filename=SALVIRT.name,
        user=admin,
        mapping=Mapping.from_json(mapping.as_json()),
        source=mapping.name,
        dry_run=False,
    )
    assert report.ok
    snapshots = training_snapshots()
    assert len(snapshots) == 448 and sum(s.won for s in snapshots) == 227
    # imported after the outcome: the stage the importer derived from it is never a feature
    assert {s.features["stage"] for s in snapshots} == {None}
    data = evaluate(snapshots, method="cv", seeds=(0, 1))
    model = data["predictors"]["model"]
    base = data["predictors"]["base_rate"]
    naive = data["predictors"]["naive_bayes"]
    print(
        {
            k: (round(v["auc"], 3), round(v["brier"], 3))
            for k, v in data["predictors"].items()
            if "auc" in v
        }
    )
    assert data["method"] == "cv" and data["data"]["closed_deals"] == 448
    assert model["auc"] > base["auc"] + 0.2 and model["brier"] < base["brier"] - 0.05
    assert model["brier"] < naive["brier"] - 0.01
    # on AUC the two are close (docs/win-model.md: 0.814 vs 0.812 over five seeds)
    assert model["auc"] > naive["auc"] - 0.01
    assert data["predictors"]["stage"]["rows"] == 0 and data["predictors"]["rule"]["rows"] == 0


def test_olist_leads_become_dated_won_and_lost_deals(tmp_path):
    _needs(OLIST)
    rows = olist_rows(OLIST)
    # the README: 5,998 leads from 2018-01-01; won within 90 days 11.3 % overall
    assert len(rows) == 5998
    won = [r for r in rows if r["status"] == "won"]
    assert len(won) == 678
    assert min(r["first_contact_date"] for r in rows) == "2018-01-01"
    assert all(r["closed_date"] >= r["first_contact_date"] for r in rows)
    path = tmp_path / "olist.csv"
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows[:5])
    assert path.read_text(encoding="utf-8").startswith("mql_id,name,first_contact_date")
