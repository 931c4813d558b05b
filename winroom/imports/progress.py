"""How far an import has got, told while it runs.

``run_import`` hands each importer the table with its rows wrapped in ``CountedRows``: the
importer's own row loop (``for row, line in zip(table.rows, table.lines)``) then reports
every ``every`` rows without knowing it, so every importer, whoever wrote it, shows progress.
(An importer that first copies all the rows, ``list(zip(table.rows, ...))``, jumps from none
to all at once; taking them in chunks with ``itertools.islice`` keeps the count true.)

The reports go to a callback, ``progress(phase, done, total)``; ``winroom.imports.jobs``
writes them to a cache outside the import's transaction, where the report page reads them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

Progress = Callable[[str, int, int], None]

#: the phases, in order: the file is read, then its rows checked (a dry run) or written
READING, CHECKING, WRITING = "reading", "checking", "writing"
EVERY = 100


class CountedRows(list):
    """A table's rows; going through them calls ``progress`` every ``every`` rows."""

    def __init__(self, rows, progress: Progress, phase: str, every: int = EVERY):
        super().__init__(rows)
        self.progress = progress
        self.phase = phase
        self.every = max(1, every)

    def __iter__(self) -> Iterator[Any]:
        total = len(self)
        self.progress(self.phase, 0, total)
        for done, row in enumerate(super().__iter__(), 1):
            yield row  # resumed once the importer has dealt with the row
            if done % self.every == 0 and done < total:
                self.progress(self.phase, done, total)
        self.progress(self.phase, total, total)
