"""The demo's care: the three-day callback rule, six weeks of callbacks — reached in time
less often at the weak stores — and today's callbacks still to make in every store."""

import random
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from django.utils import timezone

from manyi.care.models import (
    Callback,
    CallbackAttempt,
    CallbackStatus,
    CallOutcome,
    CareRule,
    CareRuleKind,
)
from manyi.care.services import VIP_TIERS, callback_times
from manyi.cases.calendars import CalendarBook
from manyi.customers.models import EventKind, ServiceEvent
from manyi.demo.structure import store_profile
from manyi.org.models import Role, Staff

if TYPE_CHECKING:
    from manyi.demo.network import DemoSize

HISTORY = timedelta(days=42)
FINAL = {
    CallOutcome.SATISFIED: CallbackStatus.REACHED,
    CallOutcome.ISSUE: CallbackStatus.ISSUE,
    CallOutcome.REFUSED: CallbackStatus.REFUSED,
    CallOutcome.WRONG_NUMBER: CallbackStatus.WRONG_NUMBER,
}


def build_care(size: "DemoSize", log: Callable[[str], None]) -> None:
    log("Building six weeks of callbacks…")
    now = timezone.now()
    rule = CareRule.objects.create(
        code="three-day",
        name="三日回访",
        kind=CareRuleKind.CALLBACK,
        event_kinds=[EventKind.MAINTENANCE, EventKind.REPAIR, EventKind.WARRANTY],
    )
    CareRule.objects.filter(pk=rule.pk).update(created_at=now - HISTORY - timedelta(days=1))
    rng = random.Random(f"{size.seed}:care")
    handlers = dict(Staff.objects.filter(role=Role.CASE_HANDLER).values_list("unit_id", "pk"))
    book = CalendarBook()
    events = (
        ServiceEvent.objects.filter(
            kind__in=rule.event_kinds,
            customer__isnull=False,
            closed_at__gte=now - HISTORY,
            closed_at__lte=now,
        )
        .select_related("unit", "customer")
        .order_by("closed_at")
    )
    callbacks, attempts = [], []
    for event in events.iterator(chunk_size=2000):
        call_from, reach_by = callback_times(book, event.unit, rule, event.closed_at)
        callback = Callback(
            rule=rule,
            event=event,
            customer=event.customer,
            unit=event.unit,
            vip=bool(event.customer.is_vip or event.customer.tier in VIP_TIERS),
            next_call_at=call_from,
            deadline_at=reach_by,
            created_at=event.closed_at,
        )
        if call_from < now - timedelta(hours=rng.uniform(0, 30)):
            attempts += _history(rng, callback, size, handlers.get(event.unit_id), now)
        callbacks.append(callback)
    Callback.objects.bulk_create(callbacks, batch_size=2000)
    for attempt in attempts:
        attempt.callback_id = attempt.callback.pk
    CallbackAttempt.objects.bulk_create(attempts, batch_size=2000)


def _history(
    rng: random.Random, callback: Callback, size: "DemoSize", caller: int | None, now: datetime
) -> list[CallbackAttempt]:
    """How the calls of one callback went: the weaker the store, the later and the
    more often unreached."""
    profile = store_profile(size.seed, callback.unit.code)
    skill = min(0.95, max(0.35, 0.82 + 0.08 * profile.quality - 0.18 * len(profile.weak_factors)))
    at = callback.next_call_at + timedelta(hours=rng.uniform(0, 6))
    made = []
    fate = rng.random()
    tries = 1 if rng.random() < skill else rng.randint(2, 3)
    if fate > skill:  # late: the first call comes after the days have passed
        at = callback.deadline_at + timedelta(hours=rng.uniform(2, 40))
    for number in range(1, tries + 1):
        if at > now:
            break
        last = number == tries
        if not last or (number == callback.rule.max_attempts and rng.random() < 0.3):
            outcome = CallOutcome.NO_ANSWER
        elif rng.random() < 0.04:
            outcome = CallOutcome.REFUSED
        elif rng.random() < 0.02:
            outcome = CallOutcome.WRONG_NUMBER
        elif rng.random() < 0.05 + 0.05 * len(profile.weak_factors):
            outcome = CallOutcome.ISSUE
        else:
            outcome = CallOutcome.SATISFIED
        made.append(
            CallbackAttempt(callback=callback, caller_id=caller, outcome=outcome, created_at=at)
        )
        callback.attempts, callback.caller_id = number, caller
        if outcome in FINAL:
            callback.status, callback.closed_at = FINAL[outcome], at
            if outcome in (CallOutcome.SATISFIED, CallOutcome.ISSUE):
                callback.reached_at = at
        elif number == callback.rule.max_attempts:
            callback.status, callback.closed_at = CallbackStatus.UNREACHABLE, at
        else:
            callback.status = CallbackStatus.RETRY
            callback.next_call_at = at + timedelta(hours=callback.rule.retry_hours)
        at += timedelta(hours=rng.uniform(3, 20))
    return made
