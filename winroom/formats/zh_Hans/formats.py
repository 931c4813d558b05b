"""Chinese number formats as business people write amounts: 6,000,000 (Django's have no grouping)."""

from django.conf.locale.zh_Hans.formats import *  # noqa: F403

THOUSAND_SEPARATOR = ","
NUMBER_GROUPING = 3
