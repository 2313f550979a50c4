"""Keeping the rollups: the worker folds new responses into their cells; a rebuild
folds them all again. Each response is counted exactly once, however many workers run.
"""

import copy
from collections import defaultdict
from collections.abc import Iterator
from typing import Any

import numpy as np
from django.db import IntegrityError, connection, transaction

from manyi.analytics import cells
from manyi.analytics.comments import comments_keep
from manyi.analytics.models import Comment, Rollup
from manyi.org.models import Unit
from manyi.stats.moments import Moments
from manyi.surveys.integrity import responses_review
from manyi.surveys.models import Response
from manyi.surveys.versions import definition_of

BATCH = 5000
FOLDED = ("id", "version_id", "unit_id", "staff_id", "submitted_at", "answers", "scores",
          "index", "nps", "customer_id", "invitation_id", "flags", "excluded",
          "programme_id")  # fmt: skip


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
        .only(*FOLDED)[:limit]
    )
    if not claimed:
        return 0
    # A response the integrity policy leaves out is claimed (so it is done with) but
    # counted nowhere; the flags that need other rows are decided here, once a batch.
    responses_review(claimed)
    comments_keep(claimed)
    counted = [response for response in claimed if not response.excluded]
    lineage = _lineage({response.unit_id for response in counted})
    groups: dict[tuple, list[Response]] = defaultdict(list)
    for response in counted:
        month = cells.month_of(response.submitted_at)
        for unit_id in lineage[response.unit_id]:
            groups[response.version_id, unit_id, None, month].append(response)
        if response.staff_id:
            groups[response.version_id, response.unit_id, response.staff_id, month].append(response)
    prepared = _prepare(counted)
    for key in sorted(groups, key=lambda k: (k[0], k[1], k[2] or 0, k[3])):
        _add(_cell(key), groups[key], prepared)
    Response.objects.filter(pk__in=[r.pk for r in claimed]).update(rolled_up=True)
    return len(claimed)


def _lineage(unit_ids: set[int]) -> dict[int, list[int]]:
    """Each unit with its ancestors (from the materialised path ``/1/4/17/``)."""
    paths = Unit.objects.filter(pk__in=unit_ids).values_list("pk", "path")
    return {pk: [int(part) for part in path.strip("/").split("/") if part] for pk, path in paths}


def _prepare(responses: list[Response]) -> dict[int, tuple[np.ndarray, dict]]:
    """Each response's row and answered points, worked out once for all its cells."""
    prepared = {}
    for response in responses:
        definition = definition_of(response.version_id)
        names = cells.variables(definition)
        prepared[response.pk] = (
            cells.row(definition, names, response),
            cells.points(definition, response.answers),
        )
    return prepared


def _add(
    cell: Rollup, responses: list[Response], prepared: dict[int, tuple[np.ndarray, dict]]
) -> None:
    names = cells.variables(definition_of(cell.version_id))
    moments = Moments.of(names, np.array([prepared[r.pk][0] for r in responses]))
    if cell.moments:
        moments = Moments.unpack(names, bytes(cell.moments)) + moments
    histograms = dict(cell.histograms)
    for response in responses:
        cells.add_histograms(histograms, prepared[response.pk][1])
    cell.moments = moments.pack()
    cell.summary = moments.diagonal().astype("<f8").tobytes()
    cell.histograms = histograms
    cell.responses += len(responses)
    cell.save(update_fields=["moments", "summary", "histograms", "responses", "updated_at"])


def rollups_rebuild() -> int:
    """Throw the cells away and count every response again (``manyi rebuild_rollups``).

    One pass over the responses builds every leaf cell in memory; each ancestor's cell
    is the sum of its descendants' (moments add up), and every cell is written once.
    Responses that arrive meanwhile stay unfolded for the worker; the workers themselves
    should be stopped while it runs (a fold between the delete and the writes would be
    counted twice).
    """
    with transaction.atomic():
        Rollup.objects.all().delete()
        Comment.objects.all().delete()
    paths = dict(Unit.objects.values_list("pk", "path"))
    lineage = {pk: [int(p) for p in path.strip("/").split("/") if p] for pk, path in paths.items()}
    rows: dict[tuple, list[np.ndarray]] = defaultdict(list)
    totals: dict[tuple, Moments] = {}
    histograms: dict[tuple, dict] = defaultdict(dict)
    counts: dict[tuple, int] = defaultdict(int)
    processed: list[int] = []
    for batch in _batches():
        # The worker has not reviewed the unfolded ones yet: review them as it would.
        responses_review([response for response in batch if not response.rolled_up])
        comments_keep(batch)
        for response in batch:
            processed.append(response.pk)
            if response.excluded:  # left out of the figures by the integrity policy
                continue
            (row, points) = _prepare([response])[response.pk]
            month = cells.month_of(response.submitted_at)
            keys = [(response.version_id, response.unit_id, None, month)]
            if response.staff_id:
                keys.append((response.version_id, response.unit_id, response.staff_id, month))
            for key in keys:
                rows[key].append(row)
                cells.add_histograms(histograms[key], points)
                counts[key] += 1
        if len(processed) % (10 * BATCH) == 0:
            _gather(rows, totals)
    _gather(rows, totals)
    # Each unit's own responses go up into every ancestor's cell (taken before any is
    # added to, so a store's department is not counted twice in its region).
    own = {
        key: (moments, copy.deepcopy(histograms[key]), counts[key])
        for key, moments in totals.items()
        if key[2] is None
    }
    for (version_id, unit_id, _staff, month), (moments, points, count) in own.items():
        for ancestor in lineage[unit_id][:-1]:
            upper = (version_id, ancestor, None, month)
            totals[upper] = totals[upper] + moments if upper in totals else moments
            cells.add_histograms(histograms[upper], points)
            counts[upper] += count
    Rollup.objects.bulk_create(
        (
            Rollup(
                version_id=version_id,
                unit_id=unit_id,
                staff_id=staff_id,
                month=month,
                responses=counts[key],
                moments=moments.pack(),
                summary=moments.diagonal().astype("<f8").tobytes(),
                histograms=histograms[key],
            )
            for key, moments in totals.items()
            for version_id, unit_id, staff_id, month in [key]
        ),
        batch_size=500,
    )
    for start in range(0, len(processed), BATCH):
        Response.objects.filter(pk__in=processed[start : start + BATCH], rolled_up=False).update(
            rolled_up=True
        )
    _tidy()
    return len(processed)


def _batches() -> Iterator[list[Response]]:
    """Every response, a batch at a time in id order (keyset paging: the batches stay
    cheap however far in)."""
    last = 0
    while True:
        batch = list(
            Response.objects.filter(pk__gt=last).order_by("id").only(*FOLDED, "rolled_up")[:BATCH]
        )
        if not batch:
            return
        last = batch[-1].pk
        yield batch


def _tidy() -> None:
    """After marking many responses folded, PostgreSQL's index of the unfolded ones still
    holds their dead entries until a vacuum, and every report would wade through them."""
    if connection.vendor == "postgresql" and not connection.in_atomic_block:
        with connection.cursor() as cursor:
            cursor.execute(f"VACUUM ANALYZE {Response._meta.db_table}")


def _gather(rows: dict[tuple, list[np.ndarray]], totals: dict[tuple, Moments]) -> None:
    """Turn the rows collected so far into moments (bounded memory on big rebuilds)."""
    for key, collected in rows.items():
        if not collected:
            continue
        names = cells.variables(definition_of(key[0]))
        moments = Moments.of(names, np.array(collected))
        totals[key] = totals[key] + moments if key in totals else moments
        collected.clear()
