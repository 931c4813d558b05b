"""Running import jobs: small ones within the request, large ones in the background.

A job's next step (its dry run, then once confirmed its real run) goes to the task queue
(huey, see ``winroom.imports.tasks``) when the file is larger than
``WINROOM_IMPORT_BACKGROUND_BYTES`` (default 1 MB) or has more than
``WINROOM_IMPORT_BACKGROUND_ROWS`` rows (default 2,000), so that no web request waits on it.
Meanwhile the job is "queued", then "running", and its progress (phase, rows done, rows in
all) is kept in the "progress" cache: the import is one transaction, so the database cannot
show it before the end. The report page and the API read it from there.
"""

from __future__ import annotations

import logging
import time

from django.conf import settings
from django.core.cache import caches
from django.db import transaction

from winroom.imports.importer import run_job
from winroom.imports.models import ImportJob, JobStatus, TaskState
from winroom.imports.progress import CHECKING, READING, WRITING

log = logging.getLogger(__name__)

BACKGROUND_ROWS = 2_000
BACKGROUND_BYTES = 1024 * 1024
QUEUED = "queued"
PHASES = (QUEUED, READING, CHECKING, WRITING)
#: how long a job's progress is kept, and how often at most it is written
KEEP_SECONDS = 24 * 3600
WRITE_SECONDS = 0.5
#: what the report reads after the run (only the fields the run changes, not the file)
RESULT_FIELDS = [
    "status",
    "task_state",
    "report",
    "created",
    "updated",
    "unchanged",
    "refused",
    "finished_at",
    "seconds",
]


def in_background(size: int, rows: int) -> bool:
    """Whether a file this large runs as a background job."""
    max_rows = getattr(settings, "WINROOM_IMPORT_BACKGROUND_ROWS", BACKGROUND_ROWS)
    max_bytes = getattr(settings, "WINROOM_IMPORT_BACKGROUND_BYTES", BACKGROUND_BYTES)
    return rows > max_rows or size > max_bytes


def _key(job: ImportJob) -> str:
    # the start time too: a job number handed out again (a new database) reads nothing old
    return f"winroom:import-progress:{job.pk}:{job.created_at.timestamp():.6f}"


def write_progress(job: ImportJob, phase: str, done: int, total: int) -> None:
    """Record how far the job has got; a cache that is down never stops an import."""
    try:
        caches["progress"].set(
            _key(job), {"phase": phase, "done": done, "total": total}, KEEP_SECONDS
        )
    except Exception:
        log.warning("could not record the progress of import job %s", job.pk, exc_info=True)


def progress_of(job: ImportJob) -> dict | None:
    """{phase, done, total, percent} of a queued or running job; None for any other."""
    if not job.busy:
        return None
    try:
        data = caches["progress"].get(_key(job))
    except Exception:
        log.warning("could not read the progress of import job %s", job.pk, exc_info=True)
        data = None
    if not data:
        data = {"phase": QUEUED if job.task_state == TaskState.QUEUED else READING}
    done, total = int(data.get("done") or 0), int(data.get("total") or 0)
    percent = min(100, done * 100 // total) if total else 0
    return {"phase": data["phase"], "done": done, "total": total, "percent": percent}


class ProgressWriter:
    """The ``progress(phase, done, total)`` callback of a job: writes at most twice a second,
    and always at a new phase and at its end."""

    def __init__(self, job: ImportJob):
        self.job = job
        self.phase = ""
        self.last = 0.0

    def __call__(self, phase: str, done: int, total: int) -> None:
        now = time.monotonic()
        boundary = phase != self.phase or done == 0 or done >= total
        if not boundary and now - self.last < WRITE_SECONDS:
            return
        self.phase, self.last = phase, now
        write_progress(self.job, phase, done, total)


def execute(job_id: int) -> None:
    """The background task's body: the job's next step, with its progress recorded.

    A crash marks the job failed (``run_job`` does; the import being one transaction,
    nothing was written) and is raised again for the task runner to log."""
    job = ImportJob.objects.filter(pk=job_id).only("pk", "created_at").first()
    if job is None:  # deleted while it waited
        return
    ImportJob.objects.filter(pk=job_id).update(task_state=TaskState.RUNNING)
    try:
        run_job(job_id, progress=ProgressWriter(job))
    finally:
        ImportJob.objects.filter(pk=job_id).update(task_state="")


def start(job: ImportJob, *, rows: int, size: int | None = None) -> bool:
    """Run the job's next step now if the file is small, else queue it; True when queued.

    Either way ``job`` is brought up to date. A crash of a step run now marks the job
    failed and is logged, not raised: the report says what happened."""
    if size is None:
        size = len(job.content)
    if not in_background(size, rows):
        try:
            run_job(job.pk)
        except Exception:
            log.exception("import job %s failed", job.pk)
        job.refresh_from_db(fields=RESULT_FIELDS)
        return False
    from winroom.imports.tasks import run_import_job

    job.task_state = TaskState.QUEUED
    job.save(update_fields=["task_state"])
    write_progress(job, QUEUED, 0, rows)
    job_id = job.pk
    transaction.on_commit(lambda: run_import_job(job_id))
    job.refresh_from_db(fields=RESULT_FIELDS)
    return True


def confirm(job: ImportJob) -> bool:
    """Mark a dry-run job confirmed, once: False if another request got there first."""
    changed = ImportJob.objects.filter(pk=job.pk, status=JobStatus.DRY_RUN, task_state="").update(
        status=JobStatus.CONFIRMED
    )
    if changed:
        job.status = JobStatus.CONFIRMED
    return bool(changed)
