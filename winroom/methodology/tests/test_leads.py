from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest

from winroom.methodology.errors import MethodologyError, ReasonRequiredError
from winroom.methodology.leads import (
    REASON_ABOVE_STANDARD_MAX,
    REASON_COMPLEX_NEED,
    REASON_NOT_HELD,
    REASON_RECENTLY_TOUCHED,
    REASON_SIZE_UNKNOWN,
    REASON_UNTOUCHED_TOO_LONG,
    REASON_WITHIN_SELF_SERVICE_MAX,
    REASON_WITHIN_STANDARD_MAX,
    LeadStatus,
    NeedType,
    RecycleRule,
    Route,
    RoutingRule,
    account_match_key,
    check_rejection,
    explain_recycle,
    match_account,
    normalize_account_name,
    reactivation_due,
    recycle_date,
    route_lead,
    should_recycle,
)

R = Route
N = NeedType
LS = LeadStatus


def test_enum_values():
    assert [r.value for r in Route] == ["self_service", "standard", "key_account"]
    assert [n.value for n in NeedType] == ["product", "solution", "strategic"]
    assert [s.value for s in LeadStatus] == ["new", "working", "qualified", "rejected", "recycled"]


# --------------------------------------------------------------------------- routing


@pytest.mark.parametrize(
    ("size", "route", "reason"),
    [
        ("0", R.SELF_SERVICE, REASON_WITHIN_SELF_SERVICE_MAX),
        ("19999.99", R.SELF_SERVICE, REASON_WITHIN_SELF_SERVICE_MAX),
        ("20000", R.SELF_SERVICE, REASON_WITHIN_SELF_SERVICE_MAX),  # on the bound
        ("20000.00", R.SELF_SERVICE, REASON_WITHIN_SELF_SERVICE_MAX),
        ("20000.01", R.STANDARD, REASON_WITHIN_STANDARD_MAX),
        ("199999.99", R.STANDARD, REASON_WITHIN_STANDARD_MAX),
        ("200000", R.STANDARD, REASON_WITHIN_STANDARD_MAX),  # on the bound
        ("200000.01", R.KEY_ACCOUNT, REASON_ABOVE_STANDARD_MAX),
        ("5000000", R.KEY_ACCOUNT, REASON_ABOVE_STANDARD_MAX),
    ],
)
@pytest.mark.parametrize("need", [N.PRODUCT, None])
def test_route_by_size(size, route, reason, need):
    decision = route_lead(expected_size=Decimal(size), need_type=need)
    assert decision.route == route
    assert decision.reason == reason
    assert decision.expected_size == Decimal(size)
    assert decision.need_type == need


@pytest.mark.parametrize("need", [N.SOLUTION, N.STRATEGIC, "solution", "strategic"])
@pytest.mark.parametrize("size", [None, "0", "1", "20000", "200000", "200000.01"])
def test_complex_need_goes_to_key_account_whatever_the_size(need, size):
    decision = route_lead(expected_size=None if size is None else Decimal(size), need_type=need)
    assert decision.route == R.KEY_ACCOUNT
    assert decision.reason == REASON_COMPLEX_NEED
    assert isinstance(decision.need_type, NeedType)


@pytest.mark.parametrize("need", [N.PRODUCT, None])
def test_unknown_size_goes_to_standard(need):
    decision = route_lead(expected_size=None, need_type=need)
    assert decision.route == R.STANDARD
    assert decision.reason == REASON_SIZE_UNKNOWN
    assert decision.expected_size is None


def test_integer_sizes_are_accepted():
    assert route_lead(expected_size=20_000, need_type=None).route == R.SELF_SERVICE  # type: ignore[arg-type]
    assert route_lead(expected_size=20_001, need_type=None).route == R.STANDARD  # type: ignore[arg-type]


@pytest.mark.parametrize("size", ["-0.01", "-1", "NaN", "Infinity", "-Infinity"])
@pytest.mark.parametrize("need", [N.PRODUCT, N.STRATEGIC])
def test_bad_sizes_are_errors_even_for_complex_needs(size, need):
    with pytest.raises(MethodologyError):
        route_lead(expected_size=Decimal(size), need_type=need)


def test_unknown_need_type_is_an_error():
    with pytest.raises(MethodologyError):
        route_lead(expected_size=Decimal(1), need_type="service")  # type: ignore[arg-type]


def test_company_routing_rule():
    rule = RoutingRule(self_service_max=Decimal(5000), standard_max=Decimal(50000))
    assert (
        route_lead(expected_size=Decimal(5000), need_type=None, rule=rule).route == R.SELF_SERVICE
    )
    assert route_lead(expected_size=Decimal(5001), need_type=None, rule=rule).route == R.STANDARD
    assert route_lead(expected_size=Decimal(50000), need_type=None, rule=rule).route == R.STANDARD
    decision = route_lead(expected_size=Decimal(50001), need_type=None, rule=rule)
    assert decision.route == R.KEY_ACCOUNT
    assert decision.rule is rule


