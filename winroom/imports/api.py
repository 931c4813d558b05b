"""The import API: the same job as /import/, dry run first, then confirm.

POST /api/v1/imports/ takes a file (multipart), a kind and optionally a saved mapping's
name or a mapping as JSON (else one is proposed from the file, as on the page), creates a
job and runs its dry run: at once for a small file (201, with the report), in the
background for a large one (202; GET the job until ``task_state`` is blank).
POST /api/v1/imports/<id>/confirm/ runs the real import, all-or-nothing; it is refused
with 409 unless the job is a finished dry run without a bad row.

A job is its uploader's alone: anyone else gets 404. Every row is imported with the
uploader's own rights, so a rep is refused, row by row, what they could not do by hand
(another team's owner, an account they may not edit).
"""

import json
from pathlib import Path

from django.conf import settings
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_field,
)
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.response import Response

from winroom.api.base import UserLanguageMixin
from winroom.api.fields import parse_id
from winroom.imports import jobs
from winroom.imports.importer import IMPORTERS, Report, import_limits
from winroom.imports.mapping import MULTIPLE, Mapping, custom_targets, propose_columns, targets
from winroom.imports.messages import message
from winroom.imports.models import ImportJob, ImportKind, ImportMapping, JobStatus
from winroom.imports.reading import DEFAULT_MAX_BYTES, FileRefused, read_table


class ImportProgressSerializer(serializers.Serializer):
    phase = serializers.ChoiceField(
        choices=[(phase, phase) for phase in jobs.PHASES],
        help_text=_("queued, reading (the file), checking (a dry run) or writing (the import)"),
    )
    done = serializers.IntegerField(help_text=_("Rows dealt with so far."))
    total = serializers.IntegerField(help_text=_("Rows in the file (0 until it is read)."))
    percent = serializers.IntegerField()


class ImportProblemSerializer(serializers.Serializer):
    line = serializers.IntegerField(help_text=_("Line in the file (1 is the header)."))
    column = serializers.CharField()
    value = serializers.CharField()
    reason = serializers.CharField(help_text=_("Why, in your language."))


class ImportRowSerializer(serializers.Serializer):
    line = serializers.IntegerField()
    action = serializers.CharField(help_text=_("created, updated, unchanged or refused"))
    label = serializers.CharField()
    object_id = serializers.IntegerField(allow_null=True)


class ImportReportSerializer(serializers.Serializer):
    dry_run = serializers.BooleanField()
    ok = serializers.BooleanField(help_text=_("No bad row and no problem with the file."))
    counts = serializers.DictField(child=serializers.IntegerField())
    file_error = serializers.CharField(allow_null=True)
    problems = ImportProblemSerializer(many=True)
    rows = ImportRowSerializer(
        many=True, required=False, help_text=_("What became of each row (with ?rows=1 only).")
    )
    seconds = serializers.FloatField()


def report_data(job: ImportJob, *, rows: bool = False) -> dict | None:
    """The job's last report, with every reason in the caller's language; each row's
    outcome too if asked (a large file's are many)."""
    if not job.report:
        return None
    report = Report.from_json(job.report)
    data = {
        "dry_run": report.dry_run,
        "ok": report.ok,
        "counts": report.counts(),
        "file_error": report.file_error.text() if report.file_error else None,
        "problems": [
            {"line": row.line, "column": e.column, "value": e.value, "reason": e.text()}
            for row in report.bad_rows()
            for e in row.errors
        ],
        "seconds": report.seconds,
    }
    if rows:
        data["rows"] = [
            {"line": r.line, "action": r.action, "label": r.label, "object_id": r.object_id}
            for r in report.rows
        ]
    return data


