"""Keeping the rollups: the worker folds new responses into their cells; a rebuild
folds them all again. Each response is counted exactly once, however many workers run.
"""

from collections import defaultdict
from typing import Any

import numpy as np
from django.db import IntegrityError, transaction

from manyi.analytics import cells
from manyi.analytics.models import Rollup
from manyi.org.models import Unit
from manyi.stats.moments import Moments
from manyi.surveys.models import Response
from manyi.surveys.versions import definition_of

BATCH = 5000


def _cell(key: tuple[int, int, int | None, Any]) -> Rollup:
    version_id, unit_id, staff_id, month = key
    cell = (
        Rollup.objects.select_for_update()
        .filter(version_id=version_id, unit_id=unit_id, staff_id=staff_id, month=month)
        .first()
    )
    if cell is not None:
        return cell
    try:
        with transaction.atomic():
            return Rollup.objects.create(
                version_id=version_id,
                unit_id=unit_id,
                staff_id=staff_id,
                month=month,
                moments=b"",
            )
    except IntegrityError:
        # Another worker made the cell a moment ago: wait for it and add to it.
        return Rollup.objects.select_for_update().get(
            version_id=version_id, unit_id=unit_id, staff_id=staff_id, month=month
        )


@transaction.atomic
def rollups_fold(*, limit: int = BATCH) -> int:
    """Fold up to ``limit`` responses not yet counted into their unit and staff cells.

    The responses are claimed with ``FOR UPDATE SKIP LOCKED`` (PostgreSQL) so two
    workers never take the same ones; cells are locked in one order, so they never
    deadlock.
    """
    claimed = list(
        Response.objects.select_for_update(skip_locked=True)
        .filter(rolled_up=False)
        .order_by("id")
        .only("id", "version_id", "unit_id", "staff_id", "submitted_at", "answers", "scores",
              "index", "nps")[:limit]
    )  # fmt: skip
    if not claimed:
        return 0
    lineage = _lineage({response.unit_id for response in claimed})
    groups: dict[tuple, list[Response]] = defaultdict(list)
    for response in claimed:
        month = cells.month_of(response.submitted_at)
        for unit_id in lineage[response.unit_id]:
            groups[response.version_id, unit_id, None, month].append(response)
        if response.staff_id:
            groups[response.version_id, response.unit_id, response.staff_id, month].append(response)
    for key in sorted(groups, key=lambda k: (k[0], k[1], k[2] or 0, k[3])):
        _add(_cell(key), groups[key])
    Response.objects.filter(pk__in=[r.pk for r in claimed]).update(rolled_up=True)
    return len(claimed)


def _lineage(unit_ids: set[int]) -> dict[int, list[int]]:
    """Each unit with its ancestors (from the materialised path ``/1/4/17/``)."""
    paths = Unit.objects.filter(pk__in=unit_ids).values_list("pk", "path")
    return {pk: [int(part) for part in path.strip("/").split("/") if part] for pk, path in paths}


def _add(cell: Rollup, responses: list[Response]) -> None:
    definition = definition_of(cell.version_id)
    names = cells.variables(definition)
    rows = np.array([cells.row(definition, names, r) for r in responses])
    moments = Moments.of(names, rows)
    if cell.moments:
        moments = Moments.unpack(names, bytes(cell.moments)) + moments
    histograms = dict(cell.histograms)
    for response in responses:
        cells.add_histograms(histograms, cells.points(definition, response.answers))
    cell.moments = moments.pack()
    cell.summary = moments.diagonal().astype("<f8").tobytes()
    cell.histograms = histograms
    cell.responses += len(responses)
    cell.save(update_fields=["moments", "summary", "histograms", "responses", "updated_at"])


def rollups_rebuild() -> int:
    """Throw the cells away and fold every response again (``manyi rebuild_rollups``)."""
    with transaction.atomic():
        Rollup.objects.all().delete()
        Response.objects.filter(rolled_up=True).update(rolled_up=False)
    folded = 0
    while done := rollups_fold():
        folded += done
    return folded
