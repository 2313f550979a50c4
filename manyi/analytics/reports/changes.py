"""What changed since the comparison period: every figure tested, the significant
moves listed first. With dozens of tests at once some would come out "significant"
by chance, so the p values are adjusted by Benjamini–Hochberg (false discovery rate
5 %; Y. Benjamini and Y. Hochberg, *J. R. Stat. Soc. B* 57 (1995) 289–300)."""

from dataclasses import dataclass, field

import numpy as np
from scipy.stats import false_discovery_control

from manyi.analytics import cells
from manyi.analytics.reports.csi import INDEX, children_of
from manyi.analytics.selectors import Months, Slice, slice_of, unit_summaries
from manyi.org.models import Unit
from manyi.stats.change import mean_change
from manyi.stats.nps import nps_difference, nps_from_histogram
from manyi.surveys.versions import definition_of


@dataclass
class Move:
    kind: str  # index, nps, factor, item, gap, unit
    code: str  # the variable, or the unit's code for kind "unit"
    label: str
    now: float
    before: float
    n_now: int
    n_before: int
    p: float
    q: float = 1.0  # p adjusted for the number of tests
    significant: bool = False

    @property
    def difference(self) -> float:
        return self.now - self.before


@dataclass
class ChangeReport:
    moves: list[Move] = field(default_factory=list)  # significant first, biggest first
    thin: list[str] = field(default_factory=list)  # figures below the minimum n
    min_n: int = 30

    @property
    def significant(self) -> list[Move]:
        return [move for move in self.moves if move.significant]


def _sums(data: Slice, name: str) -> "Sums":
    i = data.moments.variables.index(name)
    return int(data.moments.count[i, i]), data.moments.sums[i, i], data.moments.squares[i, i]


Sums = tuple[int, float, float]  # n, Σx, Σx²


def _mean_move(
    kind: str, code: str, label: str, now: Sums, before: Sums, min_n: int, thin: list[str]
) -> Move | None:
    if now[0] == 0 or before[0] == 0:
        return None
    if now[0] < min_n or before[0] < min_n:
        thin.append(label)
        return None
    change = mean_change(now, before)
    return Move(
        kind, code, label, now[1] / now[0], before[1] / before[0], now[0], before[0], change.p
    )


def _variables(version_id: int) -> list[tuple[str, str, str]]:
    """(kind, variable, label) of every figure the report tests."""
    definition = definition_of(version_id)
    found = [("index", INDEX, "CSI")] if definition.factors else []
    found += [("factor", f"factor:{f.code}", f.code) for f in definition.factors]
    found += [
        ("item", item.code, item.code)
        for item in definition.items
        if item.type in ("rating", "servqual")
    ]
    found += [
        ("gap", f"gap:{item.code}", item.code)
        for item in definition.items
        if item.type == "servqual"
    ]
    return found


def change_report(
    *,
    version_id: int,
    months: Months,
    compare_months: Months,
    scope: Unit | None,
    min_n: int = 30,
) -> ChangeReport:
    """Each figure of ``scope`` and each child's index now against the comparison
    period: Welch's t for means, the z test for NPS, BH-adjusted."""
    unit_id = scope.pk if scope else None
    now = slice_of(version_id=version_id, months=months, unit_id=unit_id)
    before = slice_of(version_id=version_id, months=compare_months, unit_id=unit_id)
    report = ChangeReport(min_n=min_n)
    for kind, name, label in _variables(version_id):
        move = _mean_move(
            kind, label, label, _sums(now, name), _sums(before, name), min_n, report.thin
        )
        if move:
            report.moves.append(move)
    _nps_move(version_id, now, before, report)
    _unit_moves(version_id, months, compare_months, scope, report)
    if report.moves:
        adjusted = false_discovery_control(np.array([move.p for move in report.moves]))
        for move, q in zip(report.moves, adjusted, strict=True):
            move.q = float(q)
            move.significant = move.q < 0.05
    report.moves.sort(key=lambda move: (not move.significant, -abs(move.difference)))
    return report


def _nps_move(version_id: int, now: Slice, before: Slice, report: ChangeReport) -> None:
    definition = definition_of(version_id)
    item = next((item.code for item in definition.items if item.type == "nps"), None)
    if item is None:
        return
    counts = [
        [data.histograms.get(item, {}).get(str(point), 0) for point in range(11)]
        for data in (now, before)
    ]
    if min(sum(c) for c in counts) < report.min_n:
        if max(sum(c) for c in counts):
            report.thin.append("NPS")
        return
    first, second = nps_from_histogram(counts[0]), nps_from_histogram(counts[1])
    test = nps_difference(first, second)
    report.moves.append(Move("nps", item, "NPS", first.nps, second.nps, first.n, second.n, test.p))


def _unit_moves(
    version_id: int,
    months: Months,
    compare_months: Months,
    scope: Unit | None,
    report: ChangeReport,
) -> None:
    if not definition_of(version_id).factors:
        return
    units = children_of(scope)
    ids = [unit.pk for unit in units]
    column = cells.variables(definition_of(version_id)).index(INDEX)
    now = unit_summaries(version_id=version_id, months=months, unit_ids=ids)
    before = unit_summaries(version_id=version_id, months=compare_months, unit_ids=ids)
    for unit in units:
        move = _mean_move(
            "unit",
            unit.code,
            str(unit),
            _column(now[unit.pk], column),
            _column(before[unit.pk], column),
            report.min_n,
            report.thin,
        )
        if move:
            report.moves.append(move)


def _column(summary: np.ndarray, column: int) -> Sums:
    n, total, squares = summary[:, column]
    return int(n), float(total), float(squares)
