"""First-time fix over the API: per store (or per advisor of one store) and month."""

from datetime import date
from typing import Annotated

from django.http import HttpRequest
from django.utils import timezone
from ninja import Router, Schema
from ninja.errors import HttpError
from pydantic import Field

from manyi.api.auth import needs
from manyi.api.schemas import Id
from manyi.improve.models import FixPolicy
from manyi.improve.selectors.fixes import decided_months, first_time_fix
from manyi.org.models import UnitLevel
from manyi.org.permissions import may_see_analytics
from manyi.org.selectors import visible_units

router = Router(tags=["improve"])
Months = Annotated[int, Field(ge=1, le=24)]


class FixMonthOut(Schema):
    month: date
    fixed: int
    decided: int


class FixRowOut(Schema):
    unit_id: int | None
    staff_id: int | None
    rate: float | None
    fixed: int
    decided: int
    months: list[FixMonthOut]


class FixOut(Schema):
    window_days: int
    rows: list[FixRowOut]


@router.get("/improve/first-time-fix", response=FixOut, auth=needs(may_see_analytics))
def first_time_fix_get(  # type: ignore[no-untyped-def]
    request: HttpRequest, unit_id: Id | None = None, months: Months = 6
):
    """Per store under ``unit_id`` (or the token's part), or per advisor when it is a store."""
    unit = None
    if unit_id is not None:
        unit = visible_units(request.user).filter(pk=unit_id).first()
        if unit is None:
            raise HttpError(404, "No such unit in your part of the network.")
    by = "unit"
    if unit is not None and unit.level in (UnitLevel.STORE, UnitLevel.DEPARTMENT):
        by = "staff"
    window = FixPolicy.current().window_days
    span = decided_months(months, window=window, today=timezone.localdate())
    rows = first_time_fix(request.user, months=span, unit=unit, by=by)
    return {
        "window_days": window,
        "rows": [
            {
                "unit_id": row.key.pk if by == "unit" else None,
                "staff_id": row.key.pk if by == "staff" else None,
                "rate": row.rate, "fixed": row.total[0], "decided": row.total[1],
                "months": [{"month": m, "fixed": f, "decided": d}
                           for m, (f, d) in sorted(row.months.items())],
            }
            for row in rows
        ],
    }  # fmt: skip