class ImportJobSerializer(serializers.ModelSerializer):
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    progress = serializers.SerializerMethodField(
        help_text=_("How far a queued or running job has got; null otherwise.")
    )
    report = serializers.SerializerMethodField(
        help_text=_("The last run's report (the dry run's until the real run ends).")
    )

    class Meta:
        model = ImportJob
        fields = [
            "id",
            "kind",
            "filename",
            "sheet",
            "source",
            "mapping",
            "status",
            "status_display",
            "task_state",
            "progress",
            "created",
            "updated",
            "unchanged",
            "refused",
            "created_at",
            "finished_at",
            "seconds",
            "report",
        ]
        read_only_fields = fields

    @extend_schema_field(ImportProgressSerializer(allow_null=True))
    def get_progress(self, job):
        return jobs.progress_of(job)

    @extend_schema_field(ImportReportSerializer(allow_null=True))
    def get_report(self, job):
        request = self.context.get("request")
        wanted = request is not None and request.query_params.get("rows") in {"1", "true"}
        return report_data(job, rows=wanted)


class MappingJSONField(serializers.JSONField):
    """A mapping as JSON: an object, or (in a multipart form) its text."""

    def to_internal_value(self, data):
        if isinstance(data, str):
            try:
                data = json.loads(data)
            except ValueError as error:
                raise serializers.ValidationError(_("This is not valid JSON.")) from error
        return super().to_internal_value(data)


class ImportJobCreateSerializer(serializers.Serializer):
    file = serializers.FileField(help_text=_(".xlsx or .csv"))
    kind = serializers.ChoiceField(choices=ImportKind.choices)
    mapping = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=100,
        help_text=_("The name of a saved mapping of this kind."),
    )
    mapping_json = MappingJSONField(
        required=False,
        help_text=_(
            'A mapping: {"columns": {"header": "field"}, "values": {"field": {"theirs": '
            '"ours"}}, "options": {"month_first": ["field"]}}. Without this or `mapping`, '
            "one is proposed from the file's headers and contents."
        ),
    )
    source = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=100,
        help_text=_(
            "Where the external ids come from; the same source updates what it created "
            "(default: the saved mapping's name)."
        ),
    )
    sheet = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=100,
        help_text=_("The .xlsx sheet (default: the first)."),
    )

    def validate_kind(self, kind):
        if kind not in IMPORTERS:
            raise serializers.ValidationError(_("This kind of record cannot be imported yet."))
        return kind

    def validate_file(self, upload):
        limit = getattr(settings, "WINROOM_IMPORT_MAX_BYTES", DEFAULT_MAX_BYTES)
        if upload.size > limit:
            raise serializers.ValidationError(
                _("The file is too big (the limit is %(limit_mb)s MB).")
                % {"limit_mb": round(limit / 1024 / 1024)}
            )
        return upload

    def validate(self, attrs):
        kind = attrs["kind"]
        name = (attrs.get("mapping") or "").strip()
        given = attrs.get("mapping_json")
        if name and given is not None:
            raise serializers.ValidationError(
                {"mapping": [_("Give either a saved mapping or a mapping, not both.")]}
            )
        if name:
            saved = ImportMapping.objects.filter(kind=kind, name=name).first()
            if saved is None:
                raise serializers.ValidationError(
                    {"mapping": [_("No saved mapping of this kind has this name.")]}
                )
            attrs["chosen"] = Mapping.from_json(saved.as_json())
            attrs["source"] = attrs.get("source") or saved.name
        elif given is not None:
            attrs["chosen"] = self.checked_mapping(kind, given)
        data = attrs["file"].read()
        try:
            table = read_table(
                data, attrs["file"].name, limits=import_limits(), sheet=attrs.get("sheet") or None
            )
        except FileRefused as error:
            raise serializers.ValidationError(
                {"file": [message(error.code, error.params)]}
            ) from error
        if "chosen" not in attrs:
            attrs["chosen"] = Mapping(
                columns=propose_columns(
                    kind, table.headers, table.rows[:200], custom=custom_targets(kind)
                )
            )
        attrs["data"], attrs["rows"] = data, len(table.rows)
        return attrs

    def checked_mapping(self, kind, given) -> Mapping:
        problem = _("A mapping is an object with “columns”, “values” and “options” objects.")
        if not isinstance(given, dict) or not all(
            isinstance(given.get(part) or {}, dict) for part in ("columns", "values", "options")
        ):
            raise serializers.ValidationError({"mapping_json": [problem]})
        known = targets(kind)
        used: set[str] = set()
        for header, target in (given.get("columns") or {}).items():
            if not isinstance(target, str) or target not in known:
                raise serializers.ValidationError(
                    {
                        "mapping_json": [
                            _("“%(target)s” (for the column “%(header)s”) is not a field here.")
                            % {"target": target, "header": header}
                        ]
                    }
                )
            if target in used and target not in MULTIPLE:
                raise serializers.ValidationError(
                    {
                        "mapping_json": [
                            _("Two columns are mapped to “%(target)s”.") % {"target": target}
                        ]
                    }
                )
            used.add(target)
        values = given.get("values") or {}
        if not all(
            isinstance(table, dict) and all(isinstance(v, str) for v in table.values())
            for table in values.values()
        ):
            raise serializers.ValidationError({"mapping_json": [problem]})
        return Mapping.from_json(given)


