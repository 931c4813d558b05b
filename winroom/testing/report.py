"""pytest plugin: say plainly which database the run used and how many tests it ran."""

from django.db import connection


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    stats = terminalreporter.stats
    counts = {key: len(stats.get(key, [])) for key in ("passed", "failed", "error", "skipped")}
    ran = counts["passed"] + counts["failed"] + counts["error"]
    terminalreporter.write_line(
        f"Winroom tests on {connection.vendor}: {ran} run "
        f"({counts['passed']} passed, {counts['failed']} failed, {counts['error']} errors, "
        f"{counts['skipped']} skipped)"
    )
