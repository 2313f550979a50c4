"""The actions board: under the unit looked at, each unit below it with its actions open,
overdue, done (and on time) and cancelled, rolled up the tree by path; the summary for
HQ (finished, on time, moved their figure)."""

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db.models import Count, F, Q, QuerySet

from manyi.improve.action_effect import action_effect
from manyi.improve.actions import action_list
from manyi.improve.models import ActionPlan, ActionStatus
from manyi.org.models import Unit
from manyi.org.selectors import scope_unit, sees_network

MEASURED_MOST = 60  # finished actions whose effect the summary measures, the latest first


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
            on_time=Count("id", filter=Q(status=ActionStatus.DONE, done_at__date__lte=F("due_on"))),
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
    on_time: int
    measured: int  # finished with a figure and at least one whole month since
    moved: int  # of those, credited with moving it
    looked_at: int  # how many of the latest finished ones were measured


def action_summary(user: Any, *, unit: Unit | None = None, today: date) -> Summary:
    """HQ's summary of the actions under ``unit``: finished, on time, and how many of the
    latest finished ones moved their figure beyond what comparable units did alone."""
    done = actions_under(user, unit).filter(status=ActionStatus.DONE)
    finished = done.count()
    on_time = done.filter(done_at__date__lte=F("due_on")).count()
    latest = done.exclude(variable="").select_related("programme", "unit").order_by("-done_at")
    effects = [action_effect(plan, today=today, monthly=False) for plan in latest[:MEASURED_MOST]]
    measured = [e for e in effects if e.effect is not None]
    return Summary(
        finished, on_time, len(measured), sum(e.credited for e in measured), len(effects)
    )
