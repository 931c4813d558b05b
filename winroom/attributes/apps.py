from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AttributesConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "winroom.attributes"
    verbose_name = _("Custom attributes")
