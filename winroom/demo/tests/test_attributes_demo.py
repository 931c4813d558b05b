"""The demo company carries custom attributes with valid values on most records."""

import pytest

from winroom.accounts.models import Account
from winroom.attributes.models import AttributeDefinition, clean_custom
from winroom.deals.models import Deal
from winroom.demo.attributes import add_custom_attributes
from winroom.demo.generator import generate

pytestmark = pytest.mark.django_db


def test_demo_attributes_are_defined_and_filled_with_valid_values():
    counts = generate(accounts=12, activities=200, seed=7)
    assert set(AttributeDefinition.objects.values_list("target", "code")) == {
        ("deal", "budget_source"),
        ("deal", "tender_number"),
        ("account", "it_budget"),
    }
    deals = list(Deal.all_objects.order_by("pk").values_list("custom", flat=True))
    accounts = list(Account.all_objects.values_list("custom", flat=True))
    assert counts["custom_values"] == sum(1 for c in deals + accounts if c)
    assert sum(1 for c in deals if "budget_source" in c) > len(deals) / 2
    assert any("tender_number" in c for c in deals)
    assert sum(1 for c in accounts if "it_budget" in c) > len(accounts) / 3
    for custom in deals:
        assert clean_custom("deal", custom) == custom
    for custom in accounts:
        assert clean_custom("account", custom) == custom
    # deterministic from the seed, and a second run defines nothing twice
    add_custom_attributes(seed=7)
    assert AttributeDefinition.objects.count() == 3
    assert list(Deal.all_objects.order_by("pk").values_list("custom", flat=True)) == deals
