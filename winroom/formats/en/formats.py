"""English formats with thousands grouped, as for the Chinese ones."""

from django.conf.locale.en.formats import *  # noqa: F403

THOUSAND_SEPARATOR = ","
NUMBER_GROUPING = 3
