"""The NPS report: promoters, passives and detractors, the trend, children ranked."""

from dataclasses import dataclass, field
from datetime import date

from manyi.analytics.periods import as_span
from manyi.analytics.reports.csi import children_of
from manyi.analytics.selectors import Months, monthly_histograms, unit_histograms
from manyi.org.models import Unit
from manyi.stats.nps import NpsDifference, NpsEstimate, nps_difference, nps_from_histogram
from manyi.surveys.versions import definition_of


@dataclass
class NpsFigure:
    unit: Unit
    estimate: NpsEstimate | None
    rankable: bool
    rank: int | None = None

    @property
    def n(self) -> int:
        return self.estimate.n if self.estimate else 0


@dataclass
class NpsReport:
    item: str | None
    estimate: NpsEstimate | None = None
    histogram: list[int] = field(default_factory=lambda: [0] * 11)
    previous: NpsEstimate | None = None
    change: NpsDifference | None = None
    trend: list[tuple[date, NpsEstimate | None]] = field(default_factory=list)
    children: list[NpsFigure] = field(default_factory=list)
    min_n: int = 30


def _estimate(counts: dict[str, int]) -> NpsEstimate | None:
    histogram = [counts.get(str(point), 0) for point in range(11)]
    return nps_from_histogram(histogram) if sum(histogram) else None


def nps_report(
    *,
    version_id: int,
    months: Months,
    compare_months: Months,
    scope: Unit | None,
    min_n: int = 30,
) -> NpsReport:
    """NPS of ``scope``'s subtree (the network when None) with its split, its change
    since the comparison period (z test), its monthly trend and the children ranked."""
    definition = definition_of(version_id)
    item = next((item.code for item in definition.items if item.type == "nps"), None)
    report = NpsReport(item=item, min_n=min_n)
    if item is None:
        return report
    unit_id = scope.pk if scope else None
    by_month = monthly_histograms(version_id=version_id, months=months, unit_id=unit_id, item=item)
    earlier_by_month = monthly_histograms(
        version_id=version_id, months=compare_months, unit_id=unit_id, item=item
    )
    current: dict[str, int] = {}
    earlier: dict[str, int] = {}
    for source, target in ((by_month, current), (earlier_by_month, earlier)):
        for counts in source.values():
            for point, count in counts.items():
                target[point] = target.get(point, 0) + count
    report.histogram = [current.get(str(point), 0) for point in range(11)]
    report.estimate = _estimate(current)
    report.previous = _estimate(earlier)
    if report.estimate and report.previous:
        report.change = nps_difference(report.estimate, report.previous)
    report.trend = [
        (month, _estimate(by_month.get(month, {}))) for month, _piece in as_span(months).pieces()
    ]
    units = children_of(scope)
    histograms = unit_histograms(
        version_id=version_id, months=months, unit_ids=[unit.pk for unit in units], item=item
    )
    figures = []
    for unit in units:
        estimate = _estimate(histograms[unit.pk])
        figures.append(NpsFigure(unit, estimate, bool(estimate and estimate.n >= min_n)))
    ranked = sorted((f for f in figures if f.rankable), key=lambda f: -f.estimate.nps)
    for position, figure in enumerate(ranked, start=1):
        figure.rank = position
    report.children = ranked + [f for f in figures if not f.rankable]
    return report
