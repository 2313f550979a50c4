"""The index figures as JSON: CSI with its factors, trend, ranking and shortfalls;
drivers; NPS."""

from datetime import date, datetime

from django.http import HttpRequest
from ninja import Query, Schema

from manyi.analytics.reports import csi_report
from manyi.analytics.reports.drivers import kano_report
from manyi.analytics.reports.nps import nps_report
from manyi.api.analytics.scope import Period, ScopeOut, number, report_of, router, scope_of
from manyi.api.auth import needs
from manyi.api.schemas import Id
from manyi.org.permissions import may_see_analytics


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


def _estimate(n: int, value: float, low: float, high: float) -> dict:
    return {"n": n, "value": value, "ci_low": number(low), "ci_high": number(high)}


@router.get("/analytics/csi", response=ReportOut, auth=needs(may_see_analytics))
def csi(  # type: ignore[no-untyped-def]
    request: HttpRequest,
    programme_id: Id,
    period: Query[Period],
    unit_id: Id | None = None,
):
    """CSI, NPS, factors, trend, ranked children and shortfalls of a unit's subtree."""
    query = report_of(request, programme_id, unit_id, period)
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
    kano_read_at: datetime | None  # when the latest answers were read (kept five minutes)


@router.get("/analytics/drivers", response=DriversOut, auth=needs(may_see_analytics))
def drivers(  # type: ignore[no-untyped-def]
    request: HttpRequest,
    programme_id: Id,
    period: Query[Period],
    unit_id: Id | None = None,
):
    """Importance–performance positions, the shortfall list and the Kano/BPM classes."""
    query = report_of(request, programme_id, unit_id, period)
    report = csi_report(
        version_id=query.version_id,
        months=query.months,
        scope=query.scope,
        min_n=query.programme.min_n_unit,
    )
    kano = kano_report(version_id=query.version_id, months=query.months, scope=query.scope)
    return {
        **scope_of(query),
        "r2": report.drivers.r2 if report.drivers else None,
        "positions": report.positions,
        "shortfalls": report.shortfalls,
        "kano": kano.items,
        "kano_n": kano.n,
        "kano_problem": kano.problem,
        "kano_read_at": kano.at,
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


@router.get("/analytics/nps", response=NpsOut, auth=needs(may_see_analytics))
def nps(  # type: ignore[no-untyped-def]
    request: HttpRequest,
    programme_id: Id,
    period: Query[Period],
    unit_id: Id | None = None,
):
    """NPS with its split, its change since the comparison period, trend and ranking."""
    query = report_of(request, programme_id, unit_id, period, kind="nps")
    report = nps_report(
        version_id=query.version_id,
        months=query.months,
        compare_months=query.compare_months,
        scope=query.scope,
        min_n=query.programme.min_n_unit,
    )
    e = report.estimate
    return {
        **scope_of(query),
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
