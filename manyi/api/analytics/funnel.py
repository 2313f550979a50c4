"""The invitation funnel per unit, as JSON."""

from django.http import HttpRequest
from ninja import Query, Schema

from manyi.analytics.reports.funnel import funnel_report
from manyi.api.analytics.scope import Period, report_of, router
from manyi.api.auth import needs
from manyi.api.schemas import Id
from manyi.org.permissions import may_see_analytics


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
