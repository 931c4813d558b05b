"""Rows on every list for the shared company (winroom/conftest.py), and file readers.

The East ``owner`` has two of everything: one on the company's account and one on the
“星火” account (the one a ``q=星火`` filter keeps). The West ``outsider`` has one of
everything on a West account. Neither rep reads the other's rows.
"""

import csv
import io
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

import openpyxl
import pytest
from django.utils import timezone

from winroom.activities.actions import log_activity
from winroom.deals import actions as deal_actions
from winroom.leads import actions as lead_actions
from winroom.leads.models import LeadChannel
from winroom.plans import actions as plan_actions
from winroom.testing.factories import AccountFactory, ContactFactory
from winroom.visits.models import Visit

#: list → (URL name, column of the row's identity: 0 = ID; the portfolio has no ID)
LISTS = {
    "deals": "deals:list",
    "accounts": "accounts:list",
    "contacts": "contacts:list",
    "activities": "activities:list",
    "leads": "leads:list",
    "visits": "visits:list",
    "plans": "plans:list",
    "portfolio": "accounts:portfolio",
}
SPARK = "星火"


@dataclass
class World:
    company: object
    spark: object
    west: object
    #: list → identities (ID, or account name for the portfolio) of the owner's rows
    mine: dict = field(default_factory=dict)
    #: list → identities of the outsider's rows
    theirs: dict = field(default_factory=dict)
    #: list → identity of the owner's row the ``q=星火`` filter keeps
    spark_row: dict = field(default_factory=dict)


def _at(days_ago=0, hour=10):
    day = timezone.localdate() - timedelta(days=days_ago)
    return timezone.make_aware(datetime(day.year, day.month, day.day, hour))


def make_rows(by, account, contact, *, tag):
    """One row of every list for ``by`` on ``account``; returns list → identity."""
    channel = LeadChannel.objects.order_by("pk").first()
    deal = deal_actions.create_deal(
        by=by,
        data={
            "account": account,
            "name": f"{tag}项目",
            "amount": "3200000",
            "expected_close": date(2026, 12, 31),
        },
    )
    activity = log_activity(
        by=by,
        data={
            "account": account,
            "kind": "meeting",
            "subject": f"{tag}交流",
            "notes": "",
            "occurred_at": _at(2),
            "participants": [contact],
        },
    )
    lead = lead_actions.create_lead(
        by=by, data={"company_name": f"{account.name}分公司", "channel": channel}
    )
    visit = Visit(owner=by, account=account, deal=deal, planned_at=_at(1), objective="了解需求")
    visit.save()
    plan = plan_actions.create_plan(account, by=by, year=2026)
    return {
        "deals": deal.pk,
        "accounts": account.pk,
        "contacts": contact.pk,
        "activities": activity.pk,
        "leads": lead.pk,
        "visits": visit.pk,
        "plans": plan.pk,
        "portfolio": account.name,
    }


@pytest.fixture
def world(company):
    spark = AccountFactory(owner=company.owner, name=f"{SPARK}智能制造有限公司", region="苏州")
    spark_contact = ContactFactory(account=spark, name=f"{SPARK}联系人", title="厂长")
    west = AccountFactory(owner=company.outsider, name="成都西部客户有限公司", region="成都")
    west_contact = ContactFactory(account=west, name="西部联系人")
    result = World(company=company, spark=spark, west=west)
    first = make_rows(company.owner, company.account, company.contact, tag="申通")
    result.spark_row = make_rows(company.owner, spark, spark_contact, tag=SPARK)
    result.mine = {name: {first[name], result.spark_row[name]} for name in LISTS}
    other = make_rows(company.outsider, west, west_contact, tag="西部")
    result.theirs = {name: {other[name]} for name in LISTS}
    return result


# -- reading the files --------------------------------------------------------------------


def content(response) -> bytes:
    return response.getvalue()


def csv_rows(response) -> list[list[str]]:
    raw = content(response)
    assert raw.startswith(b"\xef\xbb\xbf"), "CSV without a byte-order mark"
    return list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))


def xlsx_sheet(response):
    return openpyxl.load_workbook(io.BytesIO(content(response))).worksheets[0]


def xlsx_rows(response) -> list[list]:
    return [list(row) for row in xlsx_sheet(response).iter_rows(values_only=True)]


def rows_of(response, fmt) -> list[list]:
    return csv_rows(response) if fmt == "csv" else xlsx_rows(response)


def identities(name, rows) -> set:
    """The rows' identities: the ID column (as int), the account name for the portfolio."""
    if name == "portfolio":
        return {row[0] for row in rows[1:]}
    return {int(row[0]) for row in rows[1:]}
