"""The Maven CRM sample (../shared/datasets/maven-crm-sales-opportunities) end to end.

Its four linked tables go in with the ready mappings, in order (accounts, products, sales
teams, pipeline), each as a dry run and then for real, and the result is checked against
the dataset's README: 8,800 deals (4,238 won, 2,473 lost, 2,089 open), 85 accounts, 7
product lines ("GTXPro" in the pipeline is the product "GTX Pro"), 35 agents under 6
managers in 3 regional offices. Importing the pipeline again creates nothing.
"""

import time
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from django.db.models import Count, Sum
from django.utils import timezone

import winroom
from winroom.accounts.models import Account, Industry
from winroom.deals.models import Deal, DealEvent, DealStatus, ProductLine
from winroom.imports import ready
from winroom.imports.importer import run_import
from winroom.imports.mapping import Mapping
from winroom.imports.models import ImportedKey
from winroom.org.models import Role, Team, User
from winroom.testing.factories import UserFactory

pytestmark = pytest.mark.django_db

FOLDER = (
    Path(winroom.__file__).resolve().parents[2]
    / "shared"
    / "datasets"
    / "maven-crm-sales-opportunities"
)
TABLES = [
    ("account", "maven-accounts", "accounts.csv"),
    ("product", "maven-products", "products.csv"),
    ("user", "maven-sales-teams", "sales_teams.csv"),
    ("deal", "maven-pipeline", "sales_pipeline.csv"),
]
NO_ACCOUNT = "Maven CRM: no account yet"


@pytest.fixture
def folder():
    if not FOLDER.is_dir():
        pytest.skip("../shared/datasets is absent (a new clone has no shared folder)")
    return FOLDER


def load(admin, kind, slug, filename, *, dry_run):
    saved = ready.install(slug, by=admin)
    started = time.monotonic()
    report = run_import(
        kind=kind,
        data=(FOLDER / filename).read_bytes(),
        filename=filename,
        user=admin,
        mapping=Mapping.from_json(saved.as_json()),
        source=saved.name,
        dry_run=dry_run,
    )
    assert report.ok, report.lines("en")[:10]
    return report, time.monotonic() - started


def test_the_four_tables_import_in_order_and_a_second_pipeline_import_changes_nothing(
    folder, capsys
):
    admin = UserFactory(username="importer", role=Role.ADMIN)
    rows = {name: len((folder / name).read_text().splitlines()) - 1 for _, _, name in TABLES}
    timings = {}
    for kind, slug, filename in TABLES:
        dry, timings[f"{filename} dry run"] = load(admin, kind, slug, filename, dry_run=True)
        assert dry.counts()["created"] == rows[filename]
        assert not ImportedKey.objects.filter(kind=kind).exists()  # the dry run wrote nothing
        real, timings[filename] = load(admin, kind, slug, filename, dry_run=False)
        assert real.counts() == dry.counts()

    # accounts: 85, their sector mapped where it fits, the rest kept as custom attributes
    imported = Account.objects.exclude(name=NO_ACCOUNT)
    assert imported.count() == rows["accounts.csv"] == 85
    acme = Account.objects.get(name="Acme Corporation")
    assert (acme.industry, acme.region) == (Industry.OTHER, "United States")
    assert acme.custom == {
        "source_industry": "technolgy",
        "year_established": 1996,
        "revenue_musd": 1100.04,
        "employees": 2822,
    }
    assert Account.objects.get(name="Betasoloin").industry == Industry.HEALTHCARE
    assert Account.objects.get(name="Bluth Company").custom["subsidiary_of"] == "Acme Corporation"
    assert imported.values("custom__source_industry").distinct().count() == 10

    # product lines: the 7 products; "GTXPro" in the pipeline is "GTX Pro"
    assert ProductLine.objects.count() == 7
    assert Deal.objects.filter(product_lines__name="GTX Pro").count() == 1480

    # 35 agents under 6 managers, a team per manager under the 3 regional offices
    agents = User.objects.filter(role=Role.REP)
    assert agents.count() == 35
    assert not any(user.has_usable_password() for user in agents)
    managers = User.objects.filter(role=Role.MANAGER)
    assert managers.count() == 6
    assert Team.objects.filter(parent__isnull=True).count() == 3
    moses = User.objects.get(display_name="Moses Frase")
    assert (moses.team.name, moses.team.manager.display_name) == (
        "Dustin Brinkmann",
        "Dustin Brinkmann",
    )
    assert moses.team.parent.name == "Central"
    assert all(
        team.manager.team_id == team.pk for team in Team.objects.filter(parent__isnull=False)
    )

    # deals: the README's counts
    deals = Deal.objects.all()
    assert deals.count() == 8800
    by_status = dict(deals.values_list("status").annotate(n=Count("id")))
    assert by_status == {DealStatus.WON: 4238, DealStatus.LOST: 2473, DealStatus.OPEN: 2089}
    open_by_stage = dict(deals.open().values_list("stage__number").annotate(n=Count("id")))
    assert open_by_stage == {1: 500, 2: 1589}
    assert deals.filter(account__name=NO_ACCOUNT).count() == 1425
    assert not deals.filter(account__name=NO_ACCOUNT).exclude(status=DealStatus.OPEN).exists()
    assert deals.values("owner").distinct().count() == 30
    assert deals.filter(status=DealStatus.LOST).aggregate(s=Sum("amount"))["s"] == 0
    assert deals.filter(closed_at__isnull=False).count() == 4238 + 2473
    first = Deal.objects.get(
        pk=ImportedKey.objects.get(kind="deal", external_id="1C1I7A6R").object_id
    )
    assert (first.owner, first.account.name, first.amount) == (moses, "Cancity", Decimal(1054))
    assert [p.name for p in first.product_lines.all()] == ["GTX Plus Basic"]
    assert timezone.localdate(first.created_at) == date(2016, 10, 20)
    assert timezone.localdate(first.closed_at) == date(2017, 3, 1)
    assert first.stage.number == 7 and first.custom == {"source_stage": "Won"}
    assert first.members.get().user == moses
    imported_events = DealEvent.objects.filter(kind=DealEvent.Kind.IMPORTED)
    assert imported_events.count() == 8800
    assert imported_events.filter(new="Maven CRM · sales_pipeline.csv").count() == 8800
    assert DealEvent.objects.filter(kind=DealEvent.Kind.STATUS).count() == 4238 + 2473
    assert Deal.history.count() == 8800

    # the same file again: nothing new, nothing changed
    again, timings["sales_pipeline.csv again"] = load(
        admin, "deal", "maven-pipeline", "sales_pipeline.csv", dry_run=False
    )
    assert again.counts() == {"created": 0, "updated": 0, "unchanged": 8800, "refused": 0}
    assert Deal.objects.count() == 8800
    with capsys.disabled():
        print("\nMaven CRM import times: " + ", ".join(f"{k} {v:.2f}s" for k, v in timings.items()))
