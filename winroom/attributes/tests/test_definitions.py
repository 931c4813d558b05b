"""Custom attribute definitions: typed values, validation and import into deals' and accounts' JSON."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from winroom.attributes.models import AttributeDefinition, clean_custom

pytestmark = pytest.mark.django_db


def define(**kwargs):
    data = {"target": "account", "code": "tier", "label": "等级", "type": "text"}
    data.update(kwargs)
    definition = AttributeDefinition(**data)
    definition.full_clean()
    definition.save()
    return definition


def test_number_values_are_json_numbers():
    definition = define(code="seats", type="number")
    assert definition.to_python("1,200") == 1200
    assert definition.to_python("2.5") == 2.5
    assert definition.to_python("") is None
    for bad in ("many", "nan", True):
        with pytest.raises(ValidationError):
            definition.to_python(bad)


def test_dates_are_iso_strings():
    definition = define(code="renewal", type="date")
    assert definition.to_python(date(2026, 3, 1)) == "2026-03-01"
    assert definition.to_python("2026-03-01") == "2026-03-01"
    with pytest.raises(ValidationError):
        definition.to_python("next spring")


def test_choices_match_case_insensitively_and_refuse_others():
    definition = define(code="segment", type="choice", choices=["Gold", "Silver"])
    assert definition.to_python("gold") == "Gold"
    with pytest.raises(ValidationError):
        definition.to_python("Bronze")


def test_a_choice_needs_distinct_values():
    with pytest.raises(ValidationError):
        define(code="empty", type="choice", choices=[])
    with pytest.raises(ValidationError):
        define(code="twice", type="choice", choices=["A", "A"])


def test_codes_are_slugs():
    with pytest.raises(ValidationError):
        define(code="Has Space")


def test_clean_custom_refuses_unknown_codes_and_keeps_typed_values():
    define(code="seats", type="number")
    define(code="note")
    assert clean_custom("account", {"seats": "12", "note": " hi "}) == {"seats": 12, "note": "hi"}
    with pytest.raises(ValidationError):
        clean_custom("account", {"nope": "1"})
    with pytest.raises(ValidationError):
        clean_custom("deal", {"seats": "1"})  # defined for accounts only


def test_inactive_definitions_are_not_offered():
    definition = define(code="old")
    definition.active = False
    definition.save()
    with pytest.raises(ValidationError):
        clean_custom("account", {"old": "x"})
