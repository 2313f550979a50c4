"""Reads of care: the callback list of a store or caller, one callback, and the board's
figure — visits whose customer was reached within the rule's days — per store and per
caller, with the attempts, refusals and the unreachable shown apart so that the figure
cannot be met by dialling."""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db.models import Count, F, Q, QuerySet
from django.utils import timezone

from manyi.care.models import (
    OPEN_STATUSES,
    Callback,
    CallbackStatus,
    CareRule,
    CareTouch,
    TouchStatus,
)
from manyi.org.models import Unit, UnitLevel
from manyi.org.selectors import visible_unit_filter, visible_units


def care_rules(user: Any) -> QuerySet[CareRule]:
    """The rules that cover some unit ``user`` sees (a rule with no units covers all)."""
    rules = CareRule.objects.prefetch_related("units")
    seen = visible_units(user)
    return rules.filter(Q(units=None) | Q(units__in=seen.values("pk"))).distinct()


def callback_list(
    user: Any,
    *,
    status: str = "open",
    unit: Unit | None = None,
    caller: Any = None,
) -> QuerySet[Callback]:
    """Callbacks in ``user``'s part of the network: open ones VIP first, then by when
    to call; finished ones newest first."""
    callbacks = Callback.objects.filter(visible_unit_filter(user)).select_related(
        "customer", "event", "unit", "caller", "rule"
    )
    if unit is not None:
        callbacks = callbacks.filter(unit__path__startswith=unit.path)
    if caller is not None:
        callbacks = callbacks.filter(Q(caller=caller) | Q(caller=None))
    if status == "open":
        return callbacks.filter(status__in=OPEN_STATUSES).order_by("-vip", "next_call_at", "pk")
    if status in CallbackStatus.values:
        callbacks = callbacks.filter(status=status)
    return callbacks.order_by("-closed_at", "-pk")


def callbacks_due(user: Any, now: datetime | None = None) -> QuerySet[Callback]:
    """Open callbacks whose time to call has come."""
    return callback_list(user).filter(next_call_at__lte=now or timezone.now())


def callback_get(user: Any, pk: int) -> Callback:
    return callback_list(user, status="all").get(pk=pk)


@dataclass
class CallbackFigure:
    """One row of the board: a store or a caller."""

    label: str
    callbacks: int = 0
    attempted: int = 0
    reached: int = 0
    in_time: int = 0
    refused: int = 0
    unreachable: int = 0
    still_open: int = 0
    pending: int = 0  # still open with days left: not yet decided either way

    @property
    def decided(self) -> int:
        return self.callbacks - self.pending

    @property
    def share(self) -> float | None:
        """Reached within the rule's days, of the visits whose days are over or whose
        customer was reached already."""
        return self.in_time / self.decided if self.decided else None

    def add(self, row: dict[str, Any]) -> None:
        for name in COUNTED:
            setattr(self, name, getattr(self, name) + row[name])


def _counts(now: datetime) -> dict[str, Count]:
    return {
        "callbacks": Count("pk"),
        "attempted": Count("pk", filter=Q(attempts__gt=0)),
        "reached": Count("pk", filter=Q(reached_at__isnull=False)),
        "in_time": Count("pk", filter=Q(reached_at__lt=F("deadline_at"))),
        "refused": Count(
            "pk", filter=Q(status__in=(CallbackStatus.REFUSED, CallbackStatus.DO_NOT_CALL))
        ),
        "unreachable": Count(
            "pk", filter=Q(status__in=(CallbackStatus.UNREACHABLE, CallbackStatus.WRONG_NUMBER))
        ),
        "still_open": Count("pk", filter=Q(status__in=OPEN_STATUSES)),
        "pending": Count("pk", filter=Q(status__in=OPEN_STATUSES, deadline_at__gt=now)),
    }


COUNTED = (
    "callbacks",
    "attempted",
    "reached",
    "in_time",
    "refused",
    "unreachable",
    "still_open",
    "pending",
)


def _visits(user: Any, since: date, until: date) -> QuerySet[Callback]:
    """Callbacks of the visits that closed from ``since`` to ``until`` (local days)."""
    zone = timezone.get_current_timezone()
    return Callback.objects.filter(
        visible_unit_filter(user),
        event__closed_at__gte=datetime.combine(since, time(), tzinfo=zone),
        event__closed_at__lt=datetime.combine(until + timedelta(days=1), time(), tzinfo=zone),
    )


