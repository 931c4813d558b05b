import math

import pytest

from winroom.methodology import naive_bayes_baseline as nb
from winroom.methodology.errors import MethodologyError


def _table():
    return nb.fit(
        [
            ({"client": "current", "source": "referral"}, True),
            ({"client": "current", "source": "media"}, True),
            ({"client": "new", "source": "referral"}, True),
            ({"client": "new", "source": "media"}, False),
            ({"client": "new", "source": None}, False),
        ]
    )


def test_the_score_follows_odoo_with_a_tenth_added_to_every_count():
    table = _table()
    # prior 3/5 won; client: won current 2, new 1; lost current 0, new 2
    # totals: won (2.1 + 1.1) = 3.2, lost (0.1 + 2.1) = 2.2
    s_won = 3 / 5 * (2.1 / 3.2)
    s_lost = 2 / 5 * (0.1 / 2.2)
    assert table.probability({"client": "current"}) == pytest.approx(s_won / (s_won + s_lost))


def test_several_fields_multiply():
    table = _table()
    # source: won referral 2, media 1; lost media 1 → won totals 3.2, lost totals 0.1+1.1=1.2
    s_won = 3 / 5 * (1.1 / 3.2) * (1.1 / 3.2)
    s_lost = 2 / 5 * (2.1 / 2.2) * (1.1 / 1.2)
    assert table.probability({"client": "new", "source": "media"}) == pytest.approx(
        s_won / (s_won + s_lost)
    )


def test_blank_unknown_fields_and_unseen_values_are_skipped():
    table = _table()
    prior = 3 / 5
    assert table.probability({}) == pytest.approx(prior)
    assert table.probability({"client": None, "colour": "red"}) == pytest.approx(prior)
    assert table.probability({"client": "past"}) == pytest.approx(prior)
    assert table.probability({"client": ""}) == pytest.approx(prior)


def test_values_are_compared_as_text():
    table = nb.fit([({"tier": 3}, True), ({"tier": 1}, False)])
    assert table.probability({"tier": 3}) > 0.5 > table.probability({"tier": "1"})


def test_many_fields_do_not_underflow():
    examples = [
        ({f"f{i}": "a" for i in range(400)}, True),
        ({f"f{i}": "b" for i in range(400)}, False),
    ]
    table = nb.fit(examples)
    p = table.probability({f"f{i}": "a" for i in range(400)})
    assert math.isfinite(p) and p == pytest.approx(1.0)


def test_one_outcome_only_is_refused():
    with pytest.raises(MethodologyError):
        nb.fit([({"a": "x"}, True)])
    with pytest.raises(MethodologyError):
        nb.fit([])
    with pytest.raises(MethodologyError):
        nb.fit([({"a": "x"}, 1), ({"a": "y"}, "no")])
