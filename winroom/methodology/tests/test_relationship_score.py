from datetime import date, timedelta
from decimal import Decimal

import pytest

from winroom.methodology.errors import MethodologyError
from winroom.methodology.relationship_score import (
    DEFAULT_COEFFICIENTS,
    DEFAULT_RULE,
    ContactLevel,
    CountedAction,
    LoggedAction,
    RedLineBreach,
    RedLineRule,
    ScoreRule,
    account_score,
    check_red_lines,
    contact_score,
    explain_contact_score,
    is_key_contact,
    normalise_text,
)

TODAY = date(2025, 6, 30)
D = Decimal


def ago(days: int) -> date:
    return TODAY - timedelta(days=days)


def act(points: str | int, days_ago: int = 0, code: str = "technical_exchange") -> LoggedAction:
    return LoggedAction(code, D(points), ago(days_ago))


# --- the window ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("days_ago", "counted"),
    [
        (0, True),  # today
        (1, True),
        (364, True),  # last day inside the default window
        (365, False),  # exactly window_days ago: out
        (366, False),
        (3650, False),
    ],
)
def test_window_edges(days_ago, counted):
    result = explain_contact_score([act(2, days_ago)], level="staff", today=TODAY)
    assert (len(result.counted) == 1) is counted
    assert result.excluded_outside_window == (0 if counted else 1)
    assert result.excluded_future == 0
    assert result.score == (D("2.0") if counted else D("0.0"))


def test_window_start_is_reported():
    result = explain_contact_score([], level="staff", today=TODAY)
    assert result.window_start == ago(364)
    assert result.today == TODAY
    assert ScoreRule(window_days=1).window_start(TODAY) == TODAY


@pytest.mark.parametrize("days_ahead", [1, 30, 400])
def test_future_actions_are_excluded_and_reported(days_ahead):
    future = LoggedAction("technical_exchange", D(5), TODAY + timedelta(days=days_ahead))
    result = explain_contact_score([future, act(1)], level="staff", today=TODAY)
    assert result.excluded_future == 1
    assert result.excluded_outside_window == 0
    assert [c.action.points for c in result.counted] == [D(1)]
    assert result.score == D("1.0")


def test_company_window():
    rule = ScoreRule(window_days=90)
    result = explain_contact_score(
        [act(1, 89), act(1, 90), act(1, 91)], level="staff", today=TODAY, rule=rule
    )
    assert result.raw == D(1)
    assert result.excluded_outside_window == 2


def test_one_day_window_counts_today_only():
    rule = ScoreRule(window_days=1)
    result = explain_contact_score([act(3, 0), act(4, 1)], level="staff", today=TODAY, rule=rule)
    assert result.raw == D(3)


def test_leap_year_window():
    # 2024 is a leap year: 365 days before 2024-12-31 is 2024-01-01 (out), 01-02 is in
    today = date(2024, 12, 31)
    actions = [
        LoggedAction("visit", D(1), date(2024, 1, 1)),
        LoggedAction("visit", D(2), date(2024, 1, 2)),
    ]
    result = explain_contact_score(actions, level="staff", today=today)
    assert result.raw == D(2)
    assert result.window_start == date(2024, 1, 2)


# --- coefficients, sums, cap -------------------------------------------------------------


@pytest.mark.parametrize(
    ("level", "coefficient", "score"),
    [
        ("executive", D("1.5"), D("15.0")),
        ("manager", D("1.2"), D("12.0")),
        ("staff", D("1.0"), D("10.0")),
        (ContactLevel.EXECUTIVE, D("1.5"), D("15.0")),
    ],
)
def test_each_default_coefficient(level, coefficient, score):
    result = explain_contact_score([act(10, code="signed_agreement")], level=level, today=TODAY)
    assert result.coefficient == coefficient
    assert result.score == score
    assert result.counted == (CountedAction(act(10, code="signed_agreement"), score),)
    assert result.level == ContactLevel(level)


def test_catalogue_example_sums_exactly():
    # office visit 0.1, technical exchange 2, HQ visit 5, reference site 8, agreement 10
    actions = [act("0.1", 1), act(2, 2), act(5, 3), act(8, 4), act(10, 5)]
    result = explain_contact_score(actions, level="manager", today=TODAY)
    assert result.raw == D("25.1") * D("1.2")
    assert result.score == D("30.1")  # 30.12 quantized to 0.1
    assert not result.capped
    assert [c.weighted for c in result.counted] == [
        D("0.12"),
        D("2.4"),
        D("6.0"),
        D("9.6"),
        D("12.0"),
    ]


def test_rounding_is_half_up():
    # 0.05 × 1.0 = 0.05 → 0.1 (half up), 0.04 → 0.0
    assert contact_score([act("0.05")], level="staff", today=TODAY) == D("0.1")
    assert contact_score([act("0.04")], level="staff", today=TODAY) == D("0.0")


