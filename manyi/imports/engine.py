"""The import engine: stream a table, check every row, write in batches, all or nothing.

A run happens inside one transaction. Rows are parsed and checked a batch at a time
and written as they go (so a key repeated across batches is caught by the database,
not by a set held in memory); at the end the transaction commits only if no row
failed and the caller asked to commit. A dry run (the preview) is the same run,
rolled back.

The batches overlap: one is parsed in a thread (``readahead``) while batch k + 1 is
looked up, batch k written (its new rows by a ``BackgroundWriter``) and batch k + 1
checked. Errors are still listed in the order of the rows.
"""

from collections.abc import Callable, Iterator
from contextlib import closing
from dataclasses import dataclass, field
from itertools import islice
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from manyi.imports.columns import Column
from manyi.imports.readahead import read_ahead
from manyi.imports.readers import Table, TableError
from manyi.imports.writer import BackgroundWriter
from manyi.org.permissions import Capability

MAX_LISTED_ERRORS = 1000
PREVIEW_ROWS = 10


@dataclass(frozen=True)
class RowError:
    row: int
    column: str
    value: str
    message: str

    def as_dict(self) -> dict[str, Any]:
        return {
            "row": self.row,
            "column": self.column,
            "value": self.value,
            "message": self.message,
        }


@dataclass
class Row:
    number: int
    values: dict[str, Any]
    ok: bool = True


@dataclass
class ImportResult:
    rows: int = 0
    created: int = 0
    updated: int = 0
    error_count: int = 0
    errors: list[RowError] = field(default_factory=list)
    preview: list[dict[str, str]] = field(default_factory=list)
    committed: bool = False

    def add_error(self, row: int, column: str, value: Any, message: str) -> None:
        self.error_count += 1
        if len(self.errors) < MAX_LISTED_ERRORS:
            shown = "" if value is None else str(value)
            self.errors.append(RowError(row, column, shown[:100], str(message)))

    def add_errors(self, other: "ImportResult") -> None:
        """Count and list ``other``'s errors after this one's."""
        self.error_count += other.error_count
        self.errors.extend(other.errors[: MAX_LISTED_ERRORS - len(self.errors)])


class ImportKind:
    """What one kind of record needs: its columns, the checks that need the database, a writer."""

    code: str = ""
    label: Any = ""
    permission: Capability  # what the importing user must be allowed besides importing
    columns: list[Column] = []
    batch_size = 2000
    # A kind whose files carry columns of their own (a questionnaire's items) gets the
    # values of every column it does not declare in ``row.values["_other"]``.
    keeps_other_columns = False

    def context(self, *, actor: Any, job_id: int) -> dict[str, Any]:
        """Look-ups shared by every batch (unit codes, the actor's scope...)."""
        return {"actor": actor, "job_id": job_id}

    def look_up(self, rows: list[Row], ctx: dict[str, Any]) -> None:
        """Read what the batch's checks need from the database, into its rows. Runs
        before the batch before it is written, so it must not count on that batch's
        writes; a kind whose ``resolve`` then needs no query lets the writing of that
        batch overlap its checks."""

    def resolve(self, rows: list[Row], ctx: dict[str, Any], result: ImportResult) -> None:
        """Turn codes into database ids; mark rows that fail (``row.ok = False``)."""

    def write(self, rows: list[Row], ctx: dict[str, Any], result: ImportResult) -> None:
        """Create or update the records of the good rows, counting into ``result``. New
        rows may be handed to ``ctx["writer"]`` (a ``BackgroundWriter``)."""
        raise NotImplementedError

    def finish(self, ctx: dict[str, Any], result: ImportResult) -> None:
        """After the last batch of a file with no errors, in its transaction: what the
        writer kept to do once for the whole file."""

    def fail(self, result: ImportResult, row: Row, column: str, message: str) -> None:
        row.ok = False
        result.add_error(row.number, column, row.values.get(column, ""), message)

    def first_in_file(
        self, result: ImportResult, row: Row, column: str, seen: dict[Any, int]
    ) -> bool:
        """Note the row's key; False (with an error) when an earlier row had it already."""
        value = row.values[column]
        if value in seen:
            self.fail(
                result,
                row,
                column,
                _("appears more than once in this file (first on row %(row)s)")
                % {"row": seen[value]},
            )
            return False
        seen[value] = row.number
        return True


def _match_headers(kind: ImportKind, headers: list[str], result: ImportResult) -> dict[str, str]:
    """Map each column name to the header that carries it; report missing ones on row 1."""
    mapping: dict[str, str] = {}
    by_name = {header.lower(): header for header in headers if header}
    for column in kind.columns:
        found = next((by_name[name] for name in column.header_names() if name in by_name), None)
        if found is not None:
            mapping[column.name] = found
        elif column.required:
            result.add_error(1, column.name, "", _("required column is missing"))
    return mapping


