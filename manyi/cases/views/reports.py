"""Complaint reports, the store and region board, the complaint record."""

import re
from datetime import date, datetime, time

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from manyi.cases import board as boards
from manyi.cases import compensation, record, reports
from manyi.org.forms import UnitFilter
from manyi.org.permissions import may_see_case_reports, requires
from manyi.web.exports import workbook_response
from manyi.web.forms import FIRST_YEAR, LAST_YEAR, query_params


def month_period(request: HttpRequest) -> tuple[str, datetime, datetime]:
    """The month asked for (``?month=YYYY-MM``, default this one) as [since, until)."""
    month = request.GET.get("month", "")
    first = timezone.localdate().replace(day=1)
    if re.fullmatch(r"[0-9]{4}-(0[1-9]|1[0-2])", month) and (
        FIRST_YEAR <= int(month[:4]) <= LAST_YEAR
    ):
        first = date.fromisoformat(f"{month}-01")
    after = date(first.year + first.month // 12, first.month % 12 + 1, 1)
    zone = timezone.get_current_timezone()
    return (
        f"{first:%Y-%m}",
        datetime.combine(first, time(), tzinfo=zone),
        datetime.combine(after, time(), tzinfo=zone),
    )


@requires(may_see_case_reports)
def case_reports(request: HttpRequest) -> HttpResponse:
    """Complaint reports of a month: causes, deadlines kept, times taken, money given."""
    month, since, until = month_period(request)
    period = {"since": since, "until": until}
    given = compensation.register(request.user, **period)
    pareto = reports.cause_pareto(request.user, **period)
    return render(
        request,
        "cases/reports.html",
        {
            "month": month,
            "pareto": pareto,
            "pareto_chart": {
                "causes": [row.cause or _("not yet analysed") for row in pareto],
                "counts": [row.count for row in pareto],
                "cumulative": [round(100 * row.cumulative, 1) for row in pareto],
                "labels": {"count": _("Complaints"), "cumulative": _("Cumulative share")},
            },
            "units": reports.compliance_by_unit(request.user, **period),
            "staff": reports.overdue_by_staff(request.user, **period),
            "times": reports.handling_times(request.user, **period),
            "exposure": reports.exposure(request.user, **period),
            "given_count": sum(row["count"] for row in given),
            "given_total": sum(row["total"] for row in given),
        },
    )


@requires(may_see_case_reports)
def board(request: HttpRequest) -> HttpResponse:
    """Open, due today and overdue under each unit below the one looked at."""
    unit = query_params(request, UnitFilter, user=request.user)["unit"]
    return render(request, "cases/board.html", {"board": boards.board(request.user, unit=unit)})


@requires(may_see_case_reports)
def complaint_record(request: HttpRequest) -> HttpResponse:
    """客户投诉记录表: the month's complaints, one row each, as XLSX."""
    month, since, until = month_period(request)
    rows = record.rows(request.user, since=since, until=until)
    return workbook_response(
        f"complaints-{month}", [(_("Complaint record"), record.header(), rows)]
    )
