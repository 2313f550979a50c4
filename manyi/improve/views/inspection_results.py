"""What the checks found, on screen: staff inspections or mystery shops over a period —
the score month by month, the share of marks per unit and step, the standards failed
most (a Pareto) and, for mystery shops, the competitors beside our stores."""

from datetime import date

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from manyi.analytics.periods import month_shift
from manyi.improve.forms.inspections import ResultsFilter
from manyi.improve.selectors.inspection_results import (
    competitor_comparison,
    done_checks,
    failure_pareto,
    monthly_scores,
    step_grid,
)
from manyi.org.permissions import may_see_inspections, requires
from manyi.org.selectors import visible_units
from manyi.web.forms import query_params

YEAR = 12


def period(query: dict) -> tuple[date, date]:
    """The months asked for, the last twelve by default; ``until`` is the last day."""
    this_month = timezone.localdate().replace(day=1)
    until = (query["until"] or this_month).replace(day=1)
    since = (query["since"] or month_shift(until, -(YEAR - 1))).replace(day=1)
    if since > until:
        since, until = until, since
    return since, month_shift(until, 1).replace(day=1) - date.resolution


@requires(may_see_inspections)
def inspection_results(request: HttpRequest) -> HttpResponse:
    query = query_params(request, ResultsFilter)
    mystery = query["view"] == "mystery"
    since, until = period(query)
    unit = visible_units(request.user).filter(pk=query["unit"]).first() if query["unit"] else None
    if query["unit"] and unit is None:
        raise Http404
    checks = done_checks(request.user, mystery=mystery, since=since, until=until,
                         unit=unit.pk if unit else None)  # fmt: skip
    pareto, failures = failure_pareto(checks)
    steps, grid = step_grid(checks)
    months = monthly_scores(checks)
    return render(request, "improve/inspection_results.html", {
        "mystery": mystery, "since": since, "until": until, "unit": unit,
        "checks": checks.count(), "pareto": pareto, "failures": failures,
        "steps": steps, "grid": grid, "months": months,
        "rivals": competitor_comparison(request.user, since=since, until=until,
                                        unit=unit.pk if unit else None) if mystery else [],
        "pareto_chart": {
            "causes": [str(number) for number in range(1, len(pareto) + 1)],
            "counts": [row.failed for row in pareto],
            "cumulative": [round(100 * row.cumulative, 1) for row in pareto],
            "labels": {"count": pgettext("inspection", "Failed"),
                       "cumulative": _("Share of all failures")},
        },
        "trend_chart": {
            "months": [f"{month:%Y-%m}" for month, _m, _n in months],
            "share": [mean for _m, mean, _n in months],
            "labels": {"share": _("Mean score")},
        },
    })  # fmt: skip
