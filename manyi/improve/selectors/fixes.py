"""First-time fix per store or advisor and month: the share of repairs whose vehicle was
not brought back for another repair within the policy's window (``stats.comebacks``),
from the service events.

A repair counts once its window is over. The vehicle's next repair counts wherever it was
done — a store's repair that needed doing again elsewhere was not fixed the first time —
though only the reader's own repairs are reported. Events name no complaint, so any repair
of the same vehicle opened within the window after the handover is a come-back; two
orders of one visit (the second opened before the first closed) are not.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

import numpy as np
from django.db.models import Q
from django.utils import timezone

from manyi.analytics.cells import variables
from manyi.analytics.periods import month_shift
from manyi.analytics.selectors import staff_summaries, unit_summaries
from manyi.customers.models import EventKind, ServiceEvent
from manyi.improve.models import FixPolicy
from manyi.improve.selectors.targets import figure_label
from manyi.org.models import Staff, Unit, UnitLevel
from manyi.org.selectors import visible_unit_filter, visible_units
from manyi.stats.comebacks import UNDECIDED, came_back
from manyi.surveys.models import Programme
from manyi.surveys.versions import definition_of

REPAIRS = (EventKind.REPAIR, EventKind.WARRANTY)


@dataclass
class FixRow:
    key: Any  # the unit or the staff member
    months: dict[date, tuple[int, int]] = field(default_factory=dict)  # month: (fixed, decided)

    @property
    def total(self) -> tuple[int, int]:
        return (sum(f for f, _d in self.months.values()), sum(d for _f, d in self.months.values()))

    @property
    def rate(self) -> float | None:
        fixed, decided = self.total
        return fixed / decided if decided else None

    def cell(self, month: date) -> tuple[float | None, int]:
        """A month's rate and the repairs it is from."""
        fixed, decided = self.months.get(month, (0, 0))
        return (fixed / decided if decided else None), decided


def decided_months(count: int, *, window: int, today: date) -> list[date]:
    """The last ``count`` whole months whose repairs' windows are all over by today: a
    month just ended cannot tell yet whether its repairs held."""
    last = month_shift((today - timedelta(days=window + 1)).replace(day=1), -1)
    return [month_shift(last, -k) for k in range(count - 1, -1, -1)]


def _moment(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time()))


def first_time_fix(
    user: Any,
    *,
    months: list[date],
    unit: Unit | None = None,
    by: str = "unit",
    today: date | None = None,
) -> list[FixRow]:
    """Rows per store (``by="unit"``: the stores under ``unit``, a department's repairs
    with its store's) or per advisor (``by="staff"``) with each month's (fixed, decided),
    the lowest rate first."""
    today = today or timezone.localdate()
    window = FixPolicy.current().window_days
    start, end = _moment(months[0]), _moment(month_shift(months[-1], 1))
    mine = ServiceEvent.objects.filter(visible_unit_filter(user), kind__in=REPAIRS,
                                       asset__isnull=False)  # fmt: skip
    if unit is not None:
        mine = mine.filter(unit__path__startswith=unit.path)
    vehicles = mine.filter(closed_at__gte=start, closed_at__lt=end).values("asset_id")
    # The vehicles' repairs anywhere, opened from the period's start to its end plus the
    # window: what decides whether the reader's repairs held.
    rows = list(
        ServiceEvent.objects.filter(
            kind__in=REPAIRS, asset__in=vehicles, opened_at__lt=end + timedelta(days=window),
        ).filter(Q(closed_at__isnull=True) | Q(closed_at__gte=start - timedelta(days=window)))
        .order_by()
        .values_list("asset_id", "unit_id", "staff_id", "opened_at", "closed_at")
    )  # fmt: skip
    if not rows:
        return []
    flags = came_back(
        np.array([r[0] for r in rows]),
        np.array([r[3].timestamp() for r in rows]),
        np.array([r[4].timestamp() if r[4] else np.nan for r in rows]),
        window=window * 86400.0, until=_moment(today).timestamp(),
    )  # fmt: skip
    seen = set(visible_units(user).values_list("pk", flat=True))
    if unit is not None:
        seen &= set(Unit.objects.filter(path__startswith=unit.path).values_list("pk", flat=True))
    store_of = _stores({r[1] for r in rows})
    zone = timezone.get_current_timezone()
    counts: dict[Any, dict[date, list[int]]] = defaultdict(lambda: defaultdict(lambda: [0, 0]))
    for (_asset, unit_id, staff_id, _opened, closed), flag in zip(rows, flags, strict=True):
        if flag == UNDECIDED or unit_id not in seen or not start <= closed < end:
            continue
        key = store_of[unit_id] if by == "unit" else staff_id
        if key is None:
            continue
        cell = counts[key][closed.astimezone(zone).date().replace(day=1)]
        cell[0] += int(flag == 0)
        cell[1] += 1
    names = (Unit if by == "unit" else Staff).objects.in_bulk(list(counts))
    found = [
        FixRow(names[key], {month: (f, d) for month, (f, d) in cells.items()})
        for key, cells in counts.items()
        if key in names
    ]
    return sorted(found, key=lambda row: (row.rate if row.rate is not None else 2, str(row.key)))


def _stores(unit_ids: set[int]) -> dict[int, int]:
    """Each unit's store: a department's repairs count with its store's."""
    return {
        pk: parent if level == UnitLevel.DEPARTMENT and parent else pk
        for pk, level, parent in Unit.objects.filter(pk__in=unit_ids).values_list(
            "pk", "level", "parent_id"
        )
    }


def survey_item_beside(
    keys: list[int], months: list[date], language: str, *, advisors_of: int | None = None
) -> tuple[str, dict[int, float]]:
    """The policy's survey item (the customers' own "fixed right first time") over
    ``months``, 0–1000, from the first programme that asks it: (the item's words, means)
    per unit of ``keys`` — or, with ``advisors_of`` (a store), per staff member of
    ``keys``, from their own customers' answers."""
    code = FixPolicy.current().survey_item
    if not code or not keys:
        return "", {}
    for programme in Programme.objects.order_by("pk"):
        names = variables(definition_of(programme.version_id))
        if code in names:
            column = names.index(code)
            if advisors_of is None:
                sums = unit_summaries(version_id=programme.version_id, months=months,
                                      unit_ids=keys)  # fmt: skip
            else:
                sums = {
                    staff: summary
                    for staff, (_unit, summary) in staff_summaries(
                        version_id=programme.version_id, months=months, unit_id=advisors_of
                    ).items()
                }
            return figure_label(programme.version_id, code, language), {
                key: float(sums[key][1, column] / sums[key][0, column])
                for key in keys
                if key in sums and sums[key][0, column]
            }
    return "", {}
