"""Reading the rollups: the statistics of any units and months, exact to the last answer."""

from dataclasses import dataclass, field
from datetime import date
from typing import Any

import numpy as np

from manyi.analytics import cells
from manyi.analytics.models import Rollup
from manyi.org.models import Unit
from manyi.stats.moments import Moments
from manyi.surveys.models import Response
from manyi.surveys.versions import definition_of


@dataclass
class Slice:
    """The summed statistics of one version's responses over some units and months."""

    moments: Moments
    histograms: dict[str, dict[str, int]] = field(default_factory=dict)
    responses: int = 0


def slice_of(
    *,
    version_id: int,
    months: list[date],
    unit_id: int | None = None,
    staff_id: int | None = None,
) -> Slice:
    """The statistics of ``months`` in ``unit_id``'s subtree (the whole network when
    None), or of one staff member's responses; the cells plus the responses the worker
    has not folded yet, so a figure is exact even seconds after a submit.
    """
    definition = definition_of(version_id)
    names = cells.variables(definition)
    result = Slice(Moments.empty(names))
    rollups = Rollup.objects.filter(version_id=version_id, month__in=months, staff_id=staff_id)
    pending = Response.objects.filter(version_id=version_id, rolled_up=False)
    if staff_id is not None:
        pending = pending.filter(staff_id=staff_id)
    if unit_id is not None:
        rollups = rollups.filter(unit_id=unit_id)
        pending = pending.filter(unit__path__startswith=Unit.objects.get(pk=unit_id).path)
    elif staff_id is None:
        rollups = rollups.filter(unit__parent=None)
    for blob, histograms, responses in rollups.values_list("moments", "histograms", "responses"):
        result.moments = result.moments + Moments.unpack(names, bytes(blob))
        cells.add_histograms(result.histograms, histograms)
        result.responses += responses
    wanted = set(months)
    fresh: list[Any] = [
        r
        for r in pending.only("submitted_at", "answers", "scores", "index", "nps")
        if cells.month_of(r.submitted_at) in wanted
    ]
    if fresh:
        rows = np.array([cells.row(definition, names, r) for r in fresh])
        result.moments = result.moments + Moments.of(names, rows)
        for response in fresh:
            cells.add_histograms(result.histograms, cells.points(definition, response.answers))
        result.responses += len(fresh)
    return result


def unit_summaries(
    *, version_id: int, months: list[date], unit_ids: list[int]
) -> dict[int, np.ndarray]:
    """Per unit (its subtree), each variable's n, Σx and Σx² (3×k): for rankings.

    Responses not yet folded are added, as in ``slice_of``.
    """
    definition = definition_of(version_id)
    names = cells.variables(definition)
    k = len(names)
    totals = {unit: np.zeros((3, k)) for unit in unit_ids}
    rows = Rollup.objects.filter(
        version_id=version_id, month__in=months, staff_id=None, unit_id__in=unit_ids
    ).values_list("unit_id", "summary")
    for unit, blob in rows:
        totals[unit] += np.frombuffer(bytes(blob), dtype="<f8").reshape(3, k)
    paths = dict(Unit.objects.filter(pk__in=unit_ids).values_list("pk", "path"))
    wanted = set(months)
    pending = (
        Response.objects.filter(version_id=version_id, rolled_up=False)
        .only("submitted_at", "scores", "index", "nps", "unit__path")
        .select_related("unit")
    )
    for response in pending:
        if cells.month_of(response.submitted_at) not in wanted:
            continue
        row = cells.row(definition, names, response)
        present = ~np.isnan(row)
        values = np.where(present, row, 0.0)
        for unit, path in paths.items():
            if response.unit.path.startswith(path):
                totals[unit] += np.stack([present.astype(float), values, values * values])
    return totals
