"""The measures a scorecard can count, each computed for the whole network at once —
per staff member or per store — from what the other apps already know (their
selectors), for one period.

A staff member's satisfaction index is shrunk toward their store's (``stats.shrinkage``):
an advisor with a dozen answers is not judged on a raw mean.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

import numpy as np
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from manyi.analytics import cells
from manyi.analytics.periods import months_from
from manyi.analytics.reports.csi import INDEX
from manyi.analytics.selectors import (
    staff_histograms,
    staff_summaries,
    unit_histograms,
    unit_summaries,
)
from manyi.care.selectors import callback_counts
from manyi.cases.reports import breach_counts, deadline_counts, praise_counts
from manyi.improve.selectors.actions import on_time_counts
from manyi.improve.selectors.fixes import first_time_fix
from manyi.improve.selectors.inspection_results import unit_check_scores
from manyi.org.models import Unit, UnitLevel
from manyi.org.selectors import NETWORK
from manyi.people.models import MeasureKind, Subject
from manyi.stats.nps import nps_from_histogram
from manyi.stats.shrinkage import StaffSums, shrink
from manyi.surveys.models import Programme
from manyi.surveys.versions import definition_of


@dataclass
class Figure:
    value: float | None
    n: int
    raw: float | None = None  # before shrinkage
    low: float | None = None
    high: float | None = None
    # The staff effect (None for a member alone in their store: not shrunk), and the
    # variance of the figure (the store mean's included) that the top-fifth draws use.
    effect: float | None = None
    effect_var: float | None = None


@dataclass(frozen=True)
class Spec:
    """How a measure reads: its format, who it is for, and the usual rule."""

    form: str  # "index" (0–1000), "nps" (−100…100), "share" (0–1), "count", "score" (0–100)
    subjects: tuple[str, ...]
    floor: float
    target: float
    min_n: int
    what: Promise
    exposure: bool = True  # its n counts chances (answers, visits, deadlines due), not events


BOTH = (Subject.STAFF, Subject.UNIT)
SPECS = {
    MeasureKind.CSI: Spec("index", BOTH, 700, 900, 10,
                          _("Their customers' satisfaction index, 0–1000")),
    MeasureKind.NPS: Spec("nps", BOTH, 0, 60, 10, _("Promoters less detractors, in points")),
    MeasureKind.CALLBACKS: Spec("share", BOTH, 0.6, 0.95, 10,
                                _("Visits whose customer was reached within the rule's days")),
    MeasureKind.DEADLINES_KEPT: Spec("share", BOTH, 0.7, 0.98, 5,
                                     _("Case deadlines falling due that were kept")),
    MeasureKind.DEADLINES_MISSED: Spec("count", BOTH, 5, 0, 1,
                                       _("Deadlines breached and recorded against them, of "
                                         "those falling due")),
    MeasureKind.PRAISE: Spec("count", BOTH, 0, 5, 0, _("Praise cases about them"),
                             exposure=False),
    MeasureKind.INSPECTIONS: Spec("score", (Subject.UNIT,), 60, 95, 1,
                                  _("Mean score of the period's inspections")),
    MeasureKind.MYSTERY: Spec("score", (Subject.UNIT,), 60, 95, 1,
                              _("Mean score of the period's mystery shops")),
    MeasureKind.FIRST_TIME_FIX: Spec("share", BOTH, 0.8, 0.97, 20,
                                     _("Repairs not brought back within the window")),
    MeasureKind.ACTIONS_ON_TIME: Spec("share", BOTH, 0.5, 1.0, 1,
                                      _("Improvement actions due that were finished on time")),
}  # fmt: skip


@dataclass(frozen=True)
class Window:
    """The period a card covers: its first and last day, and today (for what is decided)."""

    first: date
    last: date
    today: date

    @property
    def moments(self) -> tuple[datetime, datetime]:
        zone = timezone.get_current_timezone()
        return (
            datetime.combine(self.first, time(), tzinfo=zone),
            datetime.combine(self.last + timedelta(days=1), time(), tzinfo=zone),
        )

    @property
    def months(self) -> list[date]:
        return months_from(self.first.replace(day=1), self.last.replace(day=1))


def store_of_units() -> dict[int, int]:
    """Every store and department: the store its figures count for."""
    rows = Unit.objects.filter(level__in=(UnitLevel.STORE, UnitLevel.DEPARTMENT))
    return {
        pk: parent if level == UnitLevel.DEPARTMENT and parent else pk
        for pk, level, parent in rows.values_list("pk", "level", "parent_id")
    }


def _to_stores(counts: dict[int, list[int] | int]) -> dict[int, list[int] | int]:
    stores = store_of_units()
    found: dict[int, list[int] | int] = {}
    for unit, count in counts.items():
        store = stores.get(unit)
        if store is None:
            continue
        if isinstance(count, list):
            cell = found.setdefault(store, [0] * len(count))
            for i, value in enumerate(count):
                cell[i] += value  # type: ignore[index]
        else:
            found[store] = found.get(store, 0) + count  # type: ignore[operator]
    return found


def _shares(counts: dict[int, list[int]]) -> dict[int, Figure]:
    return {key: Figure(kept / due if due else None, due) for key, (kept, due) in counts.items()}


def _csi(subject: str, window: Window, programme: Programme | None) -> dict[int, Figure]:
    if programme is None:
        return {}
    version = programme.version_id
    names = cells.variables(definition_of(version))
    column = names.index(INDEX)
    if subject == Subject.UNIT:
        found = unit_summaries(version_id=version, months=window.months,
                               unit_ids=list(Unit.objects.filter(level=UnitLevel.STORE)
                                             .values_list("pk", flat=True)))  # fmt: skip
        return {
            unit: Figure(float(s[1, column] / s[0, column]), int(s[0, column]))
            for unit, s in found.items()
            if s[0, column]
        }
    return _shrunk(staff_summaries(version_id=version, months=window.months, unit_id=None), column)


def _shrunk(summaries: dict[int, tuple[int, np.ndarray]], column: int) -> dict[int, Figure]:
    """Each member's index shrunk toward their store's, with its interval."""
    stores = store_of_units()
    members = [
        (staff, stores.get(unit, unit), summary[:, column])
        for staff, (unit, summary) in summaries.items()
        if summary[0, column] > 0
    ]
    if not members:
        return {}
    store_index = {store: i for i, store in enumerate(sorted({m[1] for m in members}))}
    sums = StaffSums(
        store=np.array([store_index[store] for _staff, store, _s in members]),
        n=np.array([s[0] for *_rest, s in members]),
        sum_y=np.array([s[1] for *_rest, s in members]),
        sum_yy=np.array([s[2] for *_rest, s in members]),
    )
    try:
        fit = shrink(sums)
    except ValueError:  # too few answers to model: the raw means, unranked
        return {
            staff: Figure(float(s[1] / s[0]), int(s[0]), raw=float(s[1] / s[0]))
            for staff, _store, s in members
        }
    alone = np.bincount(sums.store)[sums.store] < 2  # no colleague to be shrunk toward
    return {
        staff: Figure(
            float(fit.shrunk[i]), int(sums.n[i]), raw=float(fit.raw[i]),
            low=max(float(fit.low[i]), 0.0), high=min(float(fit.high[i]), 1000.0),
            effect=None if alone[i] else float(fit.effect[i]),
            effect_var=float(fit.shrunk_var[i]),
        )
        for i, (staff, _store, _s) in enumerate(members)
    }  # fmt: skip


def _nps(subject: str, window: Window, programme: Programme | None) -> dict[int, Figure]:
    if programme is None:
        return {}
    definition = definition_of(programme.version_id)
    item = next((item.code for item in definition.items if item.type == "nps"), None)
    if item is None:
        return {}
    if subject == Subject.UNIT:
        stores = list(Unit.objects.filter(level=UnitLevel.STORE).values_list("pk", flat=True))
        counts = unit_histograms(
            version_id=programme.version_id, months=window.months, unit_ids=stores, item=item
        )
    else:
        counts = staff_histograms(version_id=programme.version_id, months=window.months, item=item)
    found = {}
    for key, histogram in counts.items():
        if histogram:
            estimate = nps_from_histogram([histogram.get(str(p), 0) for p in range(11)])
            found[key] = Figure(estimate.nps, estimate.n)
    return found


def _callbacks(subject: str, window: Window, _programme: Programme | None) -> dict[int, Figure]:
    figures = callback_counts(since=window.first, until=window.last, by=subject)
    counts = {key: [f.in_time, f.decided] for key, f in figures.items()}
    return _shares(_to_stores(counts) if subject == Subject.UNIT else counts)  # type: ignore[arg-type]


def _kept(subject: str, window: Window, _programme: Programme | None) -> dict[int, Figure]:
    since, until = window.moments
    counts = deadline_counts(since=since, until=until, by=subject)
    return _shares(_to_stores(counts) if subject == Subject.UNIT else counts)  # type: ignore[arg-type]


def _counted(read: Callable[..., dict[int, int]]) -> Callable[..., dict[int, Figure]]:
    def figures(subject: str, window: Window, _programme: Programme | None) -> dict[int, Figure]:
        since, until = window.moments
        counts = read(since=since, until=until, by=subject)
        if subject == Subject.UNIT:
            counts = _to_stores(counts)  # type: ignore[assignment]
        return {key: Figure(float(count), int(count)) for key, count in counts.items()}

    return figures


def _missed(subject: str, window: Window, _programme: Programme | None) -> dict[int, Figure]:
    """Deadlines breached against each person (or store), out of the deadlines of their
    cases that fell due: none missed of none due is no evidence."""
    since, until = window.moments
    breached = breach_counts(since=since, until=until, by=subject)
    due = {
        key: cell[1] for key, cell in deadline_counts(since=since, until=until, by=subject).items()
    }
    if subject == Subject.UNIT:
        breached, due = _to_stores(breached), _to_stores(due)  # type: ignore[assignment]
    return {key: Figure(float(breached.get(key, 0)), int(due.get(key, 0)))
            for key in set(breached) | set(due)}  # fmt: skip


def _checks(mystery: bool) -> Callable[..., dict[int, Figure]]:
    def figures(subject: str, window: Window, _programme: Programme | None) -> dict[int, Figure]:
        if subject != Subject.UNIT:
            return {}
        scores = unit_check_scores(mystery=mystery, since=window.first, until=window.last)
        stores = store_of_units()
        found: dict[int, list[float]] = {}
        for unit, (mean, n) in scores.items():
            if unit in stores:
                cell = found.setdefault(stores[unit], [0.0, 0])
                cell[0] += mean * n
                cell[1] += n
        return {store: Figure(total / n, int(n)) for store, (total, n) in found.items()}

    return figures


def _first_time_fix(subject: str, window: Window, _programme: Programme | None) -> dict:
    rows = first_time_fix(NETWORK, months=window.months, by=subject, today=window.today)
    found = {}
    for row in rows:
        fixed, decided = row.total
        found[row.key.pk] = Figure(fixed / decided if decided else None, decided)
    return found


def _actions(subject: str, window: Window, _programme: Programme | None) -> dict[int, Figure]:
    counts = on_time_counts(since=window.first, until=window.last, today=window.today, by=subject)
    return _shares(_to_stores(counts) if subject == Subject.UNIT else counts)  # type: ignore[arg-type]


READERS: dict[str, Callable[[str, Window, Programme | None], dict[int, Figure]]] = {
    MeasureKind.CSI: _csi,
    MeasureKind.NPS: _nps,
    MeasureKind.CALLBACKS: _callbacks,
    MeasureKind.DEADLINES_KEPT: _kept,
    MeasureKind.DEADLINES_MISSED: _missed,
    MeasureKind.PRAISE: _counted(praise_counts),
    MeasureKind.INSPECTIONS: _checks(mystery=False),
    MeasureKind.MYSTERY: _checks(mystery=True),
    MeasureKind.FIRST_TIME_FIX: _first_time_fix,
    MeasureKind.ACTIONS_ON_TIME: _actions,
}


def measure_figures(
    kind: str, *, subject: str, window: Window, programme: Programme | None
) -> dict[int, Figure]:
    """The measure's figure per staff member or per store, for everyone at once."""
    return READERS[kind](subject, window, programme)


def points_of(value: float | None, *, floor: float, target: float) -> float | None:
    """0–100 points: linear from ``floor`` (0) to ``target`` (100), capped at both ends;
    a floor above the target scores a figure where less is better."""
    if value is None or floor == target:
        return None
    return float(min(max((value - floor) / (target - floor) * 100.0, 0.0), 100.0))


def target_met(value: float | None, *, floor: float, target: float) -> bool | None:
    if value is None:
        return None
    return value <= target if floor > target else value >= target
