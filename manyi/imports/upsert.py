"""Create-or-update by external key, a batch at a time, for the import kinds."""

from collections.abc import Callable
from typing import Any

from django.db import models
from django.utils.translation import gettext as _

from manyi.bulk import in_chunks, insert_many, update_many
from manyi.imports.engine import ImportKind, ImportResult, Row


def upsert_batch(
    *,
    kind: ImportKind,
    model: type[models.Model],
    key: str,
    rows: list[Row],
    ctx: dict[str, Any],
    result: ImportResult,
    build: Callable[[Row], dict[str, Any]],
    may_change: Callable[[list[dict[str, Any]]], set[int]] | None = None,
    guard_fields: tuple[str, ...] = (),
    want_pks: bool = False,
) -> list[tuple[Row, int]]:
    """Write ``rows`` as ``model`` records matched on ``key``; with ``want_pks``, return
    each good row with the primary key of its record (one more query), else nothing.

    New records go to the import's writer (``ctx["writer"]``): ``build`` gives a row's
    column values by attname as COPY sends them, in the writer's thread after this call
    returns, so it must not query the database; a failure of that COPY is raised at the
    caller's next query. A key already written by this job is a duplicate inside the
    file. ``may_change`` gets the existing records (``pk`` and ``guard_fields``) and
    answers the pks the actor may overwrite; the rest are refused as outside the actor's
    part of the network.
    """
    job_id = ctx["job_id"]

    def values_of(row: Row) -> dict[str, Any]:
        return {key: row.values[key], **build(row), "import_job_id": job_id}

    existing = {
        record[key]: record
        for chunk in in_chunks(row.values[key] for row in rows)
        for record in model.objects.filter(**{f"{key}__any": chunk})
        .order_by()
        .values(key, "pk", "import_job_id", *guard_fields)
    }
    changeable = may_change(list(existing.values())) if may_change and existing else set()
    first_seen: dict[str, int] = {}
    new: list[Row] = []
    changed: list[tuple[Row, dict[str, Any]]] = []
    for row in rows:
        if not kind.first_in_file(result, row, key, first_seen):
            continue
        value = row.values[key]
        found = existing.get(value)
        if found and found["import_job_id"] == job_id:  # written by an earlier batch
            kind.fail(result, row, key, _("appears more than once in this file"))
            continue
        if found and may_change and found["pk"] not in changeable:
            kind.fail(result, row, key, _("belongs to a unit outside your part of the network"))
            continue
        if found:
            changed.append((row, {"pk": found["pk"], **values_of(row)}))
        else:
            new.append(row)
    update_many(model, [values for _row, values in changed])
    # The new rows are built as COPY sends them, while the database stores the first,
    # and behind the engine, which goes on to check the next batch.
    if new:
        ctx["writer"].start(lambda: insert_many(model, (values_of(row) for row in new)))
    result.created += len(new)
    result.updated += len(changed)
    if not want_pks:
        return []
    pks = {value: found["pk"] for value, found in existing.items()}
    for chunk in in_chunks(row.values[key] for row in new):
        pks.update(model.objects.filter(**{f"{key}__any": chunk}).values_list(key, "pk"))
    return [(row, pks[row.values[key]]) for row in [*new, *(row for row, _values in changed)]]
