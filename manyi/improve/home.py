"""What improvement puts on the home page and in the inbox: the targets running now in
the user's part, the furthest behind first; the actions the user owns and the overdue
ones escalated to their unit; the first-time fix of the last month that can tell."""

from datetime import datetime, time
from typing import Any

from django.db.models import Q, QuerySet
from django.urls import reverse, reverse_lazy
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import get_language, gettext_lazy

from manyi.improve.models import ActionDeadline, ActionPlan, ActionStatus, FixPolicy
from manyi.improve.selectors.actions import action_list, board_rows
from manyi.improve.selectors.fixes import decided_months, first_time_fix
from manyi.improve.selectors.targets import figure_label, target_list, targets_progress
from manyi.org.permissions import (
    may_follow_actions,
    may_lead_units,
    may_plan_actions,
    may_see_analytics,
)
from manyi.org.selectors import scope_unit
from manyi.web.registry import KEEP_FIGURES, InboxItem, InboxSource, home_card, inbox_source

SHOWN = 5
MOST = 40  # targets read for the card at most, one rollup read each (the list has them all)


@home_card("improve.targets", order=12, template="improve/home_targets.html",
           shown_to=may_see_analytics)  # fmt: skip
def targets(user: Any) -> dict[str, Any] | None:
    """Targets whose period runs this month: how many are met, and the furthest behind."""
    today = timezone.localdate()
    month = today.replace(day=1)
    running = target_list(user).filter(since__lte=month, until__gte=month).order_by("pk")[:MOST]
    progress = targets_progress(list(running), today=today)
    if not progress:
        return None
    language = get_language() or "zh-hans"
    behind = sorted(
        (p for p in progress if p.met is False), key=lambda p: p.shortfall or 0, reverse=True
    )
    return {
        "count": len(progress),
        "met": sum(1 for p in progress if p.met),
        "behind": [
            (p, figure_label(p.target.programme.version_id, p.target.variable, language))
            for p in behind[:SHOWN]
        ],
        "list_url": reverse("improve:targets"),
    }


def my_actions(user: Any) -> QuerySet[ActionPlan]:
    """The open actions the user owns, or owns a task of, the soonest due first."""
    mine = Q(owner=user) | Q(tasks__owner=user, tasks__done_at__isnull=True)
    return (
        action_list(user, status=ActionStatus.OPEN).filter(mine).distinct().order_by("due_on", "pk")
    )


def escalated_actions(user: Any) -> QuerySet[ActionPlan]:
    """Open actions escalated to the user's own unit when they fell overdue."""
    unit = scope_unit(user)
    if unit is None:
        return ActionPlan.objects.none()
    return (
        action_list(user, status=ActionStatus.OPEN)
        .filter(deadlines__kind=ActionDeadline.Kind.BREACH, deadlines__escalated_to=unit)
        .distinct()
        .order_by("due_on", "pk")
    )


def _action_item(plan: ActionPlan) -> InboxItem:
    due = datetime.combine(plan.due_on, time(23, 59), tzinfo=timezone.get_current_timezone())
    return InboxItem(
        title=plan.title,
        url=reverse("improve:action", args=[plan.pk]),
        detail=str(plan.unit),
        due=due,
        overdue=plan.due_on < timezone.localdate(),
    )


inbox_source(
    InboxSource(
        key="improve.mine",
        order=40,
        label=gettext_lazy("My improvement actions"),
        shown_to=may_follow_actions,
        waiting=my_actions,
        item=_action_item,
        more_url=format_lazy("{}?mine=on&status=open", reverse_lazy("improve:actions")),
    )
)
inbox_source(
    InboxSource(
        key="improve.escalated",
        order=41,
        label=gettext_lazy("Overdue actions escalated to my unit"),
        shown_to=may_plan_actions,
        waiting=escalated_actions,
        item=_action_item,
        more_url=format_lazy("{}?status=overdue", reverse_lazy("improve:actions")),
    )
)


@home_card("improve.actions", order=13, template="improve/home_actions.html",
           shown_to=may_follow_actions, covers=("improve.mine",))  # fmt: skip
def actions(user: Any) -> dict[str, Any] | None:
    """The user's own open actions, and for a manager the part's: open, overdue, done."""
    today = timezone.localdate()
    mine = my_actions(user)
    shown = list(mine[:SHOWN])
    part = board_rows(user, unit=None, today=today)[0] if may_plan_actions(user) else None
    if not shown and not (part and (part.open or part.done)):
        return None
    return {
        "mine": shown, "more": max(mine.count() - len(shown), 0), "part": part, "today": today,
        "list_url": reverse("improve:actions"),
    }  # fmt: skip


@home_card("improve.first_time_fix", order=15, template="improve/home_first_time_fix.html",
           shown_to=may_lead_units, keep=KEEP_FIGURES)  # fmt: skip
def first_time_fix_card(user: Any) -> dict[str, Any] | None:
    """The last month whose repairs' windows are over: the part's first-time fix rate and
    the stores fixing least first time."""
    today = timezone.localdate()
    (month,) = decided_months(1, window=FixPolicy.current().window_days, today=today)
    rows = [
        row for row in first_time_fix(user, months=[month], today=today) if row.rate is not None
    ]
    if not rows:
        return None
    fixed = sum(row.total[0] for row in rows)
    decided = sum(row.total[1] for row in rows)
    return {
        "month": month, "rate": fixed / decided, "repairs": decided,
        "lowest": rows[:3] if len(rows) > 1 else [], "list_url": reverse("improve:first_time_fix"),
    }  # fmt: skip
