"""Set-based INSERT, UPDATE and long value lists for the bulk paths (imports, the deadline
sweep), and the one-row INSERT of the hottest path (the survey submit).

Django's ``bulk_create`` compiles every value through the ORM, which costs more than
the database itself at a million rows. These callers already hold checked, typed
values, so the helpers only adapt dates, times and JSON for the backend and hand the
rows to the driver: COPY and one ``unnest`` UPDATE on PostgreSQL, ``executemany``
elsewhere. They fill ``auto_now`` / ``auto_now_add`` columns as ``save()`` would.
"""

import json
from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import UTC
from itertools import chain, islice
from typing import Any

from django.conf import settings
from django.db import connections, models, router
from django.utils import timezone


def _adapter(field: models.Field, connection: Any) -> Callable[[Any], Any] | None:
    """How to hand a field's Python value to the driver; None when it takes it as it is."""
    ops = connection.ops
    if isinstance(field, models.JSONField):
        return json.dumps
    if isinstance(field, models.DateField) and connection.vendor == "postgresql":
        return None  # psycopg takes dates and datetimes as they are (so does Django)
    if isinstance(field, models.DateTimeField):
        if connection.vendor == "sqlite" and settings.USE_TZ:
            # What Django's SQLite adapter does (naive UTC text), without its checks per value.
            return lambda value: str(value.astimezone(UTC).replace(tzinfo=None))
        return ops.adapt_datetimefield_value
    if isinstance(field, models.DateField):
        return ops.adapt_datefield_value
    if isinstance(field, models.DecimalField):
        return lambda value: ops.adapt_decimalfield_value(
            value, field.max_digits, field.decimal_places
        )
    return None


def _filled(model: type[models.Model], given: dict[str, Any], *, creating: bool) -> dict[str, Any]:
    """Values for the columns a row does not give: timestamps, and defaults on insert."""
    now = timezone.now()
    filled = {}
    for field in model._meta.concrete_fields:
        if field.primary_key or field.attname in given:
            continue
        stamped = getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False)
        if getattr(field, "auto_now", False) or (creating and stamped):
            filled[field.attname] = now
        elif creating:
            filled[field.attname] = field.get_default()
    return filled


def _prepare(
    model: type[models.Model], rows: Iterable[dict[str, Any]], *, creating: bool
) -> tuple[Any, list[models.Field], Iterator[list[Any]]]:
    """Column fields and driver-ready values, made as they are read (COPY sends the first
    rows while the rest are made); values shared by every row are adapted once. The
    column names are those of the first row; ``rows`` must not be empty."""
    connection = connections[router.db_for_write(model)]
    by_attname = {field.attname: field for field in model._meta.concrete_fields}
    rows = iter(rows)
    first = next(rows)

    def adapted(name: str, value: Any) -> Any:
        adapt = _adapter(by_attname[name], connection)
        return value if value is None or adapt is None else adapt(value)

    names = list(first)
    shared = {
        name: adapted(name, value)
        for name, value in _filled(model, first, creating=creating).items()
    }
    adapters = [
        (index, adapt)
        for index, name in enumerate(names)
        if (adapt := _adapter(by_attname[name], connection)) is not None
    ]
    tail = list(shared.values())

    def values() -> Iterator[list[Any]]:
        for row in chain([first], rows):
            line = [row[name] for name in names]
            for index, adapt in adapters:
                if line[index] is not None:
                    line[index] = adapt(line[index])
            yield line + tail

    fields = [by_attname[name] for name in [*names, *shared]]
    return connection, fields, values()


def insert_many(model: type[models.Model], rows: Iterable[dict[str, Any]]) -> None:
    """INSERT ``rows`` (dicts keyed by attname, all with the same keys; an iterator is
    read as the rows are sent, so on PostgreSQL it runs while COPY holds the connection
    and must not query the database: such a query would wait for ever).

    PostgreSQL gets the rows through COPY, the fastest way in; other databases through
    one prepared INSERT run with ``executemany``.
    """
    rows = iter(rows)
    first = next(rows, None)
    if first is None:
        return
    connection, fields, values = _prepare(model, chain([first], rows), creating=True)
    quote = connection.ops.quote_name
    table = quote(model._meta.db_table)
    columns = ", ".join(quote(field.column) for field in fields)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for line in values:
                    copy.write_row(line)
            return
        marks = ", ".join(["%s"] * len(fields))
        # A list: Django's debug cursor takes its length.
        cursor.executemany(f"INSERT INTO {table} ({columns}) VALUES ({marks})", list(values))  # noqa: S608


