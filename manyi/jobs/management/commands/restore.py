"""``manyi restore FILE --yes``: replace the database with a backup (stop manyi first)."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from manyi.jobs.backups import BackupError, database_restore


class Command(BaseCommand):
    help = "Replace the whole database with a backup made by `manyi backup`."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("backup", type=Path)
        parser.add_argument(
            "--yes", action="store_true", help="Confirm: everything stored since is lost."
        )

    def handle(self, *args: Any, backup: Path, yes: bool, **options: Any) -> None:
        if not yes:
            raise CommandError("A restore replaces the whole database: add --yes to confirm.")
        try:
            database_restore(path=backup)
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(f"restored {backup}")
