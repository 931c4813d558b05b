"""Seed the health radar's stage standards (METHODOLOGY §2.9); administrators may edit them."""

from django.db import migrations

STANDARDS = {
    1: {
        "inside_coach": 0,
        "decision_maker_coverage": 25,
        "decision_support": 0,
        "urgency": 40,
        "needs_clarity": 0,
        "motivation_clarity": 0,
    },
    2: {
        "inside_coach": 30,
        "decision_maker_coverage": 50,
        "decision_support": 25,
        "urgency": 70,
        "needs_clarity": 20,
        "motivation_clarity": 20,
    },
    3: {
        "inside_coach": 50,
        "decision_maker_coverage": 75,
        "decision_support": 40,
        "urgency": 70,
        "needs_clarity": 40,
        "motivation_clarity": 40,
    },
    4: {
        "inside_coach": 70,
        "decision_maker_coverage": 75,
        "decision_support": 50,
        "urgency": 80,
        "needs_clarity": 60,
        "motivation_clarity": 60,
    },
    5: {
        "inside_coach": 80,
        "decision_maker_coverage": 100,
        "decision_support": 60,
        "urgency": 80,
        "needs_clarity": 80,
        "motivation_clarity": 70,
    },
    6: {
        "inside_coach": 80,
        "decision_maker_coverage": 100,
        "decision_support": 70,
        "urgency": 90,
        "needs_clarity": 100,
        "motivation_clarity": 80,
    },
    7: {
        "inside_coach": 80,
        "decision_maker_coverage": 100,
        "decision_support": 75,
        "urgency": 90,
        "needs_clarity": 100,
        "motivation_clarity": 80,
    },
}


def seed(apps, schema_editor):
    Stage = apps.get_model("deals", "Stage")
    HealthStandard = apps.get_model("deals", "HealthStandard")
    for stage in Stage.objects.all():
        for indicator, value in STANDARDS.get(stage.number, {}).items():
            HealthStandard.objects.get_or_create(
                stage=stage, indicator=indicator, defaults={"value": value}
            )


class Migration(migrations.Migration):
    dependencies = [("deals", "0003_requirements_registration_value_health")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
