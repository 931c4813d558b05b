"""The IBM Watson sales win-loss head (../shared/datasets/ibm-watson-sales-win-loss).

Only the first 128 rows are in the shared folder (README: 96 Loss / 32 Won). One opportunity
number spans two supplies subgroups, so the external id is the number with the subgroup.
Every column that does not fit a deal becomes a typed custom attribute. Importing the file
again creates nothing.
"""

import csv
import time
from decimal import Decimal
from pathlib import Path

import pytest
from django.db.models import Count, Sum

import winroom
from winroom.deals.models import Deal, DealStatus
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
    / "ibm-watson-sales-win-loss"
    / "WA_Fn-UseC_-Sales-Win-Loss.FIRST_128_ROWS_ONLY.csv"
)


@pytest.fixture
def data():
    if not FILE.is_file():
        pytest.skip("../shared/datasets is absent (a new clone has no shared folder)")
    return FILE.read_bytes()


def run(admin, data, mapping, *, dry_run):
    started = time.monotonic()
    report = run_import(
        kind="deal", data=data, filename=FILE.name, user=admin, mapping=mapping, dry_run=dry_run
    )
    print(f"IBM {'dry run' if dry_run else 'import'}: {time.monotonic() - started:.1f} s")
    assert report.ok, report.lines("en")[:10]
    return report


def test_every_column_is_mapped_with_typed_attributes(data):
    rows = list(csv.DictReader(data.decode("utf-8").splitlines()))
    ready = find("ibm-sales-win-loss")
    assert sorted(ready["columns"]) == sorted(rows[0])
    types = {a["code"]: a for a in ready["attributes"]}
    for column, target in ready["columns"].items():
        if not target.startswith("custom:"):
            continue
        attribute = types[target.removeprefix("custom:")]
        values = {row[column] for row in rows}
        if attribute["type"] == "choice":
            assert values <= set(attribute["choices"]), column
        elif attribute["type"] == "number":
            assert all(float(v) >= 0 for v in values), column


def test_ibm_dry_run_import_and_again(data):
    rows = list(csv.DictReader(data.decode("utf-8").splitlines()))
    admin = UserFactory(username="importer", role=Role.ADMIN)
    mapping = Mapping.from_json(install("ibm-sales-win-loss", by=admin).as_json())

    dry = run(admin, data, mapping, dry_run=True)
    assert dry.counts() == {"created": 128, "updated": 0, "unchanged": 0, "refused": 0}
    assert not Deal.objects.exists()

    report = run(admin, data, mapping, dry_run=False)
    assert report.counts()["created"] == 128
    counts = dict(Deal.objects.values_list("status").annotate(n=Count("pk")))
    assert counts == {DealStatus.LOST: 96, DealStatus.WON: 32}  # as in the file
    total = sum(Decimal(row["Opportunity Amount USD"]) for row in rows)
    assert Deal.objects.aggregate(total=Sum("amount"))["total"] == total
    assert ImportedKey.objects.filter(kind="deal", source="IBM sales win-loss").count() == 128

    split = Deal.objects.filter(custom__ibm_opportunity_number="4947042").order_by("amount")
    assert [(d.name, d.amount) for d in split] == [
        ("IBM 4947042 Towing & Hitches", Decimal(200000)),
        ("IBM 4947042 Exterior Accessories", Decimal(600000)),
    ]
    first = Deal.objects.get(name="IBM 1641984 Exterior Accessories")
    assert first.status == DealStatus.WON
    assert list(first.product_lines.values_list("name", flat=True)) == ["Exterior Accessories"]
    assert first.custom == {
        "ibm_opportunity_number": "1641984",
        "ibm_supplies_group": "Car Accessories",
        "ibm_region": "Northwest",
        "ibm_route_to_market": "Fields Sales",
        "ibm_days_in_stage": 76,
        "ibm_stage_changes": 13,
        "ibm_days_to_closing": 104,
        "ibm_days_to_qualified": 101,
        "ibm_client_size_revenue": 5,
        "ibm_client_size_employees": 5,
        "ibm_past_revenue": 0,
        "ibm_competitor_type": "Unknown",
        "ibm_ratio_identified": 0.69636,
        "ibm_ratio_validated": 0.113985,
        "ibm_ratio_qualified": 0.154215,
        "ibm_deal_size_category": 1,
    }
    # "None" (no competitor) is a value here, not a blank cell
    assert Deal.objects.filter(custom__ibm_competitor_type="None").count() == 8
    # numbers filter by range in the database
    assert Deal.objects.filter(custom__ibm_deal_size_category__gte=6).count() == 21

    again = run(admin, data, mapping, dry_run=False)
    assert again.counts() == {"created": 0, "updated": 0, "unchanged": 128, "refused": 0}
    assert Deal.objects.count() == 128
