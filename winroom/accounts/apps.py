from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "winroom.accounts"
    label = "accounts"
    verbose_name = _("Customer accounts")

    def ready(self):
        from . import signals  # noqa: F401  (the checklist's receivers)
