"""Report figures as JSON: SERVQUAL gaps, what changed, advisors and the funnel."""

from typing import Any

from django.http import HttpRequest
from ninja import Query, Schema

from manyi.analytics.reports.changes import change_report
from manyi.analytics.reports.funnel import funnel_report
from manyi.analytics.reports.gaps import gap_report
from manyi.analytics.reports.staff import staff_report
from manyi.api.analytics import Period, ScopeOut, number, report_of, router, scope_of
from manyi.api.auth import needs
from manyi.api.schemas import Id
from manyi.org.permissions import may_see_analytics


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
        "t": number(gap.t),
        "p": gap.p,
        "network": network,
        **more,
    }


@router.get("/analytics/gaps", response=GapsOut, auth=needs(may_see_analytics))
def gaps(  # type: ignore[no-untyped-def]
    request: HttpRequest,
    programme_id: Id,
    period: Query[Period],
    unit_id: Id | None = None,
):
    """SERVQUAL gaps (perception − expectation) per dimension and item, with paired tests."""
    query = report_of(request, programme_id, unit_id, period, kind="gaps")
    report = gap_report(version_id=query.version_id, months=query.months, scope=query.scope)
    return {
        **scope_of(query),
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


@router.get("/analytics/changes", response=ChangesOut, auth=needs(may_see_analytics))
def changes(  # type: ignore[no-untyped-def]
    request: HttpRequest,
    programme_id: Id,
    period: Query[Period],
    unit_id: Id | None = None,
):
    """Every figure tested against the comparison period, significant moves first."""
    query = report_of(request, programme_id, unit_id, period)
    report = change_report(
        version_id=query.version_id,
        months=query.months,
        compare_months=query.compare_months,
        scope=query.scope,
        min_n=query.programme.min_n_unit,
    )
    return {**scope_of(query), "moves": report.moves, "thin": report.thin}


class AdvisorFigureOut(Schema):
    staff_id: int
    name: str
    unit_id: int
    n: int
    index: float | None
    rank: int | None
    rankable: bool
    weakest_factor: str | None


@router.get("/analytics/staff", response=list[AdvisorFigureOut], auth=needs(may_see_analytics))
def staff(  # type: ignore[no-untyped-def]
    request: HttpRequest,
    programme_id: Id,
    period: Query[Period],
    unit_id: Id | None = None,
):
    """Advisors ranked by their customers' CSI (the programme's staff minimum n)."""
    query = report_of(request, programme_id, unit_id, period)
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


class UnitFunnelOut(Schema):
    unit_id: int | None
    label: str
    counts: dict[str, int]
    response_rate: float | None


@router.get("/analytics/funnel", response=list[UnitFunnelOut], auth=needs(may_see_analytics))
def funnel(  # type: ignore[no-untyped-def]
    request: HttpRequest,
    programme_id: Id,
    period: Query[Period],
    unit_id: Id | None = None,
):
    """The invitation funnel of the period: the scope in total first, then each child."""
    query = report_of(request, programme_id, unit_id, period)
    total, rows = funnel_report(programme=query.programme, months=query.months, scope=query.scope)
    return [total, *rows]
