"""Seed the relationship action catalogue with METHODOLOGY §1.2's examples and a red line."""

from decimal import Decimal

from django.db import migrations

ACTIONS = [
    ("office_visit", "短暂拜访", "0.1"),
    ("phone_call", "电话沟通", "0.1"),
    ("business_meal", "工作餐", "0.5"),
    ("technical_exchange", "技术交流", "2"),
    ("product_demo", "产品演示", "2"),
    ("joint_workshop", "联合研讨会", "3"),
    ("hq_visit", "邀请考察公司总部", "5"),
    ("reference_visit", "样板点参观", "8"),
    ("executive_dinner", "高层会晤", "5"),
    ("strategic_agreement", "签署战略合作协议", "10"),
]


def seed(apps, schema_editor):
    Action = apps.get_model("accounts", "RelationshipActionType")
    RedLine = apps.get_model("accounts", "RedLineRule")
    for code, name, points in ACTIONS:
        Action.objects.get_or_create(code=code, defaults={"name": name, "points": Decimal(points)})
    RedLine.objects.get_or_create(
        name="禁止回扣与贵重礼品",
        defaults={
            "text": "公司红线：严禁回扣、返点及赠送贵重礼品或现金。",
            "keywords": "回扣\n返点\n购物卡\n现金红包\nkickback",
        },
    )


def unseed(apps, schema_editor):
    apps.get_model("accounts", "RelationshipActionType").objects.filter(
        code__in=[code for code, _name, _points in ACTIONS]
    ).delete()
    apps.get_model("accounts", "RedLineRule").objects.filter(name="禁止回扣与贵重礼品").delete()


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0003_relationshipactiontype_contact_backs_key_decisions_and_more")
    ]

    operations = [migrations.RunPython(seed, unseed)]