_INSERTS: dict[tuple[str, str, tuple[str, ...]], str] = {}


def insert_one(model: type[models.Model], row: dict[str, Any]) -> Any:
    """INSERT one row (keyed by attname) and give its primary key: the statement of a
    model and a set of columns is built once per process (``Model.objects.create``
    compiles it through the ORM again on every call, which a survey submit feels)."""
    connection, fields, values = _prepare(model, [row], creating=True)
    key = (connection.alias, model._meta.label, tuple(field.column for field in fields))
    sql = _INSERTS.get(key)
    if sql is None:
        quote = connection.ops.quote_name
        columns = ", ".join(quote(field.column) for field in fields)
        marks = ", ".join(["%s"] * len(fields))
        sql = f"INSERT INTO {quote(model._meta.db_table)} ({columns}) VALUES ({marks})"  # noqa: S608
        if connection.features.can_return_columns_from_insert:
            sql += f" RETURNING {quote(model._meta.pk.column)}"
        _INSERTS[key] = sql
    with connection.cursor() as cursor:
        cursor.execute(sql, next(values))
        if connection.features.can_return_columns_from_insert:
            return cursor.fetchone()[0]
        return cursor.lastrowid


def update_many(model: type[models.Model], rows: Sequence[dict[str, Any]]) -> None:
    """UPDATE by primary key: each dict holds ``pk`` and the columns to set."""
    if not rows:
        return
    plain = [{key: value for key, value in row.items() if key != "pk"} for row in rows]
    connection, fields, values = _prepare(model, plain, creating=False)
    quote = connection.ops.quote_name
    table = quote(model._meta.db_table)
    key = quote(model._meta.pk.column)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # One statement whatever the number of rows: each column as one array.
            arrays = ", ".join(f"%s::{field.db_type(connection)}[]" for field in fields)
            names = ", ".join(f"c{index}" for index in range(len(fields)))
            assignments = ", ".join(
                f"{quote(field.column)} = v.c{index}" for index, field in enumerate(fields)
            )
            sql = (
                f"UPDATE {table} AS t SET {assignments} "  # noqa: S608
                f"FROM unnest(%s::bigint[], {arrays}) AS v(pk, {names}) WHERE t.{key} = v.pk"
            )
            columns = [list(column) for column in zip(*values, strict=True)]
            cursor.execute(sql, [[row["pk"] for row in rows], *columns])
            return
        assignments = ", ".join(f"{quote(field.column)} = %s" for field in fields)
        sql = f"UPDATE {table} SET {assignments} WHERE {key} = %s"  # noqa: S608
        cursor.executemany(
            sql, [[*value, row["pk"]] for value, row in zip(values, rows, strict=True)]
        )


# Keys per ``__any`` look-up of a batch: with more, the planner of a table whose
# statistics do not know of a bulk load yet (a first import after another) reads the
# whole table instead of its index. 10,000 keys in two million events: 190 ms against 9.
KEYS_PER_LOOKUP = 1000


def in_chunks(values: Iterable[Any], size: int | None = None) -> Iterator[list[Any]]:
    """``values`` in lists of at most ``size`` (``KEYS_PER_LOOKUP``), for ``__any``."""
    values = iter(values)
    while chunk := list(islice(values, size or KEYS_PER_LOOKUP)):
        yield chunk


class AnyOf(models.Lookup):
    """``field__any=[…]``: ``field IN (…)`` for a long list of values — on PostgreSQL one
    array parameter (``= ANY(%s)``) instead of thousands of placeholders, which the
    driver would otherwise parse out of the SQL one by one (a batch of an import)."""

    lookup_name = "any"
    prepare_rhs = False

    def as_sql(self, compiler: Any, connection: Any) -> tuple[str, list[Any]]:
        lhs, lhs_params = self.process_lhs(compiler, connection)
        values = list(self.rhs)
        if not values:
            return "1 = 0", list(lhs_params)
        if connection.vendor == "postgresql":
            return f"{lhs} = ANY(%s)", [*lhs_params, values]
        return f"{lhs} IN ({', '.join(['%s'] * len(values))})", [*lhs_params, *values]


models.Field.register_lookup(AnyOf)
models.ForeignObject.register_lookup(AnyOf)  # customer_id__any=[ids]: its column, no join
