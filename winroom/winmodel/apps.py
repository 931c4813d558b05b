from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WinModelConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "winroom.winmodel"
    verbose_name = _("Learned win probability")