@pytest.mark.parametrize(
    ("points", "level", "raw", "score", "capped"),
    [
        ("99.9", "staff", D("99.9"), D("99.9"), False),
        ("100", "staff", D("100"), D("100.0"), False),  # exactly the cap: not capped
        ("100.01", "staff", D("100.01"), D("100.0"), True),
        ("200", "staff", D("200"), D("100.0"), True),
        ("66.7", "executive", D("100.05"), D("100.0"), True),
        ("80", "executive", D("120"), D("100.0"), True),
        ("83.3", "manager", D("99.96"), D("100.0"), False),  # rounds to 100.0, not capped
    ],
)
def test_cap(points, level, raw, score, capped):
    result = explain_contact_score([act(points)], level=level, today=TODAY)
    assert result.raw == raw
    assert result.score == score
    assert result.capped is capped


def test_cap_applies_to_the_sum():
    actions = [act(10, day) for day in range(12)]  # 120 points
    result = explain_contact_score(actions, level="staff", today=TODAY)
    assert result.raw == D(120)
    assert result.score == D("100.0")
    assert result.capped
    assert len(result.counted) == 12


def test_company_cap_and_coefficients():
    rule = ScoreRule(
        cap=D(50), coefficients={"executive": D(2), "manager": D("1.5"), "staff": D(1)}
    )
    assert contact_score([act(30)], level="executive", today=TODAY, rule=rule) == D("50.0")
    assert contact_score([act(30)], level="manager", today=TODAY, rule=rule) == D("45.0")
    assert rule.coefficient("executive") == D(2)
    assert list(rule.coefficients) == list(ContactLevel)


def test_empty():
    result = explain_contact_score([], level="executive", today=TODAY)
    assert result.score == D("0.0")
    assert result.raw == D(0)
    assert not result.capped
    assert result.counted == ()
    assert result.excluded_outside_window == result.excluded_future == 0


def test_zero_point_action_counts_but_adds_nothing():
    result = explain_contact_score([act(0)], level="staff", today=TODAY)
    assert len(result.counted) == 1
    assert result.score == D("0.0")


def test_counted_keeps_the_given_order_and_mixes_exclusions():
    actions = [act(1, 10), act(2, 400), act(3, 5), act(4, -1)]
    result = explain_contact_score(actions, level="staff", today=TODAY)
    assert [c.action.points for c in result.counted] == [D(1), D(3)]
    assert (result.excluded_outside_window, result.excluded_future) == (1, 1)


def test_actions_may_be_a_generator():
    result = explain_contact_score((act(1, d) for d in range(3)), level="staff", today=TODAY)
    assert result.raw == D(3)


def test_unknown_level_raises():
    with pytest.raises(MethodologyError):
        explain_contact_score([], level="director", today=TODAY)


# --- validation --------------------------------------------------------------------------


def test_defaults():
    assert DEFAULT_RULE.window_days == 365
    assert DEFAULT_RULE.cap == D(100)
    assert dict(DEFAULT_RULE.coefficients) == dict(DEFAULT_COEFFICIENTS)
    assert ScoreRule() == DEFAULT_RULE
    hash(DEFAULT_RULE)


@pytest.mark.parametrize(
    "kwargs",
    [
        {"window_days": 0},
        {"window_days": -5},
        {"window_days": True},
        {"cap": D(0)},
        {"cap": D(-1)},
        {"cap": D("NaN")},
        {"cap": D("Infinity")},
        {"cap": 100.0},
        {"coefficients": {"executive": D("1.5"), "manager": D("1.2")}},  # staff missing
        {"coefficients": {"executive": D(1), "manager": D(1), "staff": D(0)}},
        {"coefficients": {"executive": D(1), "manager": D(1), "staff": D(-1)}},
        {"coefficients": {"executive": D(1), "manager": D(1), "staff": 1.0}},
        {"coefficients": {"executive": D(1), "manager": D(1), "staff": D(1), "intern": D(1)}},
    ],
)
def test_invalid_rules(kwargs):
    with pytest.raises(MethodologyError):
        ScoreRule(**kwargs)


def test_rule_coefficients_are_read_only():
    rule = ScoreRule(coefficients={"executive": 2, "manager": 1, "staff": 1})
    assert rule.coefficient("executive") == D(2)
    with pytest.raises(TypeError):
        rule.coefficients["staff"] = D(5)  # type: ignore[index]


@pytest.mark.parametrize(
    ("code", "points"),
    [("", D(1)), ("  ", D(1)), ("visit", D(-1)), ("visit", D("NaN")), ("visit", 0.5)],
)
def test_invalid_actions(code, points):
    with pytest.raises(MethodologyError):
        LoggedAction(code, points, TODAY)


def test_integer_points_become_decimal():
    assert LoggedAction("visit", 2, TODAY).points == D(2)  # type: ignore[arg-type]


# --- account score, key contacts -----------------------------------------------------------


