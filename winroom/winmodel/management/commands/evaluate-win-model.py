"""``winroom evaluate-win-model`` — the spelling the issue uses for ``evaluate_win_model``."""

from winroom.winmodel.management.commands.evaluate_win_model import Command  # noqa: F401
