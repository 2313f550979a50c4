"""Churn screens: the risk list (whom to call first, and why), the win-back tasks and
their call screen, the retention report and the churn policy."""

from datetime import timedelta

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from manyi.care import churn_selectors as selectors
from manyi.care.churn import churn_policy_set
from manyi.care.churn_forms import (
    ChurnPolicyForm,
    RetentionFilter,
    RiskFilter,
    WinBackCallForm,
    WinBackFilter,
)
from manyi.care.models import Attitude, ChurnPolicy, ChurnRisk, WinBack
from manyi.care.winback import winback_call_record, winback_open
from manyi.customers.selectors import customer_timeline
from manyi.customers.services import phones_to_dial
from manyi.errors import DomainError
from manyi.org.permissions import (
    may_see_churn_risk,
    may_set_churn_policy,
    may_work_winbacks,
    requires,
)
from manyi.web.forms import paginate, query_params

REPORT_MONTHS = 12


@requires(may_see_churn_risk)
def risk_list(request: HttpRequest) -> HttpResponse:
    """The risk list: value × risk at the top, then every customer with their reasons."""
    given = query_params(request, RiskFilter, user=request.user)
    rows = selectors.risk_list(
        request.user,
        unit=given["unit"],
        tier=given["tier"],
        reason=given["reason"],
        band=given["band"],
    )
    return render(
        request,
        "care/risk_list.html",
        {
            "page": paginate(request, rows),
            "filter": RiskFilter(request.GET or None, user=request.user),
            "matrix": selectors.risk_matrix(request.user, unit=given["unit"]),
            "run": selectors.last_run(),
            "failed": selectors.failed_run(),
            "may_work": may_work_winbacks(request.user),
        },
    )


@require_POST
@requires(may_work_winbacks)
def winback_start(request: HttpRequest, pk: int) -> HttpResponse:
    """Open a win-back task for one row of the risk list and go to its call screen."""
    try:
        risk = selectors.risk_list(request.user).get(pk=pk)
    except ChurnRisk.DoesNotExist as error:
        raise Http404 from error
    try:
        winback = winback_open(actor=request.user, risk=risk)
    except DomainError as error:
        messages.error(request, str(error))
        return redirect("care:risk")
    return redirect("care:winback", pk=winback.pk)


@requires(may_see_churn_risk)
def winback_list(request: HttpRequest) -> HttpResponse:
    given = query_params(request, WinBackFilter, user=request.user)
    status = given["status"] or "open"
    tasks = selectors.winback_list(
        request.user,
        status="" if status == "all" else status,
        mine=given["mine"],
        unit=given["unit"],
    )
    return render(
        request,
        "care/winback_list.html",
        {
            "page": paginate(request, tasks),
            "filter": WinBackFilter(request.GET or None, user=request.user),
        },
    )


@requires(may_see_churn_risk)
def winback_screen(request: HttpRequest, pk: int) -> HttpResponse:
    """One win-back task: why the customer is at risk, their history, the calls, and
    how this call ended."""
    try:
        winback = selectors.winback_list(request.user).get(pk=pk)
    except WinBack.DoesNotExist as error:
        raise Http404 from error
    form = WinBackCallForm(request.POST or None)
    if request.method == "POST":
        if not may_work_winbacks(request.user):
            form.add_error(None, _("You may not work win-back calls."))
        elif form.is_valid():
            try:
                winback_call_record(actor=request.user, winback=winback, **form.cleaned_data)
            except DomainError as error:
                form.add_error(None, str(error))
            else:
                messages.success(request, _("Call recorded."))
                return redirect("care:winback", pk=winback.pk)
    history, elsewhere = customer_timeline(request.user, winback.customer, limit=10)
    calling = winback.is_open and may_work_winbacks(request.user)
    return render(
        request,
        "care/winback_screen.html",
        {
            "winback": winback,
            "form": form if calling else None,
            "phones": phones_to_dial(actor=request.user, customer=winback.customer)
            if calling
            else [],
            "history": history,
            "elsewhere": elsewhere,
            "calls": winback.calls.select_related("caller"),
        },
    )


@requires(may_see_churn_risk)
def retention_report(request: HttpRequest) -> HttpResponse:
    """Who comes back: returns within the policy's months by unit and month, monthly
    cohorts, the loyalty × value matrix, the reasons for loss, and how well the visit
    model predicted the last half year."""
    given = query_params(request, RetentionFilter, user=request.user)
    unit, tier = given["unit"], given["tier"]
    today = timezone.localdate()
    first = (today.replace(day=1) - timedelta(days=31 * REPORT_MONTHS)).replace(day=1)
    policy = ChurnPolicy.current()
    decided_since, decided_until = selectors.decided_window(today, policy)
    run = selectors.last_run()
    by_month = selectors.returns_by_month(request.user, unit=unit)
    pareto = selectors.loss_pareto(request.user, since=first, unit=unit)
    holdout = run.holdout if run else []
    return render(
        request,
        "care/retention.html",
        {
            "by_month_chart": {
                "months": [row["month"].strftime("%Y-%m") for row in by_month],
                "share": [
                    None if row["share"] is None else round(100 * row["share"], 1)
                    for row in by_month
                ],
                "labels": {"share": _("Came back (%)")},
            },
            "pareto_chart": {
                "causes": [bar.label for bar in pareto],
                "counts": [bar.count for bar in pareto],
                "cumulative": [round(100 * bar.cumulative, 1) for bar in pareto],
                "labels": {"count": _("Customers lost"), "cumulative": _("Cumulative share")},
            },
            "holdout_chart": {
                "groups": [
                    f"{g['visits']}+" if i == len(holdout) - 1 else str(g["visits"])
                    for i, g in enumerate(holdout)
                ],
                "first": [round(g["predicted"], 2) for g in holdout],
                "second": [round(g["actual"], 2) for g in holdout],
                "labels": {"first": _("Expected visits"), "second": _("Visits made")},
            },
            "month_numbers": range(1, 13),
            "may_set_policy": may_set_churn_policy(request.user),
            "filter": RetentionFilter(request.GET or None, user=request.user),
            "policy": policy,
            "decided_since": decided_since,
            "decided_until": decided_until,
            "by_unit": selectors.returns_by_unit(
                request.user, since=decided_since, until=decided_until, unit=unit, tier=tier
            ),
            "cohorts": selectors.cohort_table(request.user, since=first, unit=unit, tier=tier),
            "loyalty": selectors.loyalty_matrix(request.user, unit=unit),
            "attitudes": Attitude.choices,
            "pareto": pareto,
            "run": run,
            "failed": selectors.failed_run(),
            "since": first,
        },
    )


@requires(may_set_churn_policy)
def churn_policy(request: HttpRequest) -> HttpResponse:
    form = ChurnPolicyForm(request.POST or None, instance=ChurnPolicy.current())
    if request.method == "POST" and form.is_valid():
        try:
            churn_policy_set(actor=request.user, **form.cleaned_data)
        except DomainError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Saved. Tonight's refresh uses it."))
            return redirect("care:retention")
    return render(request, "care/churn_policy.html", {"form": form})
