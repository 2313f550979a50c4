"""What care puts on the home page and in the inbox: the callbacks due now, the next
one to make, how many visits of the last 30 days were reached in time, and — for an
advisor — the visits of their own customers (专属顾问: told when their customers come)."""

from datetime import timedelta
from typing import Any

from django.db.models import Count, QuerySet
from django.urls import reverse, reverse_lazy
from django.utils import timezone
from django.utils.translation import gettext_lazy

from manyi.care.churn_selectors import risk_list, winbacks_waiting
from manyi.care.models import Callback, CareRuleKind, TouchStatus, WinBack
from manyi.care.selectors import callbacks_due, figures_by_store, touch_list
from manyi.customers.models import ServiceEvent
from manyi.customers.selectors import has_own_customers
from manyi.org.permissions import (
    may_follow_care,
    may_make_callbacks,
    may_see_churn_risk,
    may_work_winbacks,
)
from manyi.org.selectors import visible_unit_filter
from manyi.web.registry import KEEP_FIGURES, InboxItem, InboxSource, home_card, inbox_source

VISIT_DAYS = 3  # an advisor sees their customers' visits of the last three days
SHOWN = 8


def _callback_item(callback: Callback) -> InboxItem:
    now = timezone.now()
    return InboxItem(
        title=("★ " if callback.vip else "") + str(callback.customer),
        url=reverse("care:callback", args=[callback.pk]),
        detail=f"{callback.event.get_kind_display()} · {callback.unit}",
        due=callback.deadline_at,
        overdue=callback.deadline_at < now,
    )


@home_card(
    "care.callbacks",
    order=6,
    template="care/home_callbacks.html",
    shown_to=may_make_callbacks,
    covers=("care.callbacks",),
    keep=0,  # hands out the next callback: asked afresh each time
)
def callbacks(user: Any) -> dict[str, Any] | None:
    """The caller's next callback, how many are due, and how many are past their days."""
    now = timezone.now()
    due = callbacks_due(user, now)
    first = due.first()
    if first is None:
        return None
    return {
        "next": _callback_item(first),
        "due": due.count(),
        "late": due.filter(deadline_at__lt=now).count(),
        "list_url": reverse("care:callbacks"),
    }


@home_card(
    "care.reached",
    order=45,
    template="care/home_reached.html",
    shown_to=may_follow_care,
)
def reached(user: Any) -> dict[str, Any] | None:
    """Visits of the last 30 days reached within their days, in the user's part."""
    today = timezone.localdate()
    figures = figures_by_store(user, since=today - timedelta(days=30), until=today)
    decided = sum(f.decided for f in figures)
    if not decided:
        return None
    return {
        "share": sum(f.in_time for f in figures) / decided,
        "callbacks": decided,
        "attempted": sum(f.attempted for f in figures),
        "refused": sum(f.refused for f in figures),
        # Behind whom? Only where there are stores to set side by side.
        "weakest": [f for f in figures if f.share is not None][-3:][::-1]
        if len(figures) > 1
        else [],
        "board_url": reverse("care:board"),
    }


@home_card(
    "care.week",
    order=46,
    template="care/home_week.html",
    shown_to=may_follow_care,
    keep=KEEP_FIGURES,
)
def care_week(user: Any) -> dict[str, Any] | None:
    """Reminders and greetings planned for the next seven days, by kind; those the
    contact rule held back in the last seven."""
    today = timezone.localdate()
    touches = touch_list(user)
    planned = (
        touches.filter(status=TouchStatus.PLANNED, send_on__lte=today + timedelta(days=7))
        .order_by()
        .values_list("rule__kind")
        .annotate(n=Count("pk"))
    )
    if not planned:
        return None
    labels = dict(CareRuleKind.choices)
    return {
        "planned": [(labels[kind], n) for kind, n in planned],
        "skipped": touches.filter(
            status=TouchStatus.SKIPPED, send_on__gte=today - timedelta(days=7)
        ).count(),
        "list_url": reverse("care:touches"),
    }


def my_customers_visits(user: Any) -> QuerySet[ServiceEvent]:
    """Visits of the last days by the customers whose own advisor the user is, in the
    units the user may see; the latest first."""
    since = timezone.now() - timedelta(days=VISIT_DAYS)
    return (
        ServiceEvent.objects.filter(
            visible_unit_filter(user), customer__advisor=user, opened_at__gte=since
        )
        .select_related("customer", "unit")
        .order_by("-opened_at", "-pk")
    )


@home_card(
    "care.my_customers",
    order=7,
    template="care/home_my_customers.html",
    shown_to=has_own_customers,
)
def my_customers(user: Any) -> dict[str, Any] | None:
    """The service events of the advisor's own customers in the last days (专属顾问:
    they are told when their customers come), VIP customers marked."""
    events = my_customers_visits(user)
    shown = list(events[:SHOWN])
    if not shown:
        return None
    return {"events": shown, "more": max(events.count() - len(shown), 0), "days": VISIT_DAYS}


inbox_source(
    InboxSource(
        key="care.callbacks",
        order=35,
        label=gettext_lazy("Callbacks due"),
        shown_to=may_make_callbacks,
        waiting=callbacks_due,
        item=_callback_item,
        more_url=reverse_lazy("care:callbacks"),
    )
)


@home_card(
    "care.churn",
    order=47,
    template="care/home_churn.html",
    shown_to=may_see_churn_risk,
    covers=("care.winbacks",),
)
def churn(user: Any) -> dict[str, Any] | None:
    """Who may be drifting away in the user's part: how many, the first to call with
    their reasons, and the win-back calls waiting for the user."""
    rows = risk_list(user)
    first = list(rows[:5])
    if not first:
        return None
    return {
        "total": rows.count(),
        "strong": rows.filter(reason_count__gte=3).count(),
        "first": first,
        "waiting": winbacks_waiting(user).count() if may_work_winbacks(user) else 0,
        "list_url": reverse("care:risk"),
        "winbacks_url": reverse("care:winbacks") + "?mine=on",
    }


def _winback_item(winback: WinBack) -> InboxItem:
    return InboxItem(
        title=str(winback.customer),
        url=reverse("care:winback", args=[winback.pk]),
        detail=" · ".join([str(winback.unit), *winback.reason_labels()[:2]]),
    )


inbox_source(
    InboxSource(
        key="care.winbacks",
        order=36,
        label=gettext_lazy("Win-back calls"),
        shown_to=may_work_winbacks,
        waiting=winbacks_waiting,
        item=_winback_item,
        more_url=reverse_lazy("care:winbacks"),
    )
)


@home_card(
    "care.my_churn",
    order=8,
    template="care/home_my_churn.html",
    shown_to=has_own_customers,
    keep=KEEP_FIGURES,
)
def my_churn(user: Any) -> dict[str, Any] | None:
    """An advisor's own customers on tonight's risk list, with their reasons: the
    person who knows them best hears first that they may be leaving."""
    rows = risk_list(user).filter(customer__advisor=user)
    shown = list(rows[:SHOWN])
    if not shown:
        return None
    return {"rows": shown, "more": max(rows.count() - len(shown), 0)}
