"""``manyi import <kind> FILE``: the same checks as the upload screen, on the command line."""

import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from manyi.audit.services import audit_record
from manyi.imports.kinds import KINDS
from manyi.imports.models import ImportJob, ImportSource
from manyi.imports.services import import_job_check, import_job_commit
from manyi.org.models import Staff


class Command(BaseCommand):
    help = "Import units, staff, customers, assets or service events from a CSV or XLSX file."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("kind", choices=sorted(KINDS))
        parser.add_argument("file", type=Path)
        parser.add_argument(
            "--check",
            action="store_true",
            help="Only check the file and list its errors; store nothing.",
        )
        parser.add_argument(
            "--encoding",
            default="",
            help="CSV encoding (default: detect UTF-8, UTF-8 with BOM, GBK).",
        )
        parser.add_argument(
            "--user", default="", help="Import as this user name, within their part of the network."
        )

    def handle(
        self,
        *args: Any,
        kind: str,
        file: Path,
        check: bool,
        encoding: str,
        user: str,
        **options: Any,
    ) -> None:
        if not file.is_file():
            raise CommandError(f"{file}: no such file")
        actor = None
        if user:
            actor = Staff.objects.filter(username=user).first()
            if actor is None:
                raise CommandError(f"no user named {user}")
        job = ImportJob.objects.create(
            kind=kind,
            source=ImportSource.CLI,
            created_by=actor,
            original_name=file.name,
            size=file.stat().st_size,
        )
        audit_record(
            actor=actor, action="import_upload", obj=job, changes={"kind": kind, "file": str(file)}
        )
        run = import_job_check if check else import_job_commit
        with file.open("rb") as binary:
            job = run(job=job, binary=binary, encoding=encoding)
        for error in job.errors:
            where = f"row {error['row']}" + (
                f", column {error['column']}" if error["column"] else ""
            )
            value = f" ({error['value']!r})" if error["value"] else ""
            self.stderr.write(f"{file.name}: {where}{value}: {error['message']}")
        if job.error_count:
            shown = len(job.errors)
            more = (
                f" ({job.error_count - shown} more not listed)" if job.error_count > shown else ""
            )
            self.stderr.write(f"{job.error_count} error(s){more}; nothing was stored.")
            sys.exit(1)
        verb = "would create" if check else "created"
        self.stdout.write(
            f"{job.rows} rows: {verb} {job.created_count}, "
            f"{'would update' if check else 'updated'} {job.updated_count}."
        )
