"""Reads of cases, always within the units the user may see."""

from datetime import datetime, timedelta
from typing import Any

from django.db.models import BooleanField, ExpressionWrapper, F, Q, QuerySet, Sum, Value, When
from django.db.models import Case as DbCase
from django.utils import timezone

from manyi.cases.models import Case, CaseStatus
from manyi.customers.models import vip_service
from manyi.org.models import Unit
from manyi.org.selectors import visible_unit_filter


def overdue(now: datetime) -> Q:
    """Open (not waiting) with a deadline passed: an unanswered first response or the
    resolution. A waiting case's clock is stopped. The one rule for "overdue": the
    queue, the board, the home page and the inbox all ask it."""
    return Q(status=CaseStatus.OPEN) & (
        Q(first_responded_at=None, first_response_due__lt=now) | Q(resolution_due__lt=now)
    )


def due_today(now: datetime) -> Q:
    """Not overdue, with a deadline before midnight (local time)."""
    local = timezone.localtime(now)
    end = (local + timedelta(days=1)).replace(hour=0, minute=0, second=0, microsecond=0)
    return ~overdue(now) & (
        Q(first_responded_at=None, first_response_due__gte=now, first_response_due__lt=end)
        | Q(resolution_due__gte=now, resolution_due__lt=end)
    )


def case_list(
    user: Any,
    *,
    status: str = "",
    kind: str = "",
    unit: int | None = None,
    owner: int | None = None,
    late: bool = False,
    vip: bool = False,
) -> QuerySet[Case]:
    """Cases in the user's part of the network: the overdue first, then those due
    today, then the rest; within each, VIP customers' first (知心服务), then by the
    nearest deadline."""
    cases = Case.objects.filter(visible_unit_filter(user)).select_related(
        "unit", "owner", "customer", "cause", "watch"
    )
    if status == "active":
        cases = cases.filter(status__in=[CaseStatus.OPEN, CaseStatus.WAITING])
    elif status:
        cases = cases.filter(status=status)
    if kind:
        cases = cases.filter(kind=kind)
    if unit:
        path = Unit.objects.filter(pk=unit).values_list("path", flat=True).first()
        cases = cases.filter(unit__path__startswith=path) if path else cases.none()
    if owner:
        cases = cases.filter(owner_id=owner)
    if late:
        cases = cases.filter(overdue(timezone.now()))
    if vip:
        cases = cases.filter(vip_service("customer__"))
    # The deadline the queue shows: the first response until it is given, then the
    # resolution; cases without one (resolved, closed) last on every database.
    next_due = DbCase(
        When(first_responded_at__isnull=True, first_response_due__isnull=False,
             then=F("first_response_due")),
        default=F("resolution_due"),
    )  # fmt: skip
    now = timezone.now()
    is_vip = ExpressionWrapper(vip_service("customer__"), output_field=BooleanField())
    band = DbCase(
        When(overdue(now), then=Value(0)), When(due_today(now), then=Value(1)), default=Value(2)
    )
    return cases.annotate(next_due=next_due, vip=is_vip, band=band).order_by(
        "band", F("vip").desc(nulls_last=True), F("next_due").asc(nulls_last=True), "opened_at"
    )


def case_get(user: Any, pk: int) -> Case:
    """One case the user may see; ``Case.DoesNotExist`` otherwise."""
    return case_list(user).get(pk=pk)


def cases_of_responses(user: Any, response_ids: list[int]) -> dict[int, Case]:
    """The case each of these responses opened, among the cases the user may see."""
    found = case_list(user).filter(response_id__in=response_ids).order_by("opened_at")
    return {case.response_id: case for case in found}


def customer_cases(customer: Any, *, limit: int, units: Any) -> list[dict[str, Any]]:
    """The customer card's cases (the complaint record), with the compensation given
    under the satisfaction guarantee (a timeline source)."""
    cases = customer.cases.select_related("unit").annotate(
        given=Sum("compensations__amount", filter=Q(compensations__status="given"))
    )
    if units is not None:
        cases = cases.filter(unit__in=units)
    return [
        {
            "at": case.opened_at,
            "type": "case",
            "template": "cases/_timeline_case.html",
            "case": case,
        }
        for case in cases.order_by("-opened_at")[:limit]
    ]