def figures_by_store(user: Any, *, since: date, until: date) -> list[CallbackFigure]:
    """The board per store: a department's callbacks count for its store."""
    rows = list(
        _visits(user, since, until)
        .values("unit_id", "unit__path")
        .annotate(**_counts(timezone.now()))
    )
    lines = {row["unit_id"]: _ids(row["unit__path"]) for row in rows}
    units = Unit.objects.in_bulk({pk for line in lines.values() for pk in line})
    found: dict[int, CallbackFigure] = {}
    for row in rows:
        line = lines[row["unit_id"]]
        store = next((pk for pk in line if units[pk].level == UnitLevel.STORE), line[-1])
        found.setdefault(store, CallbackFigure(label=str(units[store]))).add(row)
    return sorted(found.values(), key=lambda figure: (figure.share is None, -(figure.share or 0)))


def _ids(path: str) -> list[int]:
    return [int(part) for part in path.strip("/").split("/") if part]


def figures_by_caller(user: Any, *, since: date, until: date) -> list[CallbackFigure]:
    """The board per caller: who made (or is to make) the callbacks."""
    rows = (
        _visits(user, since, until)
        .values("caller_id", "caller__full_name")
        .annotate(**_counts(timezone.now()))
    )
    figures = []
    for row in rows:
        figure = CallbackFigure(label=row["caller__full_name"] or "")
        figure.add(row)
        figures.append(figure)
    return sorted(figures, key=lambda figure: -figure.callbacks)


def customer_callbacks(customer: Any, *, limit: int, units: Any) -> list[dict[str, Any]]:
    """The customer card's callbacks with their outcomes (a timeline source)."""
    callbacks = customer.callbacks.select_related("event", "unit")
    if units is not None:
        callbacks = callbacks.filter(unit__in=units)
    return [
        {
            "at": callback.closed_at or callback.next_call_at,
            "type": "callback",
            "template": "care/_timeline_callback.html",
            "callback": callback,
        }
        for callback in callbacks.order_by("-next_call_at")[:limit]
    ]


def touch_list(
    user: Any, *, status: str = "", kind: str = "", unit: Unit | None = None
) -> QuerySet[CareTouch]:
    """Care touches of ``user``'s part: the next to go first, then the latest sent."""
    touches = CareTouch.objects.filter(visible_unit_filter(user)).select_related(
        "rule", "customer", "unit", "asset"
    )
    if status in TouchStatus.values:
        touches = touches.filter(status=status)
    if kind:
        touches = touches.filter(rule__kind=kind)
    if unit is not None:
        touches = touches.filter(unit__path__startswith=unit.path)
    if status == TouchStatus.PLANNED:
        return touches.order_by("send_on", "pk")
    return touches.order_by("-send_on", "-pk")


def customer_touches(customer: Any, *, limit: int, units: Any) -> list[dict[str, Any]]:
    """The customer card's care touches: reminders, greetings, what was not sent."""
    touches = customer.care_touches.select_related("rule", "asset", "unit")
    if units is not None:
        touches = touches.filter(unit__in=units)
    return [
        {
            "at": datetime.combine(touch.send_on, time(9), tzinfo=timezone.get_current_timezone()),
            "type": "care_touch",
            "template": "care/_timeline_touch.html",
            "touch": touch,
        }
        for touch in touches.order_by("-send_on")[:limit]
    ]


def customer_event_invitations(customer: Any, *, limit: int, units: Any) -> list[dict[str, Any]]:
    """The customer card's invitations to owner events, with the answer and whether
    they came."""
    invitations = customer.event_invitations.select_related("event__unit")
    if units is not None:
        invitations = invitations.filter(event__unit__in=units)
    return [
        {
            "at": invitation.event.starts_at,
            "type": "event_invitation",
            "template": "care/_timeline_invitation.html",
            "invitation": invitation,
        }
        for invitation in invitations.order_by("-event__starts_at")[:limit]
    ]


def callback_counts(*, since: date, until: date, by: str) -> dict[int, CallbackFigure]:
    """For the scorecards, over the whole network: the board's figures per caller
    (``by="staff"``) or per unit, for the visits that closed from ``since`` to ``until``."""
    key = "caller_id" if by == "staff" else "unit_id"
    zone = timezone.get_current_timezone()
    rows = (
        Callback.objects.filter(
            event__closed_at__gte=datetime.combine(since, time(), tzinfo=zone),
            event__closed_at__lt=datetime.combine(until + timedelta(days=1), time(), tzinfo=zone),
        )
        .exclude(**{key: None})
        .values(key)
        .annotate(**_counts(timezone.now()))
        .order_by()
    )
    found = {}
    for row in rows:
        figure = CallbackFigure(label="")
        figure.add(row)
        found[row[key]] = figure
    return found
