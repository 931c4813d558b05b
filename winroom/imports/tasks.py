"""Background tasks (huey; ``python -m winroom.manage run_huey`` runs them)."""

from huey.contrib.djhuey import db_task

from winroom.imports import jobs


@db_task()
def run_import_job(job_id: int) -> None:
    """An import job's next step, too large to run within a web request."""
    jobs.execute(job_id)
