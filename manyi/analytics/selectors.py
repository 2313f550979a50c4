"""Reading the rollups: the statistics of any units and period, exact to the last answer.

A period is whole months (rollup cells) plus, for a date range that cuts a month, the
raw responses of its cut edges; to the cells are added the responses the worker has
not folded yet, so a figure is exact even seconds after a submit.
"""

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date

import numpy as np
from django.db.models import FloatField, Q
from django.db.models.fields.json import KT
from django.db.models.functions import Cast

from manyi.analytics import cells
from manyi.analytics.models import Rollup
from manyi.analytics.periods import Span, as_span
from manyi.org.models import Unit
from manyi.stats.moments import Moments
from manyi.surveys.definition import Definition
from manyi.surveys.models import Response
from manyi.surveys.versions import definition_of

Months = Span | list[date]  # whole months, or a span with cut edges


@dataclass
class Slice:
    """The summed statistics of one version's responses over some units and a period."""

    moments: Moments
    histograms: dict[str, dict[str, int]] = field(default_factory=dict)
    responses: int = 0


def _raw(
    version_id: int,
    span: Span,
    path: str | None,
    *,
    staff_id: int | None = None,
    any_staff: bool = False,
) -> Iterator[Response]:
    """The responses the cells do not hold: unfolded ones of the whole months, and
    every one of the cut edges, in ``path``'s subtree (everywhere when None)."""
    where = Q()
    for since, until in span.edges:
        where |= Q(submitted_at__gte=since, submitted_at__lt=until)
    responses = Response.objects.filter(version_id=version_id, excluded=False).filter(
        Q(rolled_up=False) | where if span.edges else Q(rolled_up=False)
    )
    if path is not None:
        responses = responses.filter(unit__path__startswith=path)
    if staff_id is not None:
        responses = responses.filter(staff_id=staff_id)
    if any_staff:
        responses = responses.filter(staff__isnull=False)
    whole = set(span.months)
    fields = ("submitted_at", "answers", "scores", "index", "nps", "staff_id", "unit_id")
    for response in responses.only(*fields, "unit__path", "rolled_up").select_related("unit"):
        inside_edge = any(since <= response.submitted_at < until for since, until in span.edges)
        if inside_edge or (
            not response.rolled_up and cells.month_of(response.submitted_at) in whole
        ):
            yield response


def slice_of(
    *,
    version_id: int,
    months: Months,
    unit_id: int | None = None,
    staff_id: int | None = None,
) -> Slice:
    """The statistics of a period in ``unit_id``'s subtree (the whole network when
    None), or of one staff member's responses."""
    span = as_span(months)
    definition = definition_of(version_id)
    names = cells.variables(definition)
    result = Slice(Moments.empty(names))
    rollups = Rollup.objects.filter(version_id=version_id, month__in=span.months, staff_id=staff_id)
    path = None
    if unit_id is not None:
        rollups = rollups.filter(unit_id=unit_id)
        path = Unit.objects.get(pk=unit_id).path
    elif staff_id is None:
        rollups = rollups.filter(unit__parent=None)
    for blob, histograms, responses in rollups.values_list("moments", "histograms", "responses"):
        _add_cell(result, names, blob, histograms, responses)
    _add_fresh(result, definition, names, list(_raw(version_id, span, path, staff_id=staff_id)))
    return result


def slices_by_month(
    *, version_id: int, months: Months, unit_id: int | None = None
) -> list[tuple[date, Slice]]:
    """``slice_of`` each calendar month the period touches, oldest first (a trend): the
    same figures, read in two queries for the whole period instead of two a month."""
    span = as_span(months)
    definition = definition_of(version_id)
    names = cells.variables(definition)
    slices = {month: Slice(Moments.empty(names)) for month, _piece in span.pieces()}
    rollups = Rollup.objects.filter(version_id=version_id, month__in=span.months, staff_id=None)
    path = None
    if unit_id is not None:
        rollups = rollups.filter(unit_id=unit_id)
        path = Unit.objects.get(pk=unit_id).path
    else:
        rollups = rollups.filter(unit__parent=None)
    cell_rows = rollups.values_list("month", "moments", "histograms", "responses")
    for month, blob, histograms, responses in cell_rows:
        _add_cell(slices[month], names, blob, histograms, responses)
    fresh: dict[date, list[Response]] = {}
    for response in _raw(version_id, span, path):
        fresh.setdefault(cells.month_of(response.submitted_at), []).append(response)
    for month, responses in fresh.items():
        _add_fresh(slices[month], definition, names, responses)
    return sorted(slices.items())


