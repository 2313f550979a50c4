"""First-time fix per unit or advisor and month: the share of repairs whose vehicle is
not repaired again within the policy's window, from the service events.

A repair counts once its window is over (a repair of last week cannot tell yet). The
vehicle's next repair counts wherever it was done — a store's repair that needed doing
again elsewhere was not fixed the first time — though only the reader's own repairs are
reported. Events name no complaint, so any repair of the same vehicle within the window
counts as a come-back.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

import numpy as np
from django.db.models import Q
from django.utils import timezone

from manyi.analytics.cells import variables
from manyi.analytics.periods import month_shift
from manyi.analytics.selectors import unit_summaries
from manyi.customers.models import EventKind, ServiceEvent
from manyi.improve.models import FixPolicy
from manyi.improve.selectors.targets import figure_label
from manyi.org.models import Staff, Unit
from manyi.org.selectors import visible_unit_filter
from manyi.stats.cohorts import UNDECIDED, returned_within
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


def first_time_fix(
    user: Any,
    *,
    months: list[date],
    unit: Unit | None = None,
    by: str = "unit",
    today: date | None = None,
) -> list[FixRow]:
    """Rows per store (``by="unit"``, the stores under ``unit``) or per advisor (``by=
    "staff"``) with each month's (fixed, decided), the lowest rate first."""
    today = today or timezone.localdate()
    window = FixPolicy.current().window_days
    first, end = months[0], month_shift(months[-1], 1)
    mine = ServiceEvent.objects.filter(visible_unit_filter(user), kind__in=REPAIRS,
                                       asset__isnull=False)  # fmt: skip
    if unit is not None:
        mine = mine.filter(unit__path__startswith=unit.path)
    in_period = Q(closed_at__date__gte=first, closed_at__date__lt=end)
    # The vehicles' repairs anywhere, from the period's start to its end plus the window.
    rows = list(
        ServiceEvent.objects.filter(
            kind__in=REPAIRS, closed_at__isnull=False,
            asset__in=mine.filter(in_period).values("asset_id"),
            closed_at__date__gte=first, closed_at__date__lt=end + timedelta(days=window + 1),
        ).values_list("pk", "asset_id", "unit_id", "staff_id", "closed_at")
    )  # fmt: skip
    if not rows:
        return []
    reported = set(mine.filter(in_period).values_list("pk", flat=True))
    zone = timezone.get_current_timezone()
    days = np.array([r[4].astimezone(zone).date().toordinal() for r in rows])
    came = returned_within(np.array([r[1] for r in rows]), days, horizon=window,
                           until=today.toordinal())  # fmt: skip
    counts: dict[Any, dict[date, list[int]]] = defaultdict(lambda: defaultdict(lambda: [0, 0]))
    for (pk, _asset, unit_id, staff_id, _closed), day, flag in zip(rows, days, came, strict=True):
        key = unit_id if by == "unit" else staff_id
        if pk not in reported or flag == UNDECIDED or key is None:
            continue
        cell = counts[key][date.fromordinal(int(day)).replace(day=1)]
        cell[0] += int(flag == 0)
        cell[1] += 1
    names = (Unit if by == "unit" else Staff).objects.in_bulk(list(counts))
    found = [
        FixRow(names[key], {month: (f, d) for month, (f, d) in cells.items()})
        for key, cells in counts.items()
        if key in names
    ]
    return sorted(found, key=lambda row: (row.rate if row.rate is not None else 2, str(row.key)))


def survey_item_beside(
    units: list[int], months: list[date], language: str
) -> tuple[str, dict[int, float]]:
    """The policy's survey item (the customers' own "fixed right first time") per unit
    over ``months``, 0–1000, from the first programme that asks it: (the item's words,
    means)."""
    code = FixPolicy.current().survey_item
    if not code or not units:
        return "", {}
    for programme in Programme.objects.order_by("pk"):
        names = variables(definition_of(programme.version_id))
        if code in names:
            column = names.index(code)
            sums = unit_summaries(version_id=programme.version_id, months=months, unit_ids=units)
            return figure_label(programme.version_id, code, language), {
                unit: float(sums[unit][1, column] / sums[unit][0, column])
                for unit in units
                if sums[unit][0, column]
            }
    return "", {}
