"""The report figures as JSON, scoped like the dashboards: the same report functions,
the same checks (a unit outside the token's part of the network is a 404)."""

import math
from datetime import date
from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema
from ninja.errors import HttpError

from manyi.analytics.query import ReportQuery, ReportQueryError, report_query
from manyi.analytics.reports import csi_report
from manyi.analytics.reports.changes import change_report
from manyi.analytics.reports.drivers import kano_report
from manyi.analytics.reports.funnel import funnel_report
from manyi.analytics.reports.gaps import gap_report
from manyi.analytics.reports.nps import nps_report
from manyi.analytics.reports.staff import staff_report

router = Router(tags=["analytics"])


class EstimateOut(Schema):
    n: int
    value: float
    ci_low: float | None
    ci_high: float | None


class FactorOut(Schema):
    code: str
    unit: float | None
    network: float | None


class UnitFigureOut(Schema):
    unit_id: int
    code: str
    n: int
    index: float | None
    rank: int | None
    rankable: bool


class ShortfallOut(Schema):
    item: str
    importance: float
    gap: float
    priority: float


class ReportOut(Schema):
    programme_id: int
    unit_id: int | None
    months: list[date]
    responses: int
    index: EstimateOut | None
    nps: EstimateOut | None
    factors: list[FactorOut]
    trend: list[dict]
    children: list[UnitFigureOut]
    importance: dict[str, float]
    shortfalls: list[ShortfallOut]
    min_n: int


class ScopeOut(Schema):
    programme_id: int
    unit_id: int | None
    months: list[date]
    compare_months: list[date]


def _number(value: float | None) -> float | None:
    return None if value is None or not math.isfinite(value) else value


def _estimate(n: int, value: float, low: float, high: float) -> dict:
    return {"n": n, "value": value, "ci_low": _number(low), "ci_high": _number(high)}


def _query(
    request: HttpRequest,
    programme_id: int,
    unit_id: int | None,
    months: int,
    compare: str = "previous",
    kind: str = "index",
) -> ReportQuery:
    try:
        query = report_query(
            request.user,
            programme=programme_id,
            unit=unit_id,
            period=months,
            compare=compare,
            kind=kind,
        )
    except ReportQueryError as error:
        raise HttpError(error.status, str(error)) from error
    if query is None:
        raise HttpError(404, "No such programme.")
    return query


def _scope(query: ReportQuery) -> dict[str, Any]:
    return {
        "programme_id": query.programme.pk,
        "unit_id": query.scope.pk if query.scope else None,
        "months": query.months,
        "compare_months": query.compare_months,
    }


@router.get("/analytics/csi", response=ReportOut)
def csi(  # type: ignore[no-untyped-def]
    request: HttpRequest, programme_id: int, unit_id: int | None = None, months: int = 12
):
    """CSI, NPS, factors, trend, ranked children and shortfalls of a unit's subtree."""
    query = _query(request, programme_id, unit_id, months)
    report = csi_report(
        version_id=query.version_id,
        months=query.months,
        scope=query.scope,
        min_n=query.programme.min_n_unit,
    )
    index, nps = report.index, report.nps
    return {
        "programme_id": query.programme.pk,
        "unit_id": query.scope.pk if query.scope else None,
        "months": report.months,
        "responses": report.responses,
        "index": _estimate(index.n, index.mean, index.ci_low, index.ci_high) if index else None,
        "nps": _estimate(nps.n, nps.nps, nps.ci_low, nps.ci_high) if nps else None,
        "factors": [
            {"code": code, "unit": value, "network": network}
            for code, _name, value, network in report.factors
        ],
        "trend": [
            {"month": month, "n": m.n if m else 0, "index": m.mean if m else None}
            for month, m in report.trend
        ],
        "children": [
            {
                "unit_id": f.unit.pk,
                "code": f.unit.code,
                "n": f.n,
                "index": f.index,
                "rank": f.rank,
                "rankable": f.rankable,
            }
            for f in report.children
        ],
        "importance": report.drivers.importance if report.drivers else {},
        "shortfalls": [
            {"item": s.item, "importance": s.importance, "gap": s.gap, "priority": s.priority}
            for s in report.shortfalls
        ],
        "min_n": report.min_n,
    }


class PositionOut(Schema):
    item: str
    importance: float
    performance: float
    network: float
    quadrant: str
    n: int


class KanoOut(Schema):
    item: str
    penalty: float
    reward: float
    asymmetry: float
    category: str


class DriversOut(ScopeOut):
    r2: float | None
    positions: list[PositionOut]
    shortfalls: list[ShortfallOut]
    kano: list[KanoOut]
    kano_n: int
    kano_problem: str


@router.get("/analytics/drivers", response=DriversOut)
def drivers(  # type: ignore[no-untyped-def]
    request: HttpRequest, programme_id: int, unit_id: int | None = None, months: int = 12
):
    """Importance–performance positions, the shortfall list and the Kano/BPM classes."""
    query = _query(request, programme_id, unit_id, months)
    report = csi_report(
        version_id=query.version_id,
        months=query.months,
        scope=query.scope,
        min_n=query.programme.min_n_unit,
    )
    kano = kano_report(version_id=query.version_id, months=query.months, scope=query.scope)
    return {
        **_scope(query),
        "r2": report.drivers.r2 if report.drivers else None,
        "positions": report.positions,
        "shortfalls": report.shortfalls,
        "kano": kano.items,
        "kano_n": kano.n,
        "kano_problem": kano.problem,
    }


