"""The SERVQUAL (RATER) report: perception − expectation per item and dimension,
each with its paired test, beside the network's."""

from dataclasses import dataclass, field

import numpy as np

from manyi.analytics.reports.csi import children_of
from manyi.analytics.selectors import Months, Slice, slice_of
from manyi.org.models import Unit
from manyi.stats.gaps import Gap, dimension_gap_test, gap_from_sums
from manyi.surveys.definition import Definition, Text
from manyi.surveys.versions import definition_of


@dataclass
class ItemGap:
    item: str
    dimension: str
    expectation: float  # mean answer, on the item's scale
    perception: float
    gap: Gap
    network: float | None  # the network's gap


@dataclass
class DimensionGap:
    code: str
    name: Text
    gap: Gap
    network: float | None


@dataclass
class UnitGaps:
    """A child unit's dimension gaps (mean of its items' gaps), for comparing units."""

    unit: Unit
    responses: int
    gaps: dict[str, float]

    @property
    def worst(self) -> str | None:
        return min(self.gaps, key=self.gaps.__getitem__) if self.gaps else None


@dataclass
class GapReport:
    responses: int = 0
    items: list[ItemGap] = field(default_factory=list)
    dimensions: list[DimensionGap] = field(default_factory=list)
    children: list[UnitGaps] = field(default_factory=list)


def _item_gap(data: Slice, code: str) -> Gap | None:
    i = data.moments.variables.index(f"gap:{code}")
    n = int(data.moments.count[i, i])
    if n < 2:
        return None
    return gap_from_sums(n, data.moments.sums[i, i], data.moments.squares[i, i])


def _dimension_gap(data: Slice, codes: list[str]) -> Gap | None:
    names = list(data.moments.variables)
    picked = [names.index(f"gap:{code}") for code in codes]
    counts = data.moments.count[np.ix_(picked, picked)]
    n = int(counts.min()) if counts.size else 0
    if n < 2:
        return None
    means = [data.moments.sums[i, i] / data.moments.count[i, i] for i in picked]
    covariance = data.moments.covariance()[np.ix_(picked, picked)]
    return dimension_gap_test(n, means, covariance)


def gap_report(*, version_id: int, months: Months, scope: Unit | None) -> GapReport:
    """Item and dimension gaps of ``scope``'s subtree (the network when None)."""
    definition = definition_of(version_id)
    servqual = [item for item in definition.items if item.type == "servqual"]
    if not servqual:
        return GapReport()
    here = slice_of(version_id=version_id, months=months, unit_id=scope.pk if scope else None)
    network = here if scope is None else slice_of(version_id=version_id, months=months)
    report = GapReport(responses=here.responses)
    for item in servqual:
        gap = _item_gap(here, item.code)
        if gap is None or item.scale is None:
            continue
        i = here.moments.variables.index(item.code)
        score = here.moments.sums[i, i] / here.moments.count[i, i]
        share = score / definition.index_scale
        if item.reversed:
            share = 1 - share
        perception = item.scale.min + share * (item.scale.max - item.scale.min)
        overall = _item_gap(network, item.code)
        report.items.append(
            ItemGap(
                item.code,
                item.dimension,
                perception - gap.gap,
                perception,
                gap,
                overall.gap if overall else None,
            )
        )
    for dimension in definition.dimensions:
        codes = [g.item for g in report.items if g.dimension == dimension.code]
        gap = _dimension_gap(here, codes) if codes else None
        if gap is None:
            continue
        overall = _dimension_gap(network, codes)
        report.dimensions.append(
            DimensionGap(dimension.code, dimension.name, gap, overall.gap if overall else None)
        )
    for child in children_of(scope):
        data = slice_of(version_id=version_id, months=months, unit_id=child.pk)
        if data.responses:
            report.children.append(UnitGaps(child, data.responses, _unit_gaps(data, definition)))
    return report


def _unit_gaps(data: Slice, definition: Definition) -> dict[str, float]:
    found = {}
    for dimension in definition.dimensions:
        gaps = [
            gap.gap
            for item in definition.items
            if item.type == "servqual" and item.dimension == dimension.code
            if (gap := _item_gap(data, item.code)) is not None
        ]
        if gaps:
            found[dimension.code] = float(np.mean(gaps))
    return found
