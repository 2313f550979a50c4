"""The CSI report as JSON, scoped like the dashboard."""

from datetime import date

from django.http import HttpRequest
from ninja import Router, Schema
from ninja.errors import HttpError

from manyi.analytics.reports import csi_report
from manyi.analytics.views import months_back
from manyi.org.selectors import scope_unit, sees_network, visible_units
from manyi.surveys.models import Programme

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


def _estimate(n: int, value: float, low: float, high: float) -> dict:
    nan = low != low
    return {
        "n": n,
        "value": value,
        "ci_low": None if nan else low,
        "ci_high": None if nan else high,
    }


@router.get("/analytics/csi", response=ReportOut)
def csi(  # type: ignore[no-untyped-def]
    request: HttpRequest, programme_id: int, unit_id: int | None = None, months: int = 12
):
    """CSI, NPS, factors, trend, ranked children and shortfalls of a unit's subtree."""
    programme = Programme.objects.filter(pk=programme_id).first()
    if programme is None:
        raise HttpError(404, "No such programme.")
    if not 1 <= months <= 36:
        raise HttpError(400, "months runs from 1 to 36.")
    if unit_id is not None:
        scope = visible_units(request.user).filter(pk=unit_id).first()
        if scope is None:
            raise HttpError(404, "No such unit in your part of the network.")
    elif sees_network(request.user):
        scope = None
    else:
        scope = scope_unit(request.user)
        if scope is None:
            raise HttpError(403, "This token's staff member has no unit.")
    report = csi_report(
        version_id=programme.version_id,
        months=months_back(months),
        scope=scope,
        min_n=programme.min_n_unit,
    )
    index, nps = report.index, report.nps
    return {
        "programme_id": programme.pk,
        "unit_id": scope.pk if scope else None,
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