class NpsFigureOut(Schema):
    unit_id: int
    code: str
    n: int
    nps: float | None
    rank: int | None
    rankable: bool


class NpsOut(ScopeOut):
    nps: EstimateOut | None
    promoters: int
    passives: int
    detractors: int
    histogram: list[int]
    previous: float | None
    change_p: float | None
    trend: list[dict]
    children: list[NpsFigureOut]


@router.get("/analytics/nps", response=NpsOut)
def nps(  # type: ignore[no-untyped-def]
    request: HttpRequest,
    programme_id: int,
    unit_id: int | None = None,
    months: int = 12,
    compare: str = "previous",
):
    """NPS with its split, its change since the comparison period, trend and ranking."""
    query = _query(request, programme_id, unit_id, months, compare, kind="nps")
    report = nps_report(
        version_id=query.version_id,
        months=query.months,
        compare_months=query.compare_months,
        scope=query.scope,
        min_n=query.programme.min_n_unit,
    )
    e = report.estimate
    return {
        **_scope(query),
        "nps": _estimate(e.n, e.nps, e.ci_low, e.ci_high) if e else None,
        "promoters": e.promoters if e else 0,
        "passives": e.passives if e else 0,
        "detractors": e.detractors if e else 0,
        "histogram": report.histogram,
        "previous": report.previous.nps if report.previous else None,
        "change_p": report.change.p if report.change else None,
        "trend": [
            {"month": month, "n": m.n if m else 0, "nps": m.nps if m else None}
            for month, m in report.trend
        ],
        "children": [
            {
                "unit_id": f.unit.pk,
                "code": f.unit.code,
                "n": f.n,
                "nps": f.estimate.nps if f.estimate else None,
                "rank": f.rank,
                "rankable": f.rankable,
            }
            for f in report.children
        ],
    }


class GapOut(Schema):
    code: str
    n: int
    gap: float
    t: float | None
    p: float
    network: float | None
    expectation: float | None = None
    perception: float | None = None


class GapsOut(ScopeOut):
    responses: int
    dimensions: list[GapOut]
    items: list[GapOut]


def _gap(code: str, gap: Any, network: float | None, **more: float) -> dict[str, Any]:
    return {
        "code": code,
        "n": gap.n,
        "gap": gap.gap,
        "t": _number(gap.t),
        "p": gap.p,
        "network": network,
        **more,
    }


@router.get("/analytics/gaps", response=GapsOut)
def gaps(  # type: ignore[no-untyped-def]
    request: HttpRequest, programme_id: int, unit_id: int | None = None, months: int = 12
):
    """SERVQUAL gaps (perception − expectation) per dimension and item, with paired tests."""
    query = _query(request, programme_id, unit_id, months, kind="gaps")
    report = gap_report(version_id=query.version_id, months=query.months, scope=query.scope)
    return {
        **_scope(query),
        "responses": report.responses,
        "dimensions": [_gap(d.code, d.gap, d.network) for d in report.dimensions],
        "items": [
            _gap(i.item, i.gap, i.network, expectation=i.expectation, perception=i.perception)
            for i in report.items
        ],
    }


class MoveOut(Schema):
    kind: str
    code: str
    label: str
    before: float
    now: float
    n_before: int
    n_now: int
    p: float
    q: float
    significant: bool


class ChangesOut(ScopeOut):
    moves: list[MoveOut]
    thin: list[str]


@router.get("/analytics/changes", response=ChangesOut)
def changes(  # type: ignore[no-untyped-def]
    request: HttpRequest,
    programme_id: int,
    unit_id: int | None = None,
    months: int = 12,
    compare: str = "previous",
):
    """Every figure tested against the comparison period, significant moves first."""
    query = _query(request, programme_id, unit_id, months, compare)
    report = change_report(
        version_id=query.version_id,
        months=query.months,
        compare_months=query.compare_months,
        scope=query.scope,
        min_n=query.programme.min_n_unit,
    )
    return {**_scope(query), "moves": report.moves, "thin": report.thin}


class StaffOut(Schema):
    staff_id: int
    name: str
    unit_id: int
    n: int
    index: float | None
    rank: int | None
    rankable: bool
    weakest_factor: str | None


@router.get("/analytics/staff", response=list[StaffOut])
def staff(  # type: ignore[no-untyped-def]
    request: HttpRequest, programme_id: int, unit_id: int | None = None, months: int = 12
):
    """Advisors ranked by their customers' CSI (the programme's staff minimum n)."""
    query = _query(request, programme_id, unit_id, months)
    figures = staff_report(
        version_id=query.version_id,
        months=query.months,
        scope=query.scope,
        min_n=query.programme.min_n_staff,
    )
    return [
        {
            "staff_id": f.staff.pk,
            "name": str(f.staff),
            "unit_id": f.unit.pk,
            "n": f.n,
            "index": f.index,
            "rank": f.rank,
            "rankable": f.rankable,
            "weakest_factor": f.weakest if f.behind and f.behind > 0 else None,
        }
        for f in figures
    ]


class FunnelOut(Schema):
    unit_id: int | None
    label: str
    counts: dict[str, int]
    response_rate: float | None


@router.get("/analytics/funnel", response=list[FunnelOut])
def funnel(  # type: ignore[no-untyped-def]
    request: HttpRequest, programme_id: int, unit_id: int | None = None, months: int = 12
):
    """The invitation funnel of the period: the scope in total first, then each child."""
    query = _query(request, programme_id, unit_id, months)
    total, rows = funnel_report(programme=query.programme, months=query.months, scope=query.scope)
    return [total, *rows]
