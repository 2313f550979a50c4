"""The satisfaction guarantee on screen: offers, approvals, the register."""

from decimal import Decimal

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from manyi.cases import compensation
from manyi.cases.models import (
    Compensation,
    CompensationKind,
)
from manyi.cases.views.cases import visible_case
from manyi.cases.views.reports import month_period
from manyi.errors import DomainError
from manyi.org.permissions import may_handle_cases, may_see_case_reports, requires


@requires(may_handle_cases)
@require_POST
def compensation_act(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    """Approve, reject or give a compensation of a case the user may see."""
    item = Compensation.objects.filter(pk=pk).select_related("case").first()
    if item is None:
        raise Http404
    visible_case(request, item.case_id)  # 404 outside the user's units
    try:
        if action in ("approve", "reject"):
            compensation.compensation_decide(
                actor=request.user, compensation=item, approve=action == "approve"
            )
        elif action == "give":
            compensation.compensation_give(actor=request.user, compensation=item)
        else:
            raise Http404
    except DomainError as error:
        messages.error(request, str(error))
    return redirect("cases:detail", pk=item.case_id)


@requires(may_see_case_reports)
def compensation_register(request: HttpRequest) -> HttpResponse:
    """What was given under the satisfaction guarantee, per unit and kind, by month."""
    month, since, until = month_period(request)
    rows = compensation.register(
        request.user,
        since=since,
        until=until,
    )
    kinds = dict(CompensationKind.choices)
    return render(
        request,
        "cases/compensation_register.html",
        {
            "rows": [{**row, "kind_label": kinds.get(row["kind"], row["kind"])} for row in rows],
            "total": sum((row["total"] for row in rows), Decimal(0)),
            "month": month,
            "awaiting": compensation.awaiting_approval(request.user),
        },
    )
