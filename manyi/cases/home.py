"""What the cases put on the home page and in the inbox: the deadlines of one's part of
the network, one's own cases, escalations that reached one's unit, and compensation
waiting for one's approval."""

from typing import Any

from django.db.models import Count, ExpressionWrapper, F, IntegerField, QuerySet, Value
from django.db.models.functions import Length, Replace
from django.urls import reverse, reverse_lazy
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from manyi.cases.compensation import awaiting_approval
from manyi.cases.models import Case, CaseStatus, Compensation
from manyi.cases.selectors import case_list, due_today, overdue
from manyi.customers.selectors import has_own_customers
from manyi.org.permissions import (
    approval_limit,
    may_handle_cases,
    may_lead_units,
    may_see_case_reports,
)
from manyi.web.registry import InboxItem, InboxSource, home_card, inbox_source


def _case_item(case: Case) -> InboxItem:
    now = timezone.now()
    due = case.resolution_due
    if case.first_responded_at is None and case.first_response_due:
        due = case.first_response_due
    return InboxItem(
        title=("★ " if getattr(case, "vip", False) else "") + f"{case.number} · {case.subject}",
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
    counts = active.aggregate(  # the three in one pass over the part's active cases
        late=Count("pk", filter=overdue(now)),
        due_today=Count("pk", filter=due_today(now)),
        active=Count("pk"),
    )
    return {
        **counts,
        "urgent": [_case_item(case) for case in active.filter(status=CaseStatus.OPEN)[:5]],
        "queue_url": reverse("cases:queue"),
    }


def my_cases(user: Any) -> QuerySet[Case]:
    return case_list(user, status="active").filter(owner=user)


def _depth(path: Any) -> Any:
    """How deep a unit sits in the tree, from its path ``/1/4/17/`` (HQ is 1)."""
    return Length(path) - Length(Replace(path, Value("/"), Value(""))) - 1


def escalated_to_my_unit(user: Any) -> QuerySet[Case]:
    """Active cases whose last escalation reached the user's own unit: a case at
    escalation level L went L − 1 levels above its unit (HQ at most), as
    ``escalation.escalation_target`` sends it. Counted in the database."""
    unit = getattr(user, "unit", None)
    if unit is None:
        return Case.objects.none()
    depth = unit.path.count("/") - 1
    reached = ExpressionWrapper(
        _depth(F("unit__path")) - F("watch__escalation_level") + 1, output_field=IntegerField()
    )
    cases = (
        case_list(user, status="active")
        .filter(unit__path__startswith=unit.path, watch__escalation_level__gt=0)
        .annotate(reached=reached)
    )
    return cases.filter(reached__lte=1) if depth <= 1 else cases.filter(reached=depth)


def approvals(user: Any) -> QuerySet[Compensation]:
    return awaiting_approval(user).order_by("created_at", "pk")


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


def may_approve_something(user: Any) -> bool:
    """Whether any proposal could wait for this user: an approval limit above zero."""
    limit = approval_limit(user)
    return may_handle_cases(user) and (limit is None or limit > 0)


inbox_source(
    InboxSource(
        key="cases.mine",
        order=10,
        label=gettext_lazy("Cases assigned to me"),
        shown_to=may_handle_cases,
        waiting=my_cases,
        item=_case_item,
        more_url=format_lazy("{}?mine=on&status=active", reverse_lazy("cases:queue")),
    )
)


def my_customers_cases(user: Any) -> QuerySet[Case]:
    """Open cases of the customers whose own advisor the user is (专属顾问)."""
    return case_list(user, status="active").filter(customer__advisor=user)


inbox_source(
    InboxSource(
        key="cases.my_customers",
        order=15,
        label=gettext_lazy("Cases of my own customers"),
        shown_to=lambda user: may_handle_cases(user) and has_own_customers(user),
        waiting=my_customers_cases,
        item=_case_item,
        more_url=format_lazy("{}?status=active", reverse_lazy("cases:queue")),
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
        more_url=reverse_lazy("cases:board"),
    )
)
inbox_source(
    InboxSource(
        key="cases.approvals",
        order=30,
        label=gettext_lazy("Compensation to approve"),
        shown_to=may_approve_something,
        waiting=approvals,
        item=_approval_item,
        more_url=reverse_lazy("cases:compensation_register"),
    )
)
