"""Reading the rollups: the statistics of any units and months, exact to the last answer."""

from dataclasses import dataclass, field
from datetime import date
from typing import Any

import numpy as np

from manyi.analytics import cells
from manyi.analytics.models import Rollup
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
    unit_ids: list[int] | None = None,
    staff_id: int | None = None,
) -> Slice:
    """Cells of ``months`` over ``unit_ids`` (all units when None), plus the responses
    the worker has not folded yet, so a figure is exact even seconds after a submit.
    """
    definition = definition_of(version_id)
    names = cells.variables(definition)
    result = Slice(Moments.empty(names))
    rollups = Rollup.objects.filter(version_id=version_id, month__in=months, staff_id=staff_id)
    pending = Response.objects.filter(version_id=version_id, rolled_up=False)
    if unit_ids is not None:
        rollups = rollups.filter(unit_id__in=unit_ids)
        pending = pending.filter(unit_id__in=unit_ids)
    if staff_id is not None:
        pending = pending.filter(staff_id=staff_id)
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