def test_default_rule():
    assert RoutingRule() == RoutingRule(Decimal(20000), Decimal(200000))


@pytest.mark.parametrize(
    ("a", "b"),
    [
        (0, 100),
        (-1, 100),
        (100, 100),
        (200, 100),
        ("NaN", 100),
        (100, "Infinity"),
    ],
)
def test_bad_routing_rules(a, b):
    with pytest.raises(MethodologyError):
        RoutingRule(self_service_max=Decimal(a), standard_max=Decimal(b))


# --------------------------------------------------------------------------- recycle

TOUCHED = date(2024, 6, 1)


@pytest.mark.parametrize(
    ("days", "recycle"),
    [
        (-1, False),  # touched "tomorrow" (clock skew): kept
        (0, False),
        (13, False),
        (14, False),  # day 14: still kept
        (15, True),  # day 15: back to the pool
        (16, True),
        (400, True),
    ],
)
@pytest.mark.parametrize("status", [LS.NEW, LS.WORKING, "new", "working"])
def test_day_14_is_kept_day_15_returns(days, recycle, status):
    today = TOUCHED + timedelta(days=days)
    assert should_recycle(status=status, last_touched=TOUCHED, today=today) is recycle
    decision = explain_recycle(status=status, last_touched=TOUCHED, today=today)
    assert decision.reason == (REASON_UNTOUCHED_TOO_LONG if recycle else REASON_RECENTLY_TOUCHED)
    assert decision.days_untouched == days


def test_recycle_date():
    assert recycle_date(TOUCHED) == date(2024, 6, 16)
    assert recycle_date(TOUCHED, RecycleRule(untouched_days=1)) == date(2024, 6, 3)
    decision = explain_recycle(status=LS.NEW, last_touched=TOUCHED, today=date(2024, 6, 16))
    assert decision.recycle
    assert decision.returns_on == date(2024, 6, 16)


@pytest.mark.parametrize("status", [LS.QUALIFIED, LS.REJECTED, LS.RECYCLED])
@pytest.mark.parametrize("days", [0, 14, 15, 1000])
def test_statuses_that_never_recycle(status, days):
    today = TOUCHED + timedelta(days=days)
    assert not should_recycle(status=status, last_touched=TOUCHED, today=today)
    assert explain_recycle(status=status, last_touched=TOUCHED, today=today).reason == (
        REASON_NOT_HELD
    )


def test_running_the_sweep_twice_recycles_once():
    today = TOUCHED + timedelta(days=20)
    status = LS.WORKING
    recycled = 0
    for _ in range(2):
        if should_recycle(status=status, last_touched=TOUCHED, today=today):
            status = LS.RECYCLED
            recycled += 1
    assert status == LS.RECYCLED
    assert recycled == 1
    # and on a later day too
    assert not should_recycle(status=status, last_touched=TOUCHED, today=today + timedelta(9))


def test_datetimes_compare_by_date():
    # 14 days and 23 hours later is still "day 14"
    touched = datetime(2024, 6, 1, 0, 5)
    assert not should_recycle(
        status=LS.NEW, last_touched=touched, today=datetime(2024, 6, 15, 23, 59)
    )
    # late on day 1, early on day 16: 14 days and a few hours, yet day 15 → returns
    assert should_recycle(
        status=LS.NEW, last_touched=datetime(2024, 6, 1, 23, 0), today=datetime(2024, 6, 16, 1, 0)
    )
    # mixing a datetime and a date
    assert should_recycle(
        status=LS.NEW, last_touched=datetime(2024, 6, 1, 23, 0), today=date(2024, 6, 16)
    )


def test_company_recycle_rule():
    rule = RecycleRule(untouched_days=7)
    assert not should_recycle(
        status=LS.NEW, last_touched=TOUCHED, today=TOUCHED + timedelta(7), rule=rule
    )
    assert should_recycle(
        status=LS.NEW, last_touched=TOUCHED, today=TOUCHED + timedelta(8), rule=rule
    )


@pytest.mark.parametrize("days", [0, -1, True])
def test_bad_recycle_rules(days):
    with pytest.raises(MethodologyError):
        RecycleRule(untouched_days=days)


def test_unknown_status_is_an_error():
    with pytest.raises(MethodologyError):
        should_recycle(status="lost", last_touched=TOUCHED, today=TOUCHED)  # type: ignore[arg-type]


# --------------------------------------------------------------------------- rejection


@pytest.mark.parametrize(
    "reason",
    ["", " ", "\t\n", "\u3000", "\u3000 \u3000", "\u200b", " \u200b\ufeff "],
)
def test_blank_rejection_reasons_are_refused(reason):
    with pytest.raises(ReasonRequiredError):
        check_rejection(reason)


def test_rejection_error_is_a_methodology_error():
    with pytest.raises(MethodologyError):
        check_rejection("   ")


