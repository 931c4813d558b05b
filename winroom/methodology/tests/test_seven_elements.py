from datetime import date

import pytest

from winroom.methodology.errors import MethodologyError
from winroom.methodology.seven_elements import (
    DERIVED,
    JUDGED,
    Element,
    ElementChange,
    ElementsRule,
    compare,
    frequency_score,
    length_score,
    seven_elements,
    years_known,
)

TODAY = date(2025, 6, 30)


@pytest.mark.parametrize(
    ("n", "score"),
    [(0, 1), (1, 2), (2, 3), (3, 3), (4, 4), (5, 4), (6, 4), (7, 5), (8, 5), (100, 5)],
)
def test_frequency_bands(n, score):
    assert frequency_score(n) == score


@pytest.mark.parametrize("n", [-1, True, 1.0, "3"])
def test_frequency_rejects(n):
    with pytest.raises(MethodologyError):
        frequency_score(n)


@pytest.mark.parametrize(
    ("first", "score"),
    [
        (None, 1),
        (TODAY, 1),  # met today: 0 years
        (date(2024, 7, 1), 1),  # one day short of a year
        (date(2024, 6, 30), 2),  # exactly 1 year
        (date(2023, 7, 1), 2),  # one day short of 2 years
        (date(2023, 6, 30), 3),  # exactly 2 years
        (date(2020, 7, 1), 3),  # one day short of 5 years
        (date(2020, 6, 30), 4),  # exactly 5 years
        (date(2015, 7, 1), 4),  # one day short of 10 years
        (date(2015, 6, 30), 5),  # exactly 10 years
        (date(1990, 1, 1), 5),
    ],
)
def test_length_bands(first, score):
    assert length_score(first, TODAY) == score


@pytest.mark.parametrize(
    ("first", "today", "years"),
    [
        (date(2024, 2, 29), date(2025, 2, 28), 0),  # leap-day anniversary is 1 March
        (date(2024, 2, 29), date(2025, 3, 1), 1),
        (date(2024, 2, 29), date(2028, 2, 29), 4),
        (date(2024, 12, 31), date(2025, 1, 1), 0),
        (date(2024, 1, 1), date(2024, 12, 31), 0),
        (date(2024, 1, 1), date(2025, 1, 1), 1),
    ],
)
def test_years_known(first, today, years):
    assert years_known(first, today) == years


def test_future_first_contact_raises():
    with pytest.raises(MethodologyError):
        length_score(date(2025, 7, 1), TODAY)
    with pytest.raises(MethodologyError):
        seven_elements({}, interactions_90d=0, first_contact=date(2026, 1, 1), today=TODAY)


def test_company_bands():
    rule = ElementsRule(frequency_from=(2, 4, 8, 12), length_years_from=(1, 3, 6, 15))
    assert [frequency_score(n, rule) for n in (1, 2, 3, 4, 7, 8, 11, 12)] == [
        1,
        2,
        2,
        3,
        3,
        4,
        4,
        5,
    ]
    assert length_score(date(2019, 6, 30), TODAY, rule) == 4  # 6 years
    assert length_score(date(2019, 7, 1), TODAY, rule) == 3  # 5 years


@pytest.mark.parametrize(
    "kwargs",
    [
        {"frequency_from": (1, 2, 4)},
        {"frequency_from": (1, 2, 4, 7, 9)},
        {"frequency_from": (0, 2, 4, 7)},
        {"frequency_from": (1, 4, 4, 7)},
        {"frequency_from": (1, 5, 4, 7)},
        {"length_years_from": (1, 2, 5, 10.0)},
        {"length_years_from": (True, 2, 5, 10)},
    ],
)
def test_invalid_rules(kwargs):
    with pytest.raises(MethodologyError):
        ElementsRule(**kwargs)


def test_element_sets():
    assert [e.value for e in Element] == [
        "value",
        "favour",
        "decency",
        "standing",
        "frequency",
        "length",
        "depth",
    ]
    assert {Element.FREQUENCY, Element.LENGTH} == DERIVED
    assert JUDGED == (
        Element.VALUE,
        Element.FAVOUR,
        Element.DECENCY,
        Element.STANDING,
        Element.DEPTH,
    )


def test_seven_elements_full():
    judged = {"value": 4, "favour": 3, Element.DECENCY: 5, "standing": 1, "depth": 2}
    result = seven_elements(
        judged, interactions_90d=5, first_contact=date(2022, 6, 30), today=TODAY
    )
    assert result.values == {
        "value": 4,
        "favour": 3,
        "decency": 5,
        "standing": 1,
        "frequency": 4,
        "length": 3,
        "depth": 2,
    }
    assert list(result.values) == [e.value for e in Element]  # radar order
    assert result.derived == frozenset({"frequency", "length"})
    assert result.complete
    assert result.unanswered == ()
    assert result.years_known == 3
    assert result.interactions_90d == 5


def test_seven_elements_partial():
    result = seven_elements(
        {"value": 3, "depth": None}, interactions_90d=0, first_contact=None, today=TODAY
    )
    assert result.values["value"] == 3
    assert result.values["depth"] is None
    assert result.values["favour"] is None
    assert result.values["frequency"] == 1
    assert result.values["length"] == 1
    assert result.years_known is None
    assert not result.complete
    assert result.unanswered == ("favour", "decency", "standing", "depth")


def test_seven_elements_empty():
    result = seven_elements({}, interactions_90d=7, first_contact=TODAY, today=TODAY)
    assert result.values["frequency"] == 5
    assert result.values["length"] == 1
    assert len(result.unanswered) == 5


@pytest.mark.parametrize(
    "judged",
    [
        {"frequency": 3},
        {"length": 2},
        {"frequency": None},  # derived elements cannot be given at all
        {"warmth": 3},
        {"value": 0},
        {"value": 6},
        {"value": -1},
        {"value": 3.0},
        {"value": True},
        {"value": "3"},
    ],
)
def test_seven_elements_rejects(judged):
    with pytest.raises(MethodologyError):
        seven_elements(judged, interactions_90d=0, first_contact=None, today=TODAY)


def test_seven_elements_rejects_negative_interactions():
    with pytest.raises(MethodologyError):
        seven_elements({}, interactions_90d=-1, first_contact=None, today=TODAY)


@pytest.mark.parametrize("value", [1, 2, 3, 4, 5])
def test_every_valid_judged_value(value):
    result = seven_elements({"favour": value}, interactions_90d=0, first_contact=None, today=TODAY)
    assert result.values["favour"] == value


def test_compare():
    before = seven_elements(
        {"value": 2, "favour": 3, "depth": None},
        interactions_90d=1,
        first_contact=date(2024, 1, 1),
        today=TODAY,
    )
    after = seven_elements(
        {"value": 4, "favour": 3, "depth": 2, "standing": None},
        interactions_90d=7,
        first_contact=date(2024, 1, 1),
        today=TODAY,
    )
    assert compare(before, after) == (
        ElementChange("value", 2, 4, 2),
        ElementChange("frequency", 2, 5, 3),
        ElementChange("depth", None, 2, None),
    )
    assert compare(after, after) == ()
    assert compare(after, before)[0] == ElementChange("value", 4, 2, -2)