ROWS = OpenApiParameter(
    "rows",
    bool,
    required=False,
    description=_("1 to list what became of every row in the report (line, action, id)."),
)
QUEUED = OpenApiResponse(
    ImportJobSerializer,
    description=_("A large file: the job is queued; GET it until its task_state is blank."),
)
CONFLICT = OpenApiResponse(
    description=_("Not a finished dry run without bad rows (or confirmed already): `detail`.")
)


class ImportJobViewSet(UserLanguageMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Your own import jobs: upload and dry-run a file, read the report, confirm it."""

    serializer_class = ImportJobSerializer
    filter_backends = []
    pagination_class = None

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return ImportJob.objects.none()
        return ImportJob.objects.filter(created_by=self.request.user).defer("content")

    @extend_schema(parameters=[ROWS])
    def retrieve(self, request, *args, **kwargs):
        """Your import job: its status, progress and report."""
        return super().retrieve(request, *args, **kwargs)

    def get_object(self):
        number = parse_id(self.kwargs.get("pk"))
        job = self.get_queryset().filter(pk=number).first() if number is not None else None
        if job is None:
            raise NotFound
        return job

    @extend_schema(
        request={"multipart/form-data": ImportJobCreateSerializer},
        parameters=[ROWS],
        responses={201: ImportJobSerializer, 202: QUEUED, 400: OpenApiResponse()},
        summary="Upload a file and dry-run its import (nothing is written)",
    )
    def create(self, request, *args, **kwargs):
        form = ImportJobCreateSerializer(data=request.data, context={"request": request})
        form.is_valid(raise_exception=True)
        data = form.validated_data
        job = ImportJob.objects.create(
            created_by=request.user,
            kind=data["kind"],
            filename=Path(data["file"].name).name[:255],
            content=data["data"],
            sheet=data.get("sheet") or "",
            mapping=data["chosen"].to_json(),
            source=data.get("source") or "",
        )
        queued = jobs.start(job, rows=data["rows"], size=len(data["data"]))
        return Response(
            self.get_serializer(job).data,
            status=status.HTTP_202_ACCEPTED if queued else status.HTTP_201_CREATED,
        )

    @extend_schema(
        request=None,
        parameters=[ROWS],
        responses={200: ImportJobSerializer, 202: QUEUED, 409: CONFLICT},
        summary="Confirm a clean dry run: import the file for real, all or nothing",
    )
    @action(detail=True, methods=["post"])
    def confirm(self, request, *args, **kwargs):
        job = self.get_object()
        if job.busy:
            problem = _("The job is still running; wait until it is done.")
        elif job.status != JobStatus.DRY_RUN or not job.report:
            problem = _("Only a finished dry run can be confirmed, and only once.")
        elif not Report.from_json(job.report).ok:
            problem = _("The dry run refused rows or the file: fix them and upload it again.")
        elif not jobs.confirm(job):
            problem = _("Only a finished dry run can be confirmed, and only once.")
        else:
            problem = None
        if problem is not None:
            return Response({"detail": problem}, status=status.HTTP_409_CONFLICT)
        queued = jobs.start(job, rows=job.created + job.updated + job.unchanged + job.refused)
        return Response(
            self.get_serializer(job).data,
            status=status.HTTP_202_ACCEPTED if queued else status.HTTP_200_OK,
        )
