"""What every analytics call shares: its router, the period it asks for, the checked
report query (a unit outside the token's part of the network is a 404) and the scope
echoed in each answer."""

import math
from datetime import date
from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema
from ninja.errors import HttpError

from manyi.analytics.query import ReportQuery, ReportQueryError, report_query

router = Router(tags=["analytics"])


class ScopeOut(Schema):
    programme_id: int
    unit_id: int | None
    since: date
    until: date
    compare_since: date
    compare_until: date


def number(value: float | None) -> float | None:
    return None if value is None or not math.isfinite(value) else value


class Period(Schema):
    """The last ``months`` calendar months, or the days from ``since`` to ``until``
    (both given); compared with the period before or the same days a year earlier."""

    months: int = 12
    since: date | None = None
    until: date | None = None
    compare: str = "previous"


def report_of(
    request: HttpRequest,
    programme_id: int,
    unit_id: int | None,
    period: Period,
    kind: str = "index",
) -> ReportQuery:
    """The checked report query of an API call; the HTTP error a bad one gets."""
    try:
        query = report_query(
            request.user,
            programme=programme_id,
            unit=unit_id,
            period=period.months,
            compare=period.compare,
            since=period.since,
            until=period.until,
            kind=kind,
        )
    except ReportQueryError as error:
        raise HttpError(error.status, str(error)) from error
    if query is None:
        raise HttpError(404, "No such programme.")
    return query


def scope_of(query: ReportQuery) -> dict[str, Any]:
    return {
        "programme_id": query.programme.pk,
        "unit_id": query.scope.pk if query.scope else None,
        "since": query.months.first,
        "until": query.months.last,
        "compare_since": query.compare_months.first,
        "compare_until": query.compare_months.last,
    }
