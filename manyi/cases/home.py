"""What the cases put on the home page and in the inbox: the deadlines of one's part of
the network, one's own cases, escalations that reached one's unit, and compensation
waiting for one's approval."""

from datetime import datetime, timedelta
from typing import Any

from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from manyi.cases.compensation import awaiting_approval
from manyi.cases.escalation import escalation_chain, escalation_target
from manyi.cases.models import Case, CaseStatus, Compensation
from manyi.cases.selectors import case_list
from manyi.org.permissions import may_handle_cases, may_lead_units, may_see_case_reports
from manyi.web.registry import InboxItem, InboxSource, home_card, inbox_source

ACTIVE = (CaseStatus.OPEN, CaseStatus.WAITING)


def _end_of_today(now: datetime) -> datetime:
    return timezone.localtime(now).replace(hour=0, minute=0, second=0, microsecond=0) + timedelta(
        days=1
    )


def _late(now: datetime) -> Q:
    """Past a deadline: the first response not given in time, or the resolution."""
    return Q(status=CaseStatus.OPEN) & (
        Q(resolution_due__lt=now) | Q(first_responded_at=None, first_response_due__lt=now)
    )


def _case_item(case: Case) -> InboxItem:
    now = timezone.now()
    due = case.resolution_due
    if case.first_responded_at is None and case.first_response_due:
        due = case.first_response_due
    return InboxItem(
        title=f"{case.number} · {case.subject}",
        url=reverse("cases:detail", args=[case.pk]),
        detail=f"{case.get_kind_display()} · {case.unit}",
        due=due,
        overdue=bool(due and due < now and case.status == CaseStatus.OPEN),
    )


@home_card(
    "cases.deadlines",
    order=30,
    template="cases/home_deadlines.html",
    shown_to=may_see_case_reports,
)
def deadlines(user: Any) -> dict[str, Any] | None:
    """The part of the network's cases by deadline: late, due today, open; the most
    urgent five."""
    now = timezone.now()
    active = case_list(user, status="active")
    late = active.filter(_late(now))
    due_today = active.filter(status=CaseStatus.OPEN, resolution_due__gte=now).filter(
        resolution_due__lt=_end_of_today(now)
    )
    return {
        "late": late.count(),
        "due_today": due_today.count(),
        "active": active.count(),
        "urgent": [_case_item(case) for case in active.filter(status=CaseStatus.OPEN)[:5]],
        "queue_url": reverse("cases:queue"),
    }


def my_cases(user: Any) -> QuerySet[Case]:
    return case_list(user, status="active").filter(owner=user)


def escalated_to_my_unit(user: Any) -> list[Case]:
    """Active cases whose last escalation went to the user's own unit."""
    unit_id = getattr(user, "unit_id", None)
    if unit_id is None:
        return []
    escalated = case_list(user, status="active").filter(watch__escalation_level__gt=0)
    return [
        case
        for case in escalated
        if escalation_target(escalation_chain(case.unit), case.escalation_level - 1) == unit_id
    ]


def approvals(user: Any) -> QuerySet[Compensation]:
    return awaiting_approval(user).exclude(proposed_by=user).order_by("created_at", "pk")


def _approval_item(compensation: Compensation) -> InboxItem:
    return InboxItem(
        title=f"{compensation.case.number} · {compensation.get_kind_display()} "
        f"¥{compensation.amount:,.2f}",
        url=reverse("cases:detail", args=[compensation.case_id]),
        detail=_("proposed by %(name)s, %(when)s")
        % {
            "name": compensation.proposed_by,
            "when": date_format(timezone.localtime(compensation.created_at), "SHORT_DATE_FORMAT"),
        },
    )


inbox_source(
    InboxSource(
        key="cases.mine",
        order=10,
        label=gettext_lazy("Cases assigned to me"),
        shown_to=may_handle_cases,
        waiting=my_cases,
        item=_case_item,
        more_url="/cases/?mine=on&status=active",
    )
)
inbox_source(
    InboxSource(
        key="cases.escalated",
        order=20,
        label=gettext_lazy("Escalated to my unit"),
        shown_to=may_lead_units,
        waiting=escalated_to_my_unit,
        item=_case_item,
        more_url="/cases/?status=active",
    )
)
inbox_source(
    InboxSource(
        key="cases.approvals",
        order=30,
        label=gettext_lazy("Compensation to approve"),
        shown_to=may_handle_cases,
        waiting=approvals,
        item=_approval_item,
        more_url="/cases/compensation/",
    )
)
