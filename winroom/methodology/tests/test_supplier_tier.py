import pytest

from winroom.methodology.errors import MethodologyError
from winroom.methodology.supplier_tier import (
    TIER_CODES,
    SupplierTier,
    next_tier,
    supplier_tier,
)

T = SupplierTier


@pytest.mark.parametrize(
    ("tier", "level", "code"),
    [
        (T.BASIC_PRODUCT, 1, "basic_product"),
        (T.QUALITY_PRODUCT, 2, "quality_product"),
        (T.PERSONALISED_SERVICE, 3, "personalised_service"),
        (T.SOLUTION_PROVIDER, 4, "solution_provider"),
        (T.STRATEGIC_PARTNER, 5, "strategic_partner"),
    ],
)
def test_levels_and_codes(tier, level, code):
    assert tier == level
    assert tier.code == code
    assert T.from_code(code) is tier
    assert supplier_tier(level) is tier
    assert supplier_tier(code) is tier
    assert supplier_tier(str(level)) is tier


def test_order_and_codes():
    assert list(T) == sorted(T)
    assert T.BASIC_PRODUCT < T.STRATEGIC_PARTNER
    assert TIER_CODES == (
        "basic_product",
        "quality_product",
        "personalised_service",
        "solution_provider",
        "strategic_partner",
    )


@pytest.mark.parametrize(
    ("tier", "expected"),
    [
        (T.BASIC_PRODUCT, T.QUALITY_PRODUCT),
        (T.QUALITY_PRODUCT, T.PERSONALISED_SERVICE),
        (T.PERSONALISED_SERVICE, T.SOLUTION_PROVIDER),
        (T.SOLUTION_PROVIDER, T.STRATEGIC_PARTNER),
        (T.STRATEGIC_PARTNER, None),
    ],
)
def test_next_tier(tier, expected):
    assert next_tier(tier) is expected


def test_digit_with_spaces_and_full_width():
    assert supplier_tier(" 3 ") is T.PERSONALISED_SERVICE
    assert supplier_tier("５") is T.STRATEGIC_PARTNER


@pytest.mark.parametrize(
    "value", [0, 6, -1, "0", "6", "", "partner", "Basic_Product", True, 2.0, None]
)
def test_invalid(value):
    with pytest.raises(MethodologyError):
        supplier_tier(value)


def test_from_code_unknown():
    with pytest.raises(MethodologyError):
        T.from_code("vendor")
