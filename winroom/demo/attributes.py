"""Demo custom attributes (issue 7): two on opportunities, one on accounts, with values.

预算来源 (a choice) and 招标编号 (a text, for deals that go to tender) on deals; 信息化预算
(万元, a number growing with the customer's size) on accounts. Deterministic from the seed,
written with bulk_update after the deals and accounts exist (no change history).
"""

from __future__ import annotations

import random

from winroom.accounts.models import Account, Size
from winroom.attributes.models import AttributeDefinition
from winroom.deals.models import Deal, DealSource

DEFINITIONS = [
    {
        "target": "deal",
        "code": "budget_source",
        "label": "预算来源",
        "label_en": "Budget source",
        "type": "choice",
        "choices": ["财政预算", "企业自筹", "专项资金", "银行贷款"],
        "position": 10,
    },
    {
        "target": "deal",
        "code": "tender_number",
        "label": "招标编号",
        "label_en": "Tender number",
        "type": "text",
        "position": 20,
        "help_text": "招标公告上的项目编号",
    },
    {
        "target": "account",
        "code": "it_budget",
        "label": "信息化预算(万)",
        "label_en": "IT budget (10k CNY)",
        "type": "number",
        "position": 10,
        "help_text": "客户本年度信息化预算，单位：万元",
    },
]

#: the yearly IT budget's range in 万元 by the customer's size
BUDGET_BY_SIZE = {
    Size.SMALL: (20, 120),
    Size.MEDIUM: (80, 500),
    Size.LARGE: (300, 2000),
    Size.XLARGE: (1000, 8000),
    Size.HUGE: (5000, 30000),
    "": (50, 800),
}
BUDGET_SOURCES = ["财政预算", "企业自筹", "专项资金", "银行贷款"]
SOURCE_WEIGHTS = [45, 35, 15, 5]
TENDER_PREFIXES = ["ZB", "GK", "SZCG", "JSZB", "HNZC"]


CHUNK = 2000


def _in_chunks(queryset):
    """The rows in primary-key order, a chunk at a time (memory stays flat at any scale)."""
    last = 0
    while True:
        rows = list(queryset.filter(pk__gt=last).order_by("pk")[:CHUNK])
        if not rows:
            return
        yield rows
        last = rows[-1].pk


def add_custom_attributes(*, seed: int) -> int:
    """Define the attributes (once) and fill them on most records; returns how many records
    got a value."""
    for spec in DEFINITIONS:
        AttributeDefinition.objects.get_or_create(
            target=spec["target"], code=spec["code"], defaults=spec
        )
    rng = random.Random(seed * 31 + 7)
    filled = 0
    for deals in _in_chunks(Deal.all_objects.only("pk", "source", "created_at", "custom")):
        for deal in deals:
            custom = dict(deal.custom or {})
            if rng.random() < 0.75:
                custom["budget_source"] = rng.choices(BUDGET_SOURCES, SOURCE_WEIGHTS)[0]
            if deal.source == DealSource.TENDER or rng.random() < 0.3:
                number = rng.randint(1, 999)
                custom["tender_number"] = (
                    f"{rng.choice(TENDER_PREFIXES)}{deal.created_at.year}-{number:03d}"
                )
            deal.custom = custom
            filled += bool(custom)
        Deal.all_objects.bulk_update(deals, ["custom"])
    for accounts in _in_chunks(Account.all_objects.only("pk", "size", "custom")):
        for account in accounts:
            if rng.random() < 0.65:
                low, high = BUDGET_BY_SIZE.get(account.size, BUDGET_BY_SIZE[""])
                account.custom = {**(account.custom or {}), "it_budget": rng.randint(low, high)}
            filled += bool(account.custom)
        Account.all_objects.bulk_update(accounts, ["custom"])
    return filled