@pytest.mark.parametrize(
    ("reason", "cleaned"),
    [
        ("no budget", "no budget"),
        ("  no   budget \n", "no budget"),
        ("\u3000无预算\u3000", "无预算"),
        ("ＮＯ budget", "NO budget"),  # full-width letters become ASCII
        ("x", "x"),
    ],
)
def test_rejection_reason_is_returned_cleaned(reason, cleaned):
    assert check_rejection(reason) == cleaned


# --------------------------------------------------------------------------- re-activation


@pytest.mark.parametrize(
    ("days", "due"),
    [(0, False), (179, False), (180, True), (181, True), (-3, False)],
)
def test_reactivation_after_180_days(days, due):
    won = date(2024, 1, 10)
    assert reactivation_due(won_on=won, today=won + timedelta(days=days)) is due


def test_reactivation_with_company_interval():
    won = date(2024, 1, 10)
    assert reactivation_due(won_on=won, today=date(2024, 2, 9), interval_days=30)
    assert not reactivation_due(won_on=won, today=date(2024, 2, 8), interval_days=30)
    assert reactivation_due(
        won_on=datetime(2024, 1, 10, 22), today=date(2024, 2, 9), interval_days=30
    )


@pytest.mark.parametrize("interval", [0, -1, True])
def test_reactivation_interval_must_be_positive(interval):
    with pytest.raises(MethodologyError):
        reactivation_due(won_on=date(2024, 1, 1), today=date(2024, 9, 1), interval_days=interval)


# --------------------------------------------------------------------------- matching


@pytest.mark.parametrize(
    ("name", "normalized"),
    [
        ("华为技术有限公司", "华为技术"),
        ("华为技术股份有限公司", "华为技术"),
        ("华为技术有限责任公司", "华为技术"),
        ("华为集团", "华为"),
        ("华为公司", "华为"),
        ("中国石油天然气集团股份有限公司", "中国石油天然气"),
        ("某某控股集团有限公司", "某某"),
        ("华为北京分公司", "华为北京"),
        ("西门子（中国）有限公司", "西门子 中国"),
        ("  华为   技术  ", "华为 技术"),
        ("ＡＣＭＥ　Ｃｏ．，Ｌｔｄ．", "acme"),  # full-width letters, space and punctuation
        ("Acme Co., Ltd.", "acme"),
        ("ACME Corporation", "acme"),
        ("Acme Inc.", "acme"),
        ("Acme Group Limited", "acme"),
        ("Strasse GmbH", "strasse gmbh"),
        ("STRASSE", "strasse"),  # casefold
        ("Ltd Acme", "ltd acme"),  # only trailing words are suffixes
        ("有限公司", "有限公司"),  # never stripped to nothing
        ("集团有限公司", "集团"),
        ("Co Ltd", "co"),
        ("", ""),
        ("  ，。", ""),
    ],
)
def test_normalize_account_name(name, normalized):
    assert normalize_account_name(name) == normalized


def test_match_key_drops_spaces():
    assert account_match_key("华为 技术有限公司") == account_match_key("华为技术") == "华为技术"
    assert account_match_key("Big Co") == "big"


EXISTING = [
    (1, "华为技术有限公司"),
    (2, "华为"),
    (3, "中兴通讯股份有限公司"),
    (4, "华为技术（深圳）有限公司"),
    (5, "ACME Co., Ltd."),
    (6, "Acmeware Inc."),
    (7, "华为技术股份有限公司"),
]


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        # exact matches first (in the given order), then containment, closest first
        ("华为技术", (1, 7, 2, 4)),
        ("华为技术集团", (1, 7, 2, 4)),
        ("华为 技术 有限公司", (1, 7, 2, 4)),
        ("华为", (2, 1, 7, 4)),
        ("中兴通讯", (3,)),
        ("中兴通讯有限公司", (3,)),
        ("ＡＣＭＥ", (5, 6)),  # full-width letters
        ("acme corp", (5, 6)),
        ("Acmeware", (6, 5)),  # "acme" is contained in "acmeware"
        ("小米科技有限责任公司", ()),
        ("", ()),
        ("有限公司", ()),
        ("  ", ()),
    ],
)
def test_match_account(name, expected):
    assert match_account(name, EXISTING) == expected


def test_short_keys_only_match_exactly():
    existing = [(1, "AB Ltd"), (2, "ABC Trading"), (3, "中"), (4, "中信集团")]
    assert match_account("ab", existing) == (1,)  # "ab" is in "abctrading", but too short
    assert match_account("中", existing) == (3,)
    assert match_account("中信", existing) == (4,)  # two Chinese characters are enough
    assert match_account("ABC", existing) == (2,)  # three ASCII letters are enough


def test_duplicate_ids_appear_once_exact_first():
    existing = [(1, "华为技术研究院"), (2, "华为技术"), (1, "华为技术有限公司")]
    assert match_account("华为技术", existing) == (2, 1)
    assert match_account("华为技术", [(9, "华为技术"), (9, "华为技术公司")]) == (9,)


def test_match_accepts_a_generator():
    assert match_account("acme", ((i, n) for i, n in EXISTING)) == (5, 6)
