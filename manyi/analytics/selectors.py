"""Reading the rollups: the statistics of any units and months, exact to the last answer."""

from dataclasses import dataclass, field
from datetime import date
from typing import Any

import numpy as np

from manyi.analytics import cells
from manyi.analytics.models import Rollup
from manyi.analytics.periods import month_bounds
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


def _pending(version_id: int, months: list[date], path: str | None, *, staff: bool = False):
    """The responses of ``months`` the worker has not folded yet, in ``path``'s subtree."""
    pending = Response.objects.filter(version_id=version_id, rolled_up=False)
    if path is not None:
        pending = pending.filter(unit__path__startswith=path)
    if staff:
        pending = pending.filter(staff__isnull=False)
    wanted = set(months)
    for response in pending.only(
        "submitted_at", "answers", "scores", "index", "nps", "staff_id", "unit_id", "unit__path"
    ).select_related("unit"):
        if cells.month_of(response.submitted_at) in wanted:
            yield response


def unit_histograms(
    *, version_id: int, months: list[date], unit_ids: list[int], item: str
) -> dict[int, dict[str, int]]:
    """Per unit (its subtree), the counts of one rated item's answers by scale point."""
    totals: dict[int, dict[str, int]] = {unit: {} for unit in unit_ids}
    rows = Rollup.objects.filter(
        version_id=version_id, month__in=months, staff_id=None, unit_id__in=unit_ids
    ).values_list("unit_id", "histograms")
    for unit, histograms in rows:
        cells.add_histograms(totals[unit], {item: histograms.get(item, {})})
    definition = definition_of(version_id)
    paths = dict(Unit.objects.filter(pk__in=unit_ids).values_list("pk", "path"))
    for response in _pending(version_id, months, None):
        counted = cells.points(definition, response.answers).get(item)
        for unit, path in paths.items():
            if counted and response.unit.path.startswith(path):
                cells.add_histograms(totals[unit], {item: counted})
    return {unit: counts.get(item, {}) for unit, counts in totals.items()}


def staff_summaries(
    *, version_id: int, months: list[date], unit_id: int | None
) -> dict[int, tuple[int, np.ndarray]]:
    """Per staff member answering in ``unit_id``'s subtree (or anywhere): their unit
    and each variable's n, Σx and Σx² (3×k), from the staff cells and unfolded responses.
    """
    names = cells.variables(definition_of(version_id))
    k = len(names)
    path = Unit.objects.get(pk=unit_id).path if unit_id is not None else None
    rows = Rollup.objects.filter(version_id=version_id, month__in=months, staff__isnull=False)
    if path is not None:
        rows = rows.filter(unit__path__startswith=path)
    totals: dict[int, tuple[int, np.ndarray]] = {}
    for staff, unit, blob in rows.values_list("staff_id", "unit_id", "summary"):
        _unit, summary = totals.setdefault(staff, (unit, np.zeros((3, k))))
        summary += np.frombuffer(bytes(blob), dtype="<f8").reshape(3, k)
    definition = definition_of(version_id)
    for response in _pending(version_id, months, path, staff=True):
        row = cells.row(definition, names, response)
        present = ~np.isnan(row)
        values = np.where(present, row, 0.0)
        _unit, summary = totals.setdefault(response.staff_id, (response.unit_id, np.zeros((3, k))))
        summary += np.stack([present.astype(float), values, values * values])
    return totals


def monthly_histograms(
    *, version_id: int, months: list[date], unit_id: int | None, item: str
) -> dict[date, dict[str, int]]:
    """Per month, the counts of one rated item's answers in ``unit_id``'s subtree."""
    rollups = Rollup.objects.filter(version_id=version_id, month__in=months, staff_id=None)
    if unit_id is None:
        rollups = rollups.filter(unit__parent=None)
        path = None
    else:
        rollups = rollups.filter(unit_id=unit_id)
        path = Unit.objects.get(pk=unit_id).path
    totals: dict[date, dict[str, dict[str, int]]] = {}
    for month, histograms in rollups.values_list("month", "histograms"):
        cells.add_histograms(totals.setdefault(month, {}), {item: histograms.get(item, {})})
    definition = definition_of(version_id)
    for response in _pending(version_id, months, path):
        counted = cells.points(definition, response.answers).get(item)
        if counted:
            month = cells.month_of(response.submitted_at)
            cells.add_histograms(totals.setdefault(month, {}), {item: counted})
    return {month: counts.get(item, {}) for month, counts in totals.items()}


def recent_scores(
    *, version_id: int, months: list[date], unit_id: int | None, codes: list[str], limit: int
) -> np.ndarray:
    """The item scores (0–1000, NaN where unanswered) of the latest ``limit`` responses
    of ``months`` in ``unit_id``'s subtree: raw rows, for the methods that need them."""
    since, until = month_bounds(months)
    responses = Response.objects.filter(
        version_id=version_id, submitted_at__gte=since, submitted_at__lt=until
    )
    if unit_id is not None:
        path = Unit.objects.get(pk=unit_id).path
        responses = responses.filter(unit__path__startswith=path)
    rows = []
    for scores in responses.order_by("-submitted_at").values_list("scores", flat=True)[:limit]:
        items = (scores or {}).get("items", {})
        rows.append([np.nan if items.get(code) is None else items[code] for code in codes])
    return np.array(rows, dtype=float).reshape(-1, len(codes))
