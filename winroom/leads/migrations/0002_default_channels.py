"""Seed the usual lead channels; administrators may edit them."""

from django.db import migrations

CHANNELS = ["官网咨询", "展会", "电话营销", "合作伙伴推荐", "老客户转介绍", "招投标信息"]


def seed(apps, schema_editor):
    LeadChannel = apps.get_model("leads", "LeadChannel")
    for name in CHANNELS:
        LeadChannel.objects.get_or_create(name=name)


class Migration(migrations.Migration):
    dependencies = [("leads", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
