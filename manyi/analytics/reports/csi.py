"""The CSI report of a scope unit: index, factors, NPS, trend, ranked children, drivers
and the shortfall list — all from rollup cells, so it costs a few dozen cells whatever
the number of responses.
"""

from dataclasses import dataclass, field
from datetime import date

import numpy as np

from manyi.analytics import cells
from manyi.analytics.periods import as_span
from manyi.analytics.selectors import Months, Slice, slice_of, slices_by_month, unit_summaries
from manyi.org.models import Unit
from manyi.stats.descriptive import MeanEstimate, mean_from_sums
from manyi.stats.drivers import Drivers, SingularError, drivers_from_correlation
from manyi.stats.ipa import ItemPosition, Shortfall, ipa, shortfalls
from manyi.stats.nps import NpsEstimate, nps_from_histogram
from manyi.surveys.definition import Definition, Text
from manyi.surveys.versions import definition_of

INDEX, NPS = "@index", "@nps"


@dataclass
class Figure:
    """One unit's headline figures; ``rankable`` when it has at least the minimum n."""

    unit: Unit
    n: int
    index: float | None
    rankable: bool
    rank: int | None = None


@dataclass
class Report:
    version_id: int
    months: Months
    scope: Unit | None
    responses: int
    index: MeanEstimate | None
    nps: NpsEstimate | None
    factors: list[tuple[str, Text, float | None, float | None]]  # code, name, unit, network
    trend: list[tuple[date, MeanEstimate | None]]
    children: list[Figure] = field(default_factory=list)
    drivers: Drivers | None = None
    positions: list[ItemPosition] = field(default_factory=list)
    shortfalls: list[Shortfall] = field(default_factory=list)
    thin_items: list[str] = field(default_factory=list)
    min_n: int = 30

    @property
    def answered_children(self) -> list[Figure]:
        """The units below with answers of their own in the period (a store's departments
        often have none: answers are recorded by store)."""
        return [figure for figure in self.children if figure.n]


def slice_mean(data: Slice, name: str) -> MeanEstimate | None:
    i = data.moments.variables.index(name)
    n = int(data.moments.count[i, i])
    if n == 0:
        return None
    return mean_from_sums(n, data.moments.sums[i, i], data.moments.squares[i, i])


def slice_nps(definition: Definition, data: Slice) -> NpsEstimate | None:
    item = next((item for item in definition.items if item.type == "nps"), None)
    counts = data.histograms.get(item.code) if item else None
    if not counts:
        return None
    return nps_from_histogram([counts.get(str(point), 0) for point in range(11)])


def item_means(data: Slice, codes: list[str]) -> tuple[dict[str, float], dict[str, int]]:
    means, counts = {}, {}
    for code in codes:
        i = data.moments.variables.index(code)
        n = int(data.moments.count[i, i])
        counts[code] = n
        if n:
            means[code] = float(data.moments.sums[i, i] / n)
    return means, counts


def slice_drivers(definition: Definition, data: Slice, codes: list[str]) -> Drivers | None:
    overall = definition.role("overall")
    if overall is None or not codes:
        return None
    names = list(data.moments.variables)
    full = data.moments.correlation()
    target = names.index(overall.code)
    # Items nobody varied on (or never answered with the overall) explain nothing.
    varied = [code for code in codes if not np.isnan(full[names.index(code), target])]
    usable = [
        code
        for code in varied
        if not np.isnan(full[names.index(code), [names.index(c) for c in varied]]).any()
    ]
    if not usable:
        return None
    while usable:
        picked = [names.index(code) for code in usable] + [target]
        correlation = full[np.ix_(picked, picked)]
        try:
            return drivers_from_correlation(correlation, usable, data.responses)
        except SingularError:
            # An item the others already say all of: leave out the most redundant one.
            redundancy = np.diag(np.linalg.pinv(correlation[:-1, :-1]))
            usable = [code for i, code in enumerate(usable) if i != int(np.argmax(redundancy))]
    return None


def children_of(scope: Unit | None) -> list[Unit]:
    """The units a scope's ranking compares: its children (the network: the regions)."""
    if scope is None:
        roots = list(Unit.objects.filter(parent=None, is_active=True))
        if len(roots) != 1:
            return roots
        scope = roots[0]
    return list(scope.children.filter(is_active=True).order_by("code"))


def csi_report(*, version_id: int, months: Months, scope: Unit | None, min_n: int = 30) -> Report:
    """The report of ``scope``'s subtree (the network when None) over a period."""
    definition = definition_of(version_id)
    here = slice_of(version_id=version_id, months=months, unit_id=scope.pk if scope else None)
    network = here if scope is None else slice_of(version_id=version_id, months=months)
    items = [item.code for item in definition.items if item.type in ("rating", "servqual")]
    overall = definition.role("overall")
    rated = [code for code in items if not overall or code != overall.code]
    factors = [
        (
            factor.code,
            factor.name,
            _value(slice_mean(here, f"factor:{factor.code}")),
            _value(slice_mean(network, f"factor:{factor.code}")),
        )
        for factor in definition.factors
    ]
    report = Report(
        version_id=version_id,
        months=[month for month, _piece in as_span(months).pieces()],
        scope=scope,
        responses=here.responses,
        index=slice_mean(here, INDEX),
        nps=slice_nps(definition, here),
        factors=factors,
        trend=_trend(version_id, months, scope),
        min_n=min_n,
    )
    report.children = ranked_units(version_id, months, children_of(scope), min_n)
    report.drivers = slice_drivers(definition, network, rated)
    if report.drivers is not None and report.drivers.r2 > 0:
        unit_means, counts = item_means(here, rated)
        network_means, _counts = item_means(network, rated)
        if scope is None and unit_means:
            # The network against itself says nothing: split at its mean item score.
            average = sum(unit_means.values()) / len(unit_means)
            network_means = dict.fromkeys(unit_means, average)
        if unit_means:
            report.positions = ipa(report.drivers.importance, unit_means, network_means, counts)
            report.shortfalls, report.thin_items = shortfalls(report.positions, min_n=min_n)
    return report


def _trend(
    version_id: int, months: Months, scope: Unit | None
) -> list[tuple[date, MeanEstimate | None]]:
    unit_id = scope.pk if scope else None
    return [
        (month, slice_mean(monthly, INDEX))
        for month, monthly in slices_by_month(version_id=version_id, months=months, unit_id=unit_id)
    ]


def _value(estimate: MeanEstimate | None) -> float | None:
    return None if estimate is None else estimate.mean


def ranked_units(version_id: int, months: Months, units: list[Unit], min_n: int) -> list[Figure]:
    """Each unit's CSI from its cells' summaries, ranked best first; those below the
    minimum n come after, unranked."""
    if not units:
        return []
    names = cells.variables(definition_of(version_id))
    column = names.index(INDEX)
    summaries = unit_summaries(
        version_id=version_id, months=months, unit_ids=[unit.pk for unit in units]
    )
    figures = []
    for unit in units:
        n = int(summaries[unit.pk][0, column])
        index = summaries[unit.pk][1, column] / n if n else None
        figures.append(Figure(unit, n, index, n >= min_n))
    ranked = sorted((f for f in figures if f.rankable), key=lambda f: f.index, reverse=True)
    for position, figure in enumerate(ranked, start=1):
        figure.rank = position
    thin = [f for f in figures if not f.rankable]
    return ranked + sorted(thin, key=lambda f: f.unit.code)
