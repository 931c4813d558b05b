from decimal import Decimal

import pytest

from winroom.methodology.errors import MethodologyError
from winroom.methodology.value import value_case

D = Decimal


@pytest.mark.parametrize(
    ("product", "seller", "perception", "cost", "actual", "customer", "net", "worth"),
    [
        ("1000000", "200000", "0.8", "900000", "1200000.00", "960000.00", "60000.00", True),
        ("1000000", "0", "0.5", "500000", "1000000.00", "500000.00", "0.00", False),  # = 0
        ("1000000", "0", "0.5", "500000.01", "1000000.00", "500000.00", "-0.01", False),
        ("100", "0", "0", "0", "100.00", "0.00", "0.00", False),  # perception 0
        ("100", "50", "1", "149.99", "150.00", "150.00", "0.01", True),  # perception 1
        ("0.005", "0", "1", "0", "0.01", "0.01", "0.01", True),  # half up
        ("10.01", "0", "0.5", "0", "10.01", "5.01", "5.01", True),  # 5.005 → 5.01
        ("333.33", "0", "0.333", "0", "333.33", "111.00", "111.00", True),  # 110.998…
    ],
)
def test_value_case(product, seller, perception, cost, actual, customer, net, worth):
    case = value_case(D(product), D(seller), D(perception), D(cost))
    assert case.actual_value == D(actual)
    assert case.customer_value == D(customer)
    assert case.net == D(net)
    assert case.worth_doing is worth
    for money in (case.actual_value, case.customer_value, case.net, case.customer_cost):
        assert money.as_tuple().exponent == -2
    assert case.net == case.customer_value - case.customer_cost
    assert case.perception == D(perception)


@pytest.mark.parametrize(
    ("product", "seller", "perception", "cost"),
    [
        ("100", "0", "1.01", "0"),
        ("100", "0", "-0.1", "0"),
        ("-1", "0", "0.5", "0"),
        ("100", "-1", "0.5", "0"),
        ("100", "0", "0.5", "-1"),
        ("NaN", "0", "0.5", "0"),
        ("100", "0", "Infinity", "0"),
    ],
)
def test_bad_inputs_raise(product, seller, perception, cost):
    with pytest.raises(MethodologyError):
        value_case(D(product), D(seller), D(perception), D(cost))
