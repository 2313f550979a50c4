"""Import jobs: upload, check (a dry run listing every error), commit (all or nothing)."""

from pathlib import Path
from typing import IO, Any

from django.conf import settings
from django.core.cache import cache
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from manyi.audit.services import audit_record
from manyi.errors import DomainError
from manyi.imports.engine import ImportResult, run_import
from manyi.imports.kinds import KINDS
from manyi.imports.models import ImportJob, ImportSource, ImportStatus
from manyi.imports.readers import Table, TableError, open_table
from manyi.org.permissions import may_import

ALLOWED_SUFFIXES = {".csv", ".txt", ".tsv", ".xlsx"}


class ImportJobError(DomainError):
    pass


def _check_may_import(actor: Any, kind: str) -> None:
    """The actor may import files, and may write what this kind of file holds (units
    and staff: manage the organisation; customers, assets, events: edit customers;
    responses: record responses)."""
    if kind not in KINDS:
        raise ImportJobError(_("Unknown import kind: %(kind)s") % {"kind": kind})
    if actor is not None and not (may_import(actor) and KINDS[kind].permission(actor)):
        raise ImportJobError(
            _("Your role may not import %(kind)s.") % {"kind": str(KINDS[kind].label).lower()}
        )


def import_job_create(
    *, actor: Any, kind: str, upload: UploadedFile, source: str = ImportSource.WEB
) -> ImportJob:
    """Store an uploaded file as a new job; nothing is imported yet."""
    _check_may_import(actor, kind)
    suffix = Path(upload.name or "").suffix.lower()
    if suffix not in ALLOWED_SUFFIXES:
        raise ImportJobError(_("Upload a CSV or XLSX file."))
    if upload.size > settings.IMPORT_MAX_UPLOAD_MB * 1024 * 1024:
        raise ImportJobError(
            _("The file is larger than %(mb)s MB.") % {"mb": settings.IMPORT_MAX_UPLOAD_MB}
        )
    if upload.size == 0:
        raise ImportJobError(_("The file is empty."))
    with transaction.atomic():
        job = ImportJob.objects.create(
            kind=kind,
            source=source,
            created_by=actor,
            original_name=Path(upload.name or "").name[:255],
            size=upload.size,
        )
        job.file.save(job.original_name or f"import{suffix}", upload, save=True)
        audit_record(
            actor=actor,
            action="import_upload",
            obj=job,
            changes={"kind": kind, "file": job.original_name, "size": upload.size},
        )
    return job


def progress_key(job_id: int) -> str:
    return f"import-progress-{job_id}"


def job_progress(job: ImportJob) -> dict[str, Any]:
    """How far a running job is: a share of the file and the rows read, from the cache."""
    return cache.get(progress_key(job.pk)) or {"share": 0.0, "rows": 0}


def _run(
    job: ImportJob,
    *,
    commit: bool,
    binary: IO[bytes] | None = None,
    table: Table | None = None,
    encoding: str = "",
) -> ImportResult:
    actor = job.created_by
    kind = KINDS[job.kind]

    def on_progress(share: float, result: ImportResult) -> None:
        cache.set(
            progress_key(job.pk),
            {"share": round(min(share, 1.0), 4), "rows": result.rows},
            timeout=3600,
        )

    if table is None:
        if binary is None:
            binary = job.file.open("rb")
        try:
            table = open_table(binary, name=job.original_name, size=job.size, encoding=encoding)
        except TableError as error:
            result = ImportResult()
            result.add_error(max(error.row, 1), "", "", str(error))
            return result
        job.encoding = table.encoding
    return run_import(
        kind=kind, table=table, actor=actor, job_id=job.pk, commit=commit, on_progress=on_progress
    )