def _add_cell(
    result: Slice, names: tuple[str, ...], blob: bytes, histograms: dict, responses: int
) -> None:
    result.moments = result.moments + Moments.unpack(names, bytes(blob))
    cells.add_histograms(result.histograms, histograms)
    result.responses += responses


def _add_fresh(
    result: Slice, definition: Definition, names: tuple[str, ...], fresh: list[Response]
) -> None:
    """Add responses the cells do not hold yet (unfolded, or on a cut edge)."""
    if not fresh:
        return
    rows = np.array([cells.row(definition, names, r) for r in fresh])
    result.moments = result.moments + Moments.of(names, rows)
    for response in fresh:
        cells.add_histograms(result.histograms, cells.points(definition, response.answers))
    result.responses += len(fresh)


def _sums(row: np.ndarray) -> np.ndarray:
    present = ~np.isnan(row)
    values = np.where(present, row, 0.0)
    return np.stack([present.astype(float), values, values * values])


def unit_summaries(
    *, version_id: int, months: Months, unit_ids: list[int]
) -> dict[int, np.ndarray]:
    """Per unit (its subtree), each variable's n, Σx and Σx² (3×k): for rankings."""
    span = as_span(months)
    definition = definition_of(version_id)
    names = cells.variables(definition)
    totals = {unit: np.zeros((3, len(names))) for unit in unit_ids}
    rows = Rollup.objects.filter(
        version_id=version_id, month__in=span.months, staff_id=None, unit_id__in=unit_ids
    ).values_list("unit_id", "summary")
    for unit, blob in rows:
        totals[unit] += np.frombuffer(bytes(blob), dtype="<f8").reshape(3, len(names))
    paths = dict(Unit.objects.filter(pk__in=unit_ids).values_list("pk", "path"))
    for response in _raw(version_id, span, None):
        sums = _sums(cells.row(definition, names, response))
        for unit, path in paths.items():
            if response.unit.path.startswith(path):
                totals[unit] += sums
    return totals


def unit_histograms(
    *, version_id: int, months: Months, unit_ids: list[int], item: str
) -> dict[int, dict[str, int]]:
    """Per unit (its subtree), the counts of one rated item's answers by scale point."""
    span = as_span(months)
    totals: dict[int, dict[str, int]] = {unit: {} for unit in unit_ids}
    rows = Rollup.objects.filter(
        version_id=version_id, month__in=span.months, staff_id=None, unit_id__in=unit_ids
    ).values_list("unit_id", "histograms")
    for unit, histograms in rows:
        cells.add_histograms(totals[unit], {item: histograms.get(item, {})})
    definition = definition_of(version_id)
    paths = dict(Unit.objects.filter(pk__in=unit_ids).values_list("pk", "path"))
    for response in _raw(version_id, span, None):
        counted = cells.points(definition, response.answers).get(item)
        for unit, path in paths.items():
            if counted and response.unit.path.startswith(path):
                cells.add_histograms(totals[unit], {item: counted})
    return {unit: counts.get(item, {}) for unit, counts in totals.items()}


def monthly_histograms(
    *, version_id: int, months: Months, unit_id: int | None, item: str
) -> dict[date, dict[str, int]]:
    """Per calendar month, the counts of one rated item's answers in ``unit_id``'s subtree."""
    span = as_span(months)
    rollups = Rollup.objects.filter(version_id=version_id, month__in=span.months, staff_id=None)
    path = None
    if unit_id is None:
        rollups = rollups.filter(unit__parent=None)
    else:
        rollups = rollups.filter(unit_id=unit_id)
        path = Unit.objects.get(pk=unit_id).path
    totals: dict[date, dict[str, dict[str, int]]] = {}
    for month, histograms in rollups.values_list("month", "histograms"):
        cells.add_histograms(totals.setdefault(month, {}), {item: histograms.get(item, {})})
    definition = definition_of(version_id)
    for response in _raw(version_id, span, path):
        counted = cells.points(definition, response.answers).get(item)
        if counted:
            month = cells.month_of(response.submitted_at)
            cells.add_histograms(totals.setdefault(month, {}), {item: counted})
    return {month: counts.get(item, {}) for month, counts in totals.items()}


