"""SERVQUAL gaps as JSON, per dimension and item."""

from typing import Any

from django.http import HttpRequest
from ninja import Query, Schema

from manyi.analytics.reports.gaps import gap_report
from manyi.api.analytics.scope import Period, ScopeOut, number, report_of, router, scope_of
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
