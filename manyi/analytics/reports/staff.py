"""Advisors (服务顾问) ranked by the CSI of their own customers, each with the factor
where they trail their store most: the scorecard's survey half."""

from dataclasses import dataclass

import numpy as np

from manyi.analytics import cells
from manyi.analytics.reports.csi import INDEX
from manyi.analytics.selectors import Months, staff_summaries, unit_summaries
from manyi.org.models import Staff, Unit
from manyi.surveys.versions import definition_of


@dataclass
class StaffFigure:
    staff: Staff
    unit: Unit
    n: int
    index: float | None
    rankable: bool
    weakest: str | None  # the factor furthest below the store's
    behind: float | None  # by how many points
    rank: int | None = None


def _means(summary: np.ndarray) -> np.ndarray:
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(summary[0] > 0, summary[1] / summary[0], np.nan)


def staff_report(
    *, version_id: int, months: Months, scope: Unit | None, min_n: int = 10
) -> list[StaffFigure]:
    """The staff answering in ``scope``'s subtree, rankable ones by CSI, the rest after."""
    definition = definition_of(version_id)
    names = cells.variables(definition)
    factors = [(f.code, names.index(f"factor:{f.code}")) for f in definition.factors]
    column = names.index(INDEX)
    summaries = staff_summaries(
        version_id=version_id, months=months, unit_id=scope.pk if scope else None
    )
    unit_ids = sorted({unit for unit, _summary in summaries.values()})
    stores = unit_summaries(version_id=version_id, months=months, unit_ids=unit_ids)
    people = Staff.objects.in_bulk(list(summaries))
    units = Unit.objects.in_bulk(unit_ids)
    figures = []
    for staff_id, (unit_id, summary) in summaries.items():
        n = int(summary[0, column])
        mine, store = _means(summary), _means(stores[unit_id])
        behind = {
            code: store[i] - mine[i]
            for code, i in factors
            if not np.isnan(mine[i]) and not np.isnan(store[i])
        }
        weakest = max(behind, key=behind.__getitem__) if behind else None
        figures.append(
            StaffFigure(
                people[staff_id],
                units[unit_id],
                n,
                float(mine[column]) if n else None,
                n >= min_n and n > 0,
                weakest,
                float(behind[weakest]) if weakest else None,
            )
        )
    ranked = sorted((f for f in figures if f.rankable), key=lambda f: -(f.index or 0))
    for position, figure in enumerate(ranked, start=1):
        figure.rank = position
    thin = sorted((f for f in figures if not f.rankable), key=lambda f: str(f.staff))
    return ranked + thin
