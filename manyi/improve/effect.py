"""Did an action move its figure? The difference in differences of one unit against
comparable units, read from the rollup cells, and the placebo check.

The before window must end before the month that made anyone act — a store picked after a
bad month recovers by itself (regression to the mean) — and the after window starts when
the action was done; choosing them is the caller's (the action's) business. Here the
figure of each unit in each window comes from the rollup cells as n, Σy and Σy² of one
rollup variable (``@index``, ``factor:…``, an item code), so no answer is read again.
"""

from dataclasses import dataclass
from datetime import date

import numpy as np

from manyi.analytics.cells import variables
from manyi.analytics.periods import months_from
from manyi.analytics.selectors import unit_summaries
from manyi.stats.did import (
    MIN_PLACEBOS,
    DidCells,
    DidResult,
    PlaceboVerdict,
    did,
    placebo_verdict,
)
from manyi.surveys.versions import definition_of

CLUSTERED_FROM = 10  # treated units from which errors are clustered by unit (CR1)


@dataclass(frozen=True)
class Effect:
    result: DidResult
    placebos: list[tuple[int, float]]  # (comparison unit, its own estimate)
    verdict: PlaceboVerdict | None  # None: fewer placebos than a verdict needs
    # Month, treated mean, others' mean: every month from the first before month to the
    # last after month (the pre-trend, the months between the windows, the after ones).
    trend: list[tuple[date, float | None, float | None]]


def _sums(
    version_id: int, months: list[date], unit_ids: list[int], column: int
) -> dict[int, tuple[float, float, float]]:
    found = unit_summaries(version_id=version_id, months=months, unit_ids=unit_ids)
    return {unit: tuple(float(v) for v in found[unit][:, column]) for unit in unit_ids}


def _cells(treated: set[int], units: list[int], before: dict, after: dict) -> DidCells:
    rows = [
        (unit, int(unit in treated), window, *sums[unit])
        for unit in units
        for window, sums in ((0, before), (1, after))
        if sums[unit][0] > 0
    ]
    table = np.array(rows, dtype=float).reshape(-1, 6)
    return DidCells(*(table[:, i] for i in range(6)))


def effect_of(
    *,
    version_id: int,
    variable: str,
    treated: list[int],
    comparison: list[int],
    before: list[date],
    after: list[date],
    wanted: float = 1.0,
    monthly: bool = True,
) -> Effect:
    """The difference in differences of the ``treated`` units' ``variable`` against the
    ``comparison`` units', from the ``before`` to the ``after`` months; each comparison
    unit's own estimate against the other comparison units (the placebos) and whether
    the estimate lies beyond their 5–95 % range on the ``wanted`` side; the monthly
    means of both sides from the first before month to the last after one (``monthly``;
    a month's read each, so a summary of many actions leaves them out)."""
    names = variables(definition_of(version_id))
    if variable not in names:
        raise ValueError(f"{variable!r} is not a figure of this questionnaire")
    column = names.index(variable)
    units = [*treated, *comparison]
    sums_before = _sums(version_id, before, units, column)
    sums_after = _sums(version_id, after, units, column)
    result = did(
        _cells(set(treated), units, sums_before, sums_after),
        clustered=len(treated) >= CLUSTERED_FROM,
    )
    placebos = []
    for unit in comparison:
        try:
            estimate = did(_cells({unit}, comparison, sums_before, sums_after)).estimate
        except ValueError:  # this unit, or the rest, has no answers in a window
            continue
        placebos.append((unit, estimate))
    verdict = (
        placebo_verdict(result.estimate, np.array([e for _u, e in placebos]), wanted=wanted)
        if len(placebos) >= MIN_PLACEBOS
        else None
    )
    trend = []
    for month in months_from(min(before), max(after)) if monthly else []:
        sums = _sums(version_id, [month], units, column)
        sides = []
        for side in (treated, comparison):
            n = sum(sums[u][0] for u in side)
            sides.append(sum(sums[u][1] for u in side) / n if n else None)
        trend.append((month, sides[0], sides[1]))
    return Effect(result, placebos, verdict, trend)
