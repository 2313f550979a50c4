"""Reads of the action plans: the actions in the user's part; the board — under the unit
looked at, each unit below it with its actions open, overdue, done (and on time) and
cancelled, rolled up the tree by path; the summary for HQ (finished, on time, moved
their figure)."""

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db.models import Count, Q, QuerySet

from manyi.improve.action_effect import action_effect
from manyi.improve.models import ON_TIME, ActionPlan, ActionStatus
from manyi.org.models import Unit
from manyi.org.selectors import scope_unit, sees_network, visible_unit_filter

MEASURED_MOST = 60  # finished actions whose effect the summary measures, the latest first


def action_list(user: Any, *, status: str = "", owner: Any = None) -> QuerySet[ActionPlan]:
    """Actions in the user's part: the open ones by due date first."""
    actions = ActionPlan.objects.filter(visible_unit_filter(user)).select_related("unit", "owner")
    if status:
        actions = actions.filter(status=status)
    if owner is not None:
        actions = actions.filter(owner=owner)
    return actions


@dataclass
class Counts:
    open: int = 0
    overdue: int = 0
    done: int = 0
    on_time: int = 0
    cancelled: int = 0

    def add(self, other: "Counts") -> None:
        for name in ("open", "overdue", "done", "on_time", "cancelled"):
            setattr(self, name, getattr(self, name) + getattr(other, name))


@dataclass
class BoardRow:
    unit: Unit | None
    counts: Counts = field(default_factory=Counts)


def actions_under(user: Any, unit: Unit | None) -> QuerySet[ActionPlan]:
    actions = action_list(user)
    return actions.filter(unit__path__startswith=unit.path) if unit is not None else actions


def overdue_filter(today: date) -> Q:
    return Q(status=ActionStatus.OPEN, due_on__lt=today)


def board_rows(user: Any, *, unit: Unit | None, today: date) -> tuple[Counts, list[BoardRow]]:
    """The counts under ``unit`` (default: the user's scope) and per unit below it."""
    # From the network's top (HQ's children, the regions) or the user's own unit down.
    unit = (
        unit
        or scope_unit(user)
        or (Unit.objects.filter(parent=None).first() if sees_network(user) else None)
    )
    per_path = (
        actions_under(user, unit)
        .values("unit__path")
        .annotate(
            open=Count("id", filter=Q(status=ActionStatus.OPEN)),
            overdue=Count("id", filter=overdue_filter(today)),
            done=Count("id", filter=Q(status=ActionStatus.DONE)),
            on_time=Count("id", filter=ON_TIME),
            cancelled=Count("id", filter=Q(status=ActionStatus.CANCELLED)),
        )
    )
    children = Unit.objects.filter(parent=unit) if unit else Unit.objects.filter(parent=None)
    rows = {child.path: BoardRow(child) for child in children}
    own, total = BoardRow(unit), Counts()
    for row in per_path:
        counts = Counts(*(row[k] for k in ("open", "overdue", "done", "on_time", "cancelled")))
        total.add(counts)
        child = next((path for path in rows if row["unit__path"].startswith(path)), None)
        (rows[child] if child else own).counts.add(counts)
    listed = sorted(rows.values(), key=lambda r: (-r.counts.overdue, -r.counts.open, r.unit.path))
    if own.counts.open or own.counts.done:
        listed.insert(0, own)
    return total, listed


@dataclass(frozen=True)
class Summary:
    finished: int
    on_time: int  # by the due date, never escalated
    judged: int  # finished with a figure, measured against enough comparable units
    moved: int  # of those, credited with moving it
    unjudged: int  # measured, but too few comparable units to judge
    looked_at: int  # how many of the latest finished ones with a figure were read


def action_summary(user: Any, *, unit: Unit | None = None, today: date) -> Summary:
    """HQ's summary of the actions under ``unit``: finished, on time, and how many of the
    latest finished ones moved their figure beyond what comparable units did alone."""
    done = actions_under(user, unit).filter(status=ActionStatus.DONE)
    latest = done.exclude(variable="").select_related("programme", "unit").order_by("-done_at")
    effects = [action_effect(plan, today=today, monthly=False) for plan in latest[:MEASURED_MOST]]
    measured = [e for e in effects if e.effect is not None]
    judged = [e for e in measured if e.effect.verdict is not None]
    return Summary(
        finished=done.count(),
        on_time=done.filter(ON_TIME).count(),
        judged=len(judged),
        moved=sum(e.credited for e in judged),
        unjudged=len(measured) - len(judged),
        looked_at=len(effects),
    )


def board_list(
    user: Any, *, unit: Unit | None, status: str, mine: bool, today: date
) -> QuerySet[ActionPlan]:
    """The actions under ``unit`` the board lists: by status ("overdue" too), the user's
    own only if asked; open ones by due date first."""
    listed = actions_under(user, unit).select_related("programme")
    if status == "overdue":
        listed = listed.filter(overdue_filter(today))
    elif status:
        listed = listed.filter(status=status)
    if mine:
        listed = listed.filter(owner=user)
    return listed.order_by("status", "due_on", "pk")


def on_time_counts(*, since: date, until: date, today: date, by: str) -> dict[int, list[int]]:
    """For the scorecards, over the whole network: per owner (``by="staff"``) or unit,
    [on time, decided] of the actions due from ``since`` to ``until`` — decided once done
    or past their due day; dropped ones left out."""
    key = "owner_id" if by == "staff" else "unit_id"
    rows = (
        ActionPlan.objects.filter(due_on__gte=since, due_on__lte=until)
        .filter(Q(status=ActionStatus.DONE) | Q(status=ActionStatus.OPEN, due_on__lt=today))
        .exclude(**{key: None})
        .values(key)
        .annotate(decided=Count("pk"), on_time=Count("pk", filter=ON_TIME))
        .order_by()
    )
    return {row[key]: [row["on_time"], row["decided"]] for row in rows}
