"""/import/: upload → correct the proposed mapping → dry-run report → confirm.

A job is seen only by whoever uploaded it (anyone else gets 404). Each row is imported
with the uploader's own rights, so a rep imports only what they could create by hand.
"""

import logging
from pathlib import Path

from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST
from django_htmx.http import HttpResponseClientRefresh

from winroom.imports import jobs
from winroom.imports.forms import MappingForm, UploadForm
from winroom.imports.importer import Report, import_limits
from winroom.imports.mapping import Mapping, custom_targets, propose_columns
from winroom.imports.messages import message
from winroom.imports.models import ImportJob, ImportMapping, JobStatus
from winroom.imports.reading import FileRefused, read_table

log = logging.getLogger(__name__)


def _job(request, pk):
    return get_object_or_404(ImportJob, pk=pk, created_by=request.user)


@login_required
def index(request):
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        data = upload.read()
        kind = form.cleaned_data["kind"]
        try:
            table = read_table(data, upload.name, limits=import_limits())
        except FileRefused as error:
            form.add_error("file", message(error.code, error.params))
        else:
            saved = form.cleaned_data.get("saved_mapping")
            if saved:
                mapping, source = Mapping.from_json(saved.as_json()), saved.name
            else:
                columns = propose_columns(
                    kind, table.headers, table.rows[:200], custom=custom_targets(kind)
                )
                mapping, source = Mapping(columns=columns), ""
            job = ImportJob.objects.create(
                created_by=request.user,
                kind=kind,
                filename=Path(upload.name).name[:255],
                content=data,
                mapping=mapping.to_json(),
                source=source,
            )
            return redirect("imports:mapping", pk=job.pk)
    jobs = ImportJob.objects.filter(created_by=request.user).defer("content")[:20]
    return render(request, "imports/index.html", {"form": form, "jobs": jobs})


@login_required
def mapping(request, pk):
    job = _job(request, pk)
    if job.status != JobStatus.DRY_RUN or job.busy:
        return redirect("imports:report", pk=job.pk)
    try:
        table = read_table(bytes(job.content), job.filename, limits=import_limits())
    except FileRefused as error:
        return render(
            request,
            "imports/report.html",
            {"job": job, "problem": message(error.code, error.params)},
        )
    form = MappingForm(
        request.POST or None,
        kind=job.kind,
        headers=table.headers,
        mapping=Mapping.from_json(job.mapping),
    )
    if request.method == "POST" and form.is_valid():
        chosen = form.mapping()
        job.mapping = chosen.to_json()
        name = form.cleaned_data.get("save_as", "").strip()
        with transaction.atomic():
            if name:
                ImportMapping.objects.update_or_create(
                    kind=job.kind,
                    name=name,
                    defaults={**chosen.to_json(), "created_by": request.user},
                )
                job.source = name
            job.save(update_fields=["mapping", "source"])
        jobs.start(job, rows=len(table.rows))  # now, or in the background when large
        return redirect("imports:report", pk=job.pk)
    samples = [
        [row[i] if i < len(row) else "" for row in table.rows[:3]]
        for i in range(len(table.headers))
    ]
    rows = list(zip(form.column_fields(), samples, strict=True))
    return render(request, "imports/mapping.html", {"job": job, "form": form, "rows": rows})


@login_required
def report(request, pk):
    job = get_object_or_404(ImportJob.objects.defer("content"), pk=pk, created_by=request.user)
    progress = jobs.progress_of(job)
    if request.htmx:  # the progress bar polls: its next state, or the whole page once done
        if progress is None:
            return HttpResponseClientRefresh()
        return render(request, "imports/report.html#progress", {"job": job, "progress": progress})
    result = Report.from_json(job.report) if job.report else None
    problems = []
    if result is not None:
        for row in result.bad_rows():
            for error in row.errors:
                problems.append(
                    {
                        "line": row.line,
                        "column": error.column,
                        "value": error.value,
                        "reason": error.text(),
                    }
                )
    return render(
        request,
        "imports/report.html",
        {
            "job": job,
            "result": result,
            "problems": problems,
            "file_problem": result.file_error.text() if result and result.file_error else "",
            "progress": progress,
            "can_confirm": job.status == JobStatus.DRY_RUN
            and not job.busy
            and result is not None
            and result.ok,
        },
    )


@login_required
@require_POST
def confirm(request, pk):
    job = _job(request, pk)
    if (
        job.busy
        or job.status != JobStatus.DRY_RUN
        or not job.report
        or not Report.from_json(job.report).ok
    ):
        return redirect("imports:report", pk=job.pk)
    if jobs.confirm(job):  # the real run: now, or in the background when large
        jobs.start(job, rows=job.created + job.updated + job.unchanged + job.refused)
    return redirect("imports:report", pk=job.pk)
