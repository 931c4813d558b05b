"""The Salvirt B2B sales file (../shared/datasets/salvirt-b2b-sales) with its ready mapping.

448 closed deals (README: Won 227 / Lost 221), no names, ids, dates or amounts; 83 rows are
exact duplicates of others, so deals are told apart by their line in the file. Every seller
assessment becomes a typed custom attribute of the deal. Importing it again creates nothing.
"""

import csv
import time
from collections import Counter
from pathlib import Path

import pytest
from django.db.models import Count

import winroom
from winroom.accounts.models import Account
from winroom.attributes.models import AttributeDefinition
from winroom.deals.models import Deal, DealSource, DealStatus, ProductLine
from winroom.imports.importer import run_import
from winroom.imports.mapping import Mapping
from winroom.imports.models import ImportedKey
from winroom.imports.ready import find, install
from winroom.org.models import Role
from winroom.testing.factories import UserFactory

pytestmark = pytest.mark.django_db

FILE = (
    Path(winroom.__file__).resolve().parents[2]
    / "shared"
    / "datasets"
    / "salvirt-b2b-sales"
    / "Salvirt_B2B_ML_dataset_HF.csv"
)
ACCOUNT = "Salvirt customers (anonymised)"


@pytest.fixture
def data():
    if not FILE.is_file():
        pytest.skip("../shared/datasets is absent (a new clone has no shared folder)")
    return FILE.read_bytes()


def run(admin, data, mapping, *, dry_run):
    started = time.monotonic()
    report = run_import(
        kind="deal",
        data=data,
        filename=FILE.name,
        user=admin,
        mapping=mapping,
        dry_run=dry_run,
    )
    print(f"Salvirt {'dry run' if dry_run else 'import'}: {time.monotonic() - started:.1f} s")
    assert report.ok, report.lines("en")[:10]
    return report


def test_every_column_is_mapped_and_every_assessment_is_a_typed_attribute(data):
    header = data.decode("utf-8").splitlines()[0].split(";")
    ready = find("salvirt-b2b-sales")
    assert sorted(ready["columns"]) == sorted(header)
    rows = list(csv.DictReader(data.decode("utf-8").splitlines(), delimiter=";"))
    by_code = {a["code"]: a for a in ready["attributes"]}
    assert len(by_code) == 21  # 23 columns − Product (product line) − Status
    joined = {
        headers[0]: target.removeprefix("custom:")
        for target, headers in ready["options"]["join"].items()
    }
    assert joined == {"Source": "salvirt_source"}  # our source, and their value kept
    for column, target in ready["columns"].items():
        if target.startswith("custom:"):
            code = target.removeprefix("custom:")
        elif column in joined:
            code = joined[column]
        else:
            continue
        attribute = by_code[code]
        assert attribute["type"] == "choice"
        assert {row[column] for row in rows} <= set(attribute["choices"]), column


def test_salvirt_dry_run_import_and_again(data):
    admin = UserFactory(username="importer", role=Role.ADMIN)
    saved = install("salvirt-b2b-sales", by=admin)
    assert AttributeDefinition.objects.filter(code__startswith="salvirt_").count() == 21
    mapping = Mapping.from_json(saved.as_json())

    dry = run(admin, data, mapping, dry_run=True)
    assert dry.counts() == {"created": 448, "updated": 0, "unchanged": 0, "refused": 0}
    assert not Deal.objects.exists()
    assert not Account.objects.filter(name=ACCOUNT).exists()

    report = run(admin, data, mapping, dry_run=False)
    assert report.counts()["created"] == 448
    counts = dict(Deal.objects.values_list("status").annotate(n=Count("pk")))
    assert counts == {DealStatus.WON: 227, DealStatus.LOST: 221}
    assert set(Deal.objects.values_list("account__name", flat=True)) == {ACCOUNT}
    assert ProductLine.objects.filter(name__startswith="Product ").count() == 14
    assert ImportedKey.objects.filter(kind="deal").count() == 0  # the file has no ids

    first = Deal.objects.get(name="Salvirt 2: Product A, Seller 6")
    assert first.status == DealStatus.WON
    assert first.source == DealSource.REFERRAL
    assert list(first.product_lines.values_list("name", flat=True)) == ["Product A"]
    assert first.custom == {
        "salvirt_seller": "Seller 6",
        "salvirt_authority": "Mid",
        "salvirt_comp_size": "Mid",
        "salvirt_competitors": "No",
        "salvirt_purch_dept": "Unknown",
        "salvirt_partnership": "No",
        "salvirt_budgt_alloc": "Yes",
        "salvirt_forml_tend": "No",
        "salvirt_rfi": "Yes",
        "salvirt_rfp": "Yes",
        "salvirt_growth": "Growth",
        "salvirt_posit_statm": "Neutral",
        "salvirt_source": "Referral",
        "salvirt_client": "Current",
        "salvirt_scope": "Clear",
        "salvirt_strat_deal": "Very important",
        "salvirt_cross_sale": "No",
        "salvirt_up_sale": "Yes",
        "salvirt_deal_type": "Project",
        "salvirt_needs_def": "Yes",
        "salvirt_att_t_client": "Strategic account",
    }
    # the README's univariate signal survives the import: Up_sale Yes wins far more often
    up_sale = Counter(Deal.objects.filter(custom__salvirt_up_sale="Yes").values_list("status"))
    assert up_sale[(DealStatus.WON,)] > up_sale[(DealStatus.LOST,)]
    assert Deal.objects.filter(custom__salvirt_seller="Seller 1").count() == 178

    again = run(admin, data, mapping, dry_run=False)
    assert again.counts() == {"created": 0, "updated": 0, "unchanged": 448, "refused": 0}
    assert Deal.objects.count() == 448
