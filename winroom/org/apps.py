from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrgConfig(AppConfig):
    name = "winroom.org"
    label = "org"
    verbose_name = _("People and teams")

    def ready(self):
        from winroom.org import security  # noqa: F401 — connects the login-time stamp
