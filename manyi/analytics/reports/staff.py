"""Advisors (服务顾问) ranked by the CSI of their own customers, each with the factor
where they trail their store most; and one advisor's figures beside their store's:
the scorecard's survey half."""

from dataclasses import dataclass, field
from datetime import date

import numpy as np

from manyi.analytics import cells
from manyi.analytics.periods import as_span
from manyi.analytics.reports.csi import INDEX, item_means, slice_drivers, slice_mean, slice_nps
from manyi.analytics.selectors import Months, Slice, slice_of, staff_summaries, unit_summaries
from manyi.org.models import Staff, Unit, UnitLevel
from manyi.stats.descriptive import MeanEstimate
from manyi.stats.ipa import Shortfall, ipa, shortfalls
from manyi.stats.nps import NpsEstimate
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


@dataclass
class AdvisorReport:
    """One advisor's figures beside their store's and the network's."""

    staff: Staff
    store: Unit
    index: MeanEstimate | None
    nps: NpsEstimate | None
    responses: int
    factors: list[tuple[str, float | None, float | None, float | None]]  # mine, store, net
    trend: list[tuple[date, MeanEstimate | None]]
    shortfalls: list[Shortfall] = field(default_factory=list)  # against the store
    rankable: bool = False


def _store_of(staff: Staff) -> Unit:
    """The store an advisor works in (their department's store), else their unit."""
    unit = staff.unit
    if unit.level == UnitLevel.STORE:
        return unit
    stores = Unit.objects.filter(pk__in=unit.ancestor_ids(), level=UnitLevel.STORE)
    return stores.order_by("-path").first() or unit


def advisor_report(
    *, version_id: int, months: Months, staff: Staff, min_n: int = 10
) -> AdvisorReport:
    """An advisor's CSI, NPS, factor scores against their store and the network, trend,
    and the items where they trail their store most, weighted by importance."""
    definition = definition_of(version_id)
    mine = slice_of(version_id=version_id, months=months, staff_id=staff.pk)
    store = _store_of(staff)
    theirs = slice_of(version_id=version_id, months=months, unit_id=store.pk)
    network = slice_of(version_id=version_id, months=months)

    def mean(data: Slice, name: str) -> float | None:
        estimate = slice_mean(data, name)
        return estimate.mean if estimate else None

    factors = [
        (
            factor.code,
            mean(mine, f"factor:{factor.code}"),
            mean(theirs, f"factor:{factor.code}"),
            mean(network, f"factor:{factor.code}"),
        )
        for factor in definition.factors
    ]
    report = AdvisorReport(
        staff=staff,
        store=store,
        index=slice_mean(mine, INDEX),
        nps=slice_nps(definition, mine),
        responses=mine.responses,
        factors=factors,
        trend=[
            (
                month,
                slice_mean(slice_of(version_id=version_id, months=piece, staff_id=staff.pk), INDEX),
            )
            for month, piece in as_span(months).pieces()
        ],
        rankable=mine.responses >= min_n,
    )
    overall = definition.role("overall")
    rated = [
        item.code
        for item in definition.items
        if item.type in ("rating", "servqual") and (overall is None or item.code != overall.code)
    ]
    drivers = slice_drivers(definition, network, rated)
    if drivers is not None and drivers.r2 > 0:
        my_means, counts = item_means(mine, rated)
        store_means, _counts = item_means(theirs, rated)
        if my_means and store_means:
            positions = ipa(drivers.importance, my_means, store_means, counts)
            report.shortfalls, _thin = shortfalls(positions, min_n=min_n)
    return report
