"""Seed the iron-supporter checklist with METHODOLOGY §1.3's three indicators and move each
contact's old boolean answers into per-contact records."""

from django.db import migrations

#: (code, name, order) — the codes are the old Contact boolean fields
DEFAULTS = [
    ("gives_information", "主动提供竞争对手或项目信息", 10),
    ("takes_part", "积极参与我方活动", 20),
    ("backs_key_decisions", "在关键决策中支持我方", 30),
]


def forwards(apps, schema_editor):
    Indicator = apps.get_model("accounts", "LevelIndicator")
    Contact = apps.get_model("accounts", "Contact")
    Mark = apps.get_model("accounts", "ContactIndicator")
    for code, name, order in DEFAULTS:
        indicator, _created = Indicator.objects.get_or_create(
            code=code, defaults={"name": name, "order": order, "active": True}
        )
        pks = Contact.objects.filter(**{code: True}).values_list("pk", flat=True)
        Mark.objects.bulk_create(
            [Mark(contact_id=pk, indicator=indicator) for pk in pks.iterator()],
            batch_size=1000,
            ignore_conflicts=True,
        )


def backwards(apps, schema_editor):
    Contact = apps.get_model("accounts", "Contact")
    Mark = apps.get_model("accounts", "ContactIndicator")
    for code, _name, _order in DEFAULTS:
        pks = Mark.objects.filter(indicator__code=code).values_list("contact_id", flat=True)
        Contact.objects.filter(pk__in=list(pks)).update(**{code: True})
    apps.get_model("accounts", "LevelIndicator").objects.filter(
        code__in=[code for code, _name, _order in DEFAULTS]
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("accounts", "0006_political_map_and_indicators")]

    operations = [migrations.RunPython(forwards, backwards)]