def _parse(
    plan: list[tuple[str, str, Any, bool]],
    number: int,
    raw: dict[str, Any],
    result: ImportResult,
    others: list[str],
) -> Row:
    """Parse one row by ``plan``: (column name, its header, parser, required) per column."""
    values: dict[str, Any] = {}
    row = Row(number, values)
    if others:
        values["_other"] = {
            header: raw[header] for header in others if raw.get(header) not in (None, "")
        }
    for name, header, parse, required in plan:
        value = raw.get(header)
        if value is None or value == "" or (isinstance(value, str) and not value.strip()):
            if required:
                row.ok = False
                result.add_error(number, name, "", _("a value is required"))
            continue
        if isinstance(value, str) and "\x00" in value:
            row.ok = False
            result.add_error(number, name, "", _("NUL characters (code 0) are not allowed"))
            continue
        try:
            values[name] = parse(value)
        except ValueError as error:
            row.ok = False
            result.add_error(number, name, value, str(error))
    return row


def _parsed_batches(
    table: Table, plan: list[tuple[str, str, Any, bool]], others: list[str], size: int
) -> Iterator[tuple[list[Row], ImportResult]]:
    """The table's rows parsed, a batch at a time, each with the errors found in it. A
    line that cannot be read comes after the errors of the rows before it."""
    rows = iter(table.rows)
    while True:
        batch: list[Row] = []
        errors = ImportResult()
        try:
            for number, values in islice(rows, size):
                batch.append(_parse(plan, number, values, errors, others))
        except TableError:
            yield [], errors
            raise
        if not batch:
            return
        yield batch, errors


def run_import(
    *,
    kind: ImportKind,
    table: Table,
    actor: Any,
    job_id: int,
    commit: bool,
    on_progress: Callable[[float, ImportResult], None] | None = None,
) -> ImportResult:
    """Check every row of ``table`` and, if all are good and ``commit``, store them atomically."""
    result = ImportResult()
    mapping = _match_headers(kind, table.headers, result)
    if result.error_count:
        return result
    ctx = kind.context(actor=actor, job_id=job_id)
    ctx["columns"] = set(mapping)
    plan = [
        (column.name, mapping.get(column.name, ""), column.parse, column.required)
        for column in kind.columns
    ]
    others = (
        [h for h in table.headers if h and h not in mapping.values()]
        if kind.keeps_other_columns
        else []
    )
    ctx["other_columns"] = others
    parsed = read_ahead(lambda: _parsed_batches(table, plan, others, kind.batch_size))
    with transaction.atomic(), closing(parsed), BackgroundWriter() as writer:
        ctx["writer"] = writer
        # Batch k is written after batch k + 1 is looked up and before it is checked,
        # so the writer's work overlaps those checks.
        checked: list[Row] | None = None
        table_error: TableError | None = None
        try:
            for batch, errors in parsed:
                if batch:
                    writer.wait()
                    kind.look_up(batch, ctx)
                if checked is not None:
                    _write(kind, checked, ctx, result)
                    checked = None
                result.add_errors(errors)  # after the rows before them
                if not batch:
                    continue
                result.rows += len(batch)
                kind.resolve(batch, ctx, result)
                checked = [row for row in batch if row.ok]
                if on_progress:
                    on_progress(table.progress(), result)
        except TableError as error:
            table_error = error
        if checked is not None:
            _write(kind, checked, ctx, result)
        writer.wait()
        if table_error is not None:
            result.add_error(table_error.row, "", "", str(table_error))
        if not result.rows and not result.error_count:
            result.add_error(2, "", "", _("The file has a header but no rows."))
        if not result.error_count:
            kind.finish(ctx, result)
            writer.wait()
        result.committed = commit and not result.error_count
        if not result.committed:
            transaction.set_rollback(True)
    return result


def _write(kind: ImportKind, rows: list[Row], ctx: dict[str, Any], result: ImportResult) -> None:
    ctx["writer"].wait()
    kind.write(rows, ctx, result)
    _keep_preview(result, [row for row in rows if row.ok])


def _keep_preview(result: ImportResult, rows: list[Row]) -> None:
    for row in rows[: PREVIEW_ROWS - len(result.preview)]:
        result.preview.append(
            {
                "row": str(row.number),
                **{
                    key: _shown(value)
                    for key, value in row.values.items()
                    if not key.startswith("_")
                },
            }
        )


def _shown(value: Any) -> str:
    return "" if value is None else str(value)