@pytest.mark.parametrize(
    ("scores", "expected"),
    [
        ([], None),
        ([D("0.0")], D("0.0")),
        ([D("40.0")], D("40.0")),
        ([D("40.0"), D("80.0")], D("60.0")),
        ([D("10.0"), D("10.0"), D("10.1")], D("10.0")),  # 10.0333… → 10.0
        ([D("10.0"), D("10.1")], D("10.1")),  # 10.05 → 10.1 (half up)
        ([D("100.0"), D("100.0")], D("100.0")),
        ((D(1), D(2)), D("1.5")),
    ],
)
def test_account_score(scores, expected):
    assert account_score(scores) == expected


@pytest.mark.parametrize("scores", [[D(-1)], [D("NaN")], [50.0]])
def test_account_score_rejects_bad_scores(scores):
    with pytest.raises(MethodologyError):
        account_score(scores)


@pytest.mark.parametrize(
    ("role", "marked", "key"),
    [(False, False, False), (True, False, True), (False, True, True), (True, True, True)],
)
def test_is_key_contact(role, marked, key):
    assert is_key_contact(holds_decision_role_in_open_deal=role, marked_key=marked) is key


# --- red lines -----------------------------------------------------------------------------

KICKBACK = RedLineRule("kickback", keywords=("回扣", "Kickback", "返点"))
GIFTS = RedLineRule(
    "gift_of_value",
    keywords=("购物卡", "gift card", "现金"),
    forbidden_action_codes=("gift_card", "cash_gift"),
)
RULES = (KICKBACK, GIFTS)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("技术交流，介绍方案", ()),
        ("", ()),
        ("商量回扣比例", (RedLineBreach("kickback", ("回扣",)),)),
        ("谈好了返点和回扣", (RedLineBreach("kickback", ("回扣", "返点")),)),
        ("offered a KICKBACK", (RedLineBreach("kickback", ("Kickback",)),)),
        ("kickbacks discussed", (RedLineBreach("kickback", ("Kickback",)),)),  # substring
        ("ｋｉｃｋｂａｃｋ", (RedLineBreach("kickback", ("Kickback",)),)),  # full-width
        ("送了一张ＧＩＦＴ　ＣＡＲＤ", (RedLineBreach("gift_of_value", ("gift card",)),)),
        ("a gift\n  card", (RedLineBreach("gift_of_value", ("gift card",)),)),  # whitespace
        ("a gift-card", ()),  # punctuation is not whitespace
        (
            "回扣用现金",
            (RedLineBreach("kickback", ("回扣",)), RedLineBreach("gift_of_value", ("现金",))),
        ),
    ],
)
def test_red_line_keywords(text, expected):
    assert check_red_lines(text=text, action_codes=(), rules=RULES) == expected


@pytest.mark.parametrize(
    ("codes", "expected"),
    [
        ((), ()),
        (("technical_exchange",), ()),
        (("gift_card",), ("gift_card",)),
        (("GIFT_CARD ",), ("gift_card",)),
        (("ｃａｓｈ＿ｇｉｆｔ", "gift_card"), ("gift_card", "cash_gift")),  # rule order
        (["technical_exchange", "cash_gift"], ("cash_gift",)),
    ],
)
def test_red_line_action_codes(codes, expected):
    breaches = check_red_lines(text="", action_codes=codes, rules=RULES)
    if not expected:
        assert breaches == ()
    else:
        assert breaches == (RedLineBreach("gift_of_value", (), expected),)
        assert breaches[0].matched == expected


def test_red_line_text_and_code_in_one_breach():
    (breach,) = check_red_lines(text="买了购物卡", action_codes={"gift_card"}, rules=[GIFTS])
    assert breach.rule_code == "gift_of_value"
    assert breach.matched_keywords == ("购物卡",)
    assert breach.matched_action_codes == ("gift_card",)
    assert breach.matched == ("购物卡", "gift_card")


def test_red_line_keyword_written_full_width_in_the_rule():
    rule = RedLineRule("cash", keywords=("ＣＡＳＨ",))
    assert check_red_lines(text="paid cash", action_codes=(), rules=[rule])[0].matched == (
        "ＣＡＳＨ",
    )


def test_no_rules_no_breach():
    assert check_red_lines(text="回扣", action_codes=("gift_card",), rules=()) == ()


@pytest.mark.parametrize(
    "kwargs",
    [
        {"code": "", "keywords": ("回扣",)},
        {"code": "empty"},
        {"code": "blank", "keywords": (" ",)},
        {"code": "blank", "forbidden_action_codes": ("",)},
        {"code": "blank", "keywords": ("\u3000",)},  # ideographic space
    ],
)
def test_invalid_red_line_rules(kwargs):
    with pytest.raises(MethodologyError):
        RedLineRule(**kwargs)


def test_normalise_text():
    assert normalise_text("  Ｇｉｆｔ\u3000Card\t ") == "gift card"
    assert normalise_text("ＡＢＣ１２３") == "abc123"
    assert normalise_text("Straße") == "strasse"  # case folding, not just lower()
