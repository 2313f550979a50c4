"""Imported spreadsheets hold many customers' data in one file, with the rows that
failed quoted in the job's errors: the attachments' retention period removes them (they
are not searched person by person)."""

from datetime import datetime

from django.core.files.storage import default_storage
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from manyi.imports.models import ImportJob
from manyi.privacy.registry import Retention, declare, exempt


def imported_files_purge(cutoff: datetime) -> int:
    old = ImportJob.objects.filter(created_at__lt=cutoff).exclude(file="", errors=[], preview=[])
    names = [name for name in old.values_list("file", flat=True) if name]
    changed = old.update(file="", errors=[], preview=[])
    transaction.on_commit(lambda: [default_storage.delete(name) for name in names])
    return changed


declare(
    "imports.ImportJob",
    "file",
    "errors",
    "preview",
    label=_("Imported files and the rows quoted from them"),
    rows=lambda subject: ImportJob.objects.none(),
    retention=Retention.ATTACHMENTS,
    purge=imported_files_purge,
)
exempt("imports.ImportJob", "original_name", "message", why="the file's name and its summary")
