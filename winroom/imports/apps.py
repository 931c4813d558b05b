from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ImportsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "winroom.imports"
    verbose_name = _("Import")

    def ready(self):
        # importers in modules of their own import importer.py and add themselves to
        # IMPORTERS; importing them here (not from importer.py) avoids an import cycle
        from winroom.imports import (  # noqa: F401
            activity_import,
            deal_import,
            lead_import,
            org_import,
        )