def _finish(job: ImportJob, result: ImportResult, *, commit: bool) -> ImportJob:
    job.rows = result.rows
    job.created_count, job.updated_count = result.created, result.updated
    job.error_count = result.error_count
    job.errors = [error.as_dict() for error in result.errors]
    job.preview = result.preview
    if result.error_count:
        job.status = ImportStatus.INVALID
    else:
        job.status = ImportStatus.DONE if commit else ImportStatus.CHECKED
    job.finished_at = timezone.now()
    job.save()
    cache.delete(progress_key(job.pk))
    if result.committed:
        audit_record(
            actor=job.created_by,
            action="import_commit",
            obj=job,
            changes={
                "kind": job.kind,
                "rows": job.rows,
                "created": job.created_count,
                "updated": job.updated_count,
            },
        )
    return job


def _mark(job: ImportJob, status: str) -> None:
    job.status = status
    job.save(update_fields=["status"])


def import_job_check(*, job: ImportJob, encoding: str = "", **sources: Any) -> ImportJob:
    """Dry-run the whole file: count what would be created and updated, list every error."""
    _mark(job, ImportStatus.CHECKING)
    return _guarded(job, commit=False, encoding=encoding, **sources)


def _check_committable(job: ImportJob, *, queued: bool = False) -> None:
    if job.status == ImportStatus.DONE:
        raise ImportJobError(_("This file has already been imported."))
    if job.status == ImportStatus.INVALID:
        raise ImportJobError(_("Fix the errors in the file and upload it again."))
    if job.is_running and not queued:
        raise ImportJobError(_("This file is being processed; wait until it finishes."))


def import_job_commit(*, job: ImportJob, encoding: str = "", **sources: Any) -> ImportJob:
    """Import the file in one transaction; on any error nothing is stored."""
    _check_committable(job, queued=job.status == ImportStatus.COMMITTING)
    return _guarded(job, commit=True, encoding=encoding, **sources)


def import_job_queue_commit(*, job: ImportJob) -> ImportJob:
    """Mark a checked file for commit by the worker (the caller enqueues the task)."""
    _check_committable(job)
    if job.status != ImportStatus.CHECKED:
        raise ImportJobError(_("Only a checked file without errors can be committed."))
    _mark(job, ImportStatus.COMMITTING)
    return job


def _guarded(job: ImportJob, *, commit: bool, **sources: Any) -> ImportJob:
    if commit:
        return _committed(job, **sources)
    try:
        result = _run(job, commit=False, **sources)
    except Exception as error:
        _failed(job, error)
        raise
    return _finish(job, result, commit=False)


def _committed(job: ImportJob, **sources: Any) -> ImportJob:
    """The rows and the job's "done" commit together, under a lock on the job: a worker
    killed before the commit leaves nothing, one killed after leaves the job done, and
    a second run of the same job (a retry) finds it done and stores nothing again."""
    try:
        with transaction.atomic():
            locked = ImportJob.objects.select_for_update().get(pk=job.pk)
            if locked.status in (ImportStatus.DONE, ImportStatus.INVALID):
                return locked  # another run of this job finished it
            ImportJob.objects.filter(pk=job.pk).update(status=ImportStatus.COMMITTING)
            result = _run(job, commit=True, **sources)
            return _finish(job, result, commit=True)
    except Exception as error:
        _failed(job, error)
        raise


def _failed(job: ImportJob, error: Exception) -> None:
    """Mark a run that broke off as failed, unless another run of the job finished it."""
    message = f"{type(error).__name__}: {error}"
    ImportJob.objects.filter(pk=job.pk).exclude(
        status__in=(ImportStatus.DONE, ImportStatus.INVALID)
    ).update(status=ImportStatus.FAILED, message=message, finished_at=timezone.now())
    job.refresh_from_db()


def import_rows(*, actor: Any, kind: str, rows: Table) -> ImportJob:
    """Import records already in memory (an API batch) as one committed job."""
    _check_may_import(actor, kind)
    job = ImportJob.objects.create(
        kind=kind, source=ImportSource.API, created_by=actor, original_name="api"
    )
    return import_job_commit(job=job, table=rows)
