"""What changed against the comparison period, as JSON."""

from django.http import HttpRequest
from ninja import Query, Schema

from manyi.analytics.reports.changes import change_report
from manyi.api.analytics.scope import Period, ScopeOut, report_of, router, scope_of
from manyi.api.auth import needs
from manyi.api.schemas import Id
from manyi.org.permissions import may_see_analytics


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
