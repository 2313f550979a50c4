"""Backing up and restoring the database: SQLite through its online backup API (a
consistent copy while manyi runs), PostgreSQL through pg_dump and pg_restore.

Uploaded and exported files live under MEDIA_ROOT (or object storage) and are backed
up with the host's own tools; see docs/production.md."""

import os
import sqlite3
import subprocess
from datetime import datetime
from pathlib import Path

from django.conf import settings
from django.db import connections
from django.utils import timezone

from manyi.audit.services import audit_record
from manyi.errors import DomainError


class BackupError(DomainError):
    pass


def _database() -> dict:
    return connections["default"].settings_dict


def _is_sqlite() -> bool:
    return _database()["ENGINE"] == "django.db.backends.sqlite3"


def default_backup_path(now: datetime | None = None) -> Path:
    stamp = timezone.localtime(now).strftime("%Y%m%d-%H%M%S")
    suffix = "sqlite3" if _is_sqlite() else "dump"
    return settings.VAR_DIR / "backups" / f"manyi-{stamp}.{suffix}"


def _pg_environment() -> dict[str, str]:
    """libpq's variables for the configured database (so no password is on a command line)."""
    db = _database()
    given = {
        "PGHOST": db.get("HOST") or "",
        "PGPORT": str(db.get("PORT") or ""),
        "PGUSER": db.get("USER") or "",
        "PGPASSWORD": db.get("PASSWORD") or "",
        "PGDATABASE": db["NAME"],
    }
    return {**os.environ, **{key: value for key, value in given.items() if value}}


def _run(command: list[str]) -> None:
    try:
        subprocess.run(  # noqa: S603 - PostgreSQL's tools, arguments from our settings
            command, env=_pg_environment(), check=True, capture_output=True, text=True
        )
    except FileNotFoundError as error:
        raise BackupError(f"{command[0]} is not installed (PostgreSQL's client tools)") from error
    except subprocess.CalledProcessError as error:
        raise BackupError(f"{command[0]} failed: {error.stderr.strip()}") from error


def database_backup(*, path: Path | None = None) -> Path:
    """Write a consistent copy of the whole database to ``path`` and return it."""
    path = Path(path or default_backup_path())
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.exists():
        raise BackupError(f"{path} exists already; a backup never overwrites one")
    # Readable by its owner only from the first byte: a backup holds personal data.
    os.close(os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600))
    try:
        if _is_sqlite():
            _sqlite_copy(_database()["NAME"], str(path))
        else:
            _run(["pg_dump", "--format=custom", "--no-owner", f"--file={path}"])
    except BaseException:
        path.unlink(missing_ok=True)  # no half backup left to mistake for one
        raise
    audit_record(actor=None, action="database_backup", changes={"file": path.name})
    return path


def _sqlite_copy(source_name: str, target_name: str) -> None:
    source = sqlite3.connect(source_name, uri=source_name.startswith("file:"))
    target = sqlite3.connect(target_name)
    try:
        with target:
            source.backup(target)
    finally:
        target.close()
        source.close()


def _check_sqlite_backup(path: Path) -> None:
    """A whole, sound manyi database, or an error (never restore over the database with
    an empty or foreign file)."""
    try:
        with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as backup:
            sound = backup.execute("PRAGMA integrity_check").fetchone() == ("ok",)
            ours = backup.execute(
                "SELECT 1 FROM sqlite_master WHERE name = 'django_migrations'"
            ).fetchone()
    except sqlite3.DatabaseError as error:
        raise BackupError(f"{path} is not a SQLite backup: {error}") from error
    if not (sound and ours):
        raise BackupError(f"{path} is not a SQLite backup of manyi")


def database_restore(*, path: Path) -> None:
    """Replace the whole database with the backup at ``path``."""
    path = Path(path)
    if not path.is_file():
        raise BackupError(f"{path}: no such backup")
    connections.close_all()
    if _is_sqlite():
        _check_sqlite_backup(path)
        _sqlite_copy(f"file:{path}?mode=ro", _database()["NAME"])
    else:
        _run(
            [
                "pg_restore",
                "--clean",
                "--if-exists",
                "--no-owner",
                "--single-transaction",
                f"--dbname={_database()['NAME']}",
                str(path),
            ]
        )
    audit_record(actor=None, action="database_restore", changes={"file": path.name})
