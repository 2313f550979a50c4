"""Create-or-update by external key, a batch at a time, for the import kinds."""

from collections.abc import Callable
from typing import Any

from django.db import models
from django.utils.translation import gettext as _

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
    may_change: Callable[[dict[str, Any]], bool] | None = None,
) -> list[tuple[Row, models.Model]]:
    """Write ``rows`` as ``model`` records matched on ``key``; return each good row's record.

    A key already written by this job is a duplicate inside the file. ``may_change``
    gets the existing record's values and says whether the actor may overwrite it.
    """
    job_id = ctx["job_id"]
    fields = [name for name in build(rows[0]) if name != key] if rows else []
    keys = [row.values[key] for row in rows]
    existing = {
        record[key]: record
        for record in model.objects.filter(**{f"{key}__in": keys}).values(
            key, "pk", "import_job_id", *(["unit_id"] if may_change else [])
        )
    }
    first_seen: dict[str, int] = {}
    new: list[tuple[Row, models.Model]] = []
    changed: list[tuple[Row, models.Model]] = []
    for row in rows:
        value = row.values[key]
        found = existing.get(value)
        if value in first_seen or (found and found["import_job_id"] == job_id):
            where = first_seen.get(value)
            kind.fail(
                result,
                row,
                key,
                _("appears more than once in this file (first on row %(row)s)") % {"row": where}
                if where
                else _("appears more than once in this file"),
            )
            continue
        first_seen[value] = row.number
        if found and may_change and not may_change(found):
            kind.fail(result, row, key, _("belongs to a unit outside your part of the network"))
            continue
        record = model(**{key: value, **build(row)}, import_job_id=job_id)
        if found:
            record.pk = found["pk"]
            changed.append((row, record))
        else:
            new.append((row, record))
    model.objects.bulk_create([record for _row, record in new], batch_size=500)
    if changed:
        model.objects.bulk_update(
            [record for _row, record in changed], [*fields, "import_job_id"], batch_size=500
        )
    result.created += len(new)
    result.updated += len(changed)
    return new + changed
