"""Drop the three hard-coded indicator booleans: their values live in ContactIndicator now."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("accounts", "0007_seed_level_indicators")]

    operations = [
        migrations.RemoveField(
            model_name="contact",
            name="backs_key_decisions",
        ),
        migrations.RemoveField(
            model_name="contact",
            name="gives_information",
        ),
        migrations.RemoveField(
            model_name="contact",
            name="takes_part",
        ),
        migrations.RemoveField(
            model_name="historicalcontact",
            name="backs_key_decisions",
        ),
        migrations.RemoveField(
            model_name="historicalcontact",
            name="gives_information",
        ),
        migrations.RemoveField(
            model_name="historicalcontact",
            name="takes_part",
        ),
    ]
