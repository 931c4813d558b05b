"""Seed the default TAS+ stage template (METHODOLOGY §2.1); administrators may edit it."""

from django.db import migrations

STAGES = [
    (1, "verify_opportunity", "compelling_event", "account_manager", "销售"),
    (2, "project_initiation", "internal_approval_and_team", "account_manager", "销售, 售前"),
    (3, "needs_analysis", "value_strategy_actions", "solution_manager", "销售, 售前, 研发"),
    (4, "value_presentation", "influenced_tender", "solution_manager", "销售, 售前, 市场"),
    (5, "tender_preparation", "tender_issued", "account_manager", "销售, 售前, 商务"),
    (6, "bidding", "bid_result", "solution_manager", "销售, 售前, 商务, 法务"),
    (7, "negotiation_signing", "contract_signed", "account_manager", "销售, 商务, 交付, 法务"),
]


def seed(apps, schema_editor):
    Stage = apps.get_model("deals", "Stage")
    for number, code, criterion, role, departments in STAGES:
        Stage.objects.get_or_create(
            code=code,
            defaults={
                "number": number,
                "exit_criterion": criterion,
                "lead_role": role,
                "departments": departments,
            },
        )


class Migration(migrations.Migration):
    dependencies = [("deals", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
