"""Advisors ranked by their customers' CSI, as JSON."""

from django.http import HttpRequest
from ninja import Query, Schema

from manyi.analytics.reports.staff import staff_report
from manyi.api.analytics.scope import Period, report_of, router
from manyi.api.auth import needs
from manyi.api.schemas import Id
from manyi.org.permissions import may_see_analytics


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
