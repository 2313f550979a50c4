"""``manyi backup [--output FILE]``: a consistent copy of the database, while it runs."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from manyi.jobs.backups import BackupError, database_backup


class Command(BaseCommand):
    help = "Back up the database (SQLite's online backup, or pg_dump) to a file."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--output", type=Path, help="The file to write (default: var/backups/)."
        )

    def handle(self, *args: Any, output: Path | None, **options: Any) -> None:
        try:
            path = database_backup(path=output)
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(str(path))