def staff_summaries(
    *, version_id: int, months: Months, unit_id: int | None
) -> dict[int, tuple[int, np.ndarray]]:
    """Per staff member answering in ``unit_id``'s subtree (or anywhere): their unit
    and each variable's n, Σx and Σx² (3×k), from the staff cells and raw responses."""
    span = as_span(months)
    definition = definition_of(version_id)
    names = cells.variables(definition)
    k = len(names)
    path = Unit.objects.get(pk=unit_id).path if unit_id is not None else None
    rows = Rollup.objects.filter(version_id=version_id, month__in=span.months, staff__isnull=False)
    if path is not None:
        rows = rows.filter(unit__path__startswith=path)
    totals: dict[int, tuple[int, np.ndarray]] = {}
    for staff, unit, blob in rows.values_list("staff_id", "unit_id", "summary"):
        _unit, summary = totals.setdefault(staff, (unit, np.zeros((3, k))))
        summary += np.frombuffer(bytes(blob), dtype="<f8").reshape(3, k)
    for response in _raw(version_id, span, path, any_staff=True):
        _unit, summary = totals.setdefault(response.staff_id, (response.unit_id, np.zeros((3, k))))
        summary += _sums(cells.row(definition, names, response))
    return totals


def staff_histograms(*, version_id: int, months: Months, item: str) -> dict[int, dict[str, int]]:
    """Per staff member anywhere, the counts of one rated item's answers by scale point
    (the NPS of each member's customers)."""
    span = as_span(months)
    totals: dict[int, dict[str, dict[str, int]]] = {}
    rows = Rollup.objects.filter(
        version_id=version_id, month__in=span.months, staff__isnull=False
    ).values_list("staff_id", "histograms")
    for staff, histograms in rows:
        cells.add_histograms(totals.setdefault(staff, {}), {item: histograms.get(item, {})})
    definition = definition_of(version_id)
    for response in _raw(version_id, span, None, any_staff=True):
        counted = cells.points(definition, response.answers).get(item)
        if counted:
            cells.add_histograms(totals.setdefault(response.staff_id, {}), {item: counted})
    return {staff: counts.get(item, {}) for staff, counts in totals.items()}


def recent_scores(
    *, version_id: int, months: Months, unit_id: int | None, codes: list[str], limit: int
) -> np.ndarray:
    """The item scores (0–1000, NaN where unanswered) of the latest ``limit`` responses
    of the period in ``unit_id``'s subtree: raw rows, for the methods that need them."""
    since, until = as_span(months).bounds()
    responses = Response.objects.filter(
        version_id=version_id, submitted_at__gte=since, submitted_at__lt=until, excluded=False
    )
    if unit_id is not None:
        path = Unit.objects.get(pk=unit_id).path
        responses = responses.filter(unit__path__startswith=path)
    latest = responses.order_by("-submitted_at")
    if all(PLAIN_CODE.fullmatch(code) for code in codes):
        # Each item's score taken out of the JSON by the database: decoding whole score
        # documents in Python cost most of the drivers page.
        scores = [Cast(KT(f"scores__items__{code}"), FloatField()) for code in codes]
        rows = list(latest.values_list(*scores)[:limit])
    else:  # a code a JSON path would misread ("a__b", "12"): decoded here
        rows = [
            [(scores or {}).get("items", {}).get(code) for code in codes]
            for scores in latest.values_list("scores", flat=True)[:limit]
        ]
    return np.array(rows, dtype=float).reshape(-1, len(codes))


PLAIN_CODE = re.compile(r"[A-Za-z][A-Za-z0-9]*(_[A-Za-z0-9]+)*")
