"""The demo's care: the three-day callback rule, six weeks of callbacks — reached in time
less often at the weak stores — and today's callbacks still to make in every store."""

import random
from collections.abc import Callable
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING

from django.utils import timezone

from manyi.care.models import (
    Callback,
    CallbackAttempt,
    CallbackStatus,
    CallOutcome,
    CareRule,
    CareRuleKind,
    RsvpStatus,
)
from manyi.care.owner_events import owner_event_create, owner_event_draw
from manyi.care.services import callback_times
from manyi.cases.calendars import CalendarBook
from manyi.customers.models import Contact, Customer, EventKind, ServiceEvent, Tier
from manyi.demo.structure import store_profile
from manyi.org.models import Role, Staff, Unit

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
    _callbacks(size, log)
    _advisors(size)
    _profiles(size)
    _odometers(size)
    _touch_rules()  # planned once the customers have their tiers (network.build)


def build_owner_event(size: "DemoSize") -> None:
    """Next week's owners' evening at the first store: forty owners drawn, some answers."""
    store = Unit.objects.filter(level="store").order_by("code").first()
    manager = Staff.objects.filter(unit=store, role=Role.STORE_MANAGER).first()
    day = timezone.localtime() + timedelta(days=8)
    event = owner_event_create(
        actor=manager,
        unit=store,
        name="冬季用车讲座暨车主联谊会",
        starts_at=day.replace(hour=19, minute=0, second=0, microsecond=0),
        place=f"{store.name}二楼客户休息区",
        capacity=30,
    )
    owner_event_draw(actor=manager, event=event, segment={"unit": store}, count=40, seed=2026)
    rng = random.Random(f"{size.seed}:rsvp")
    for invitation in event.invitations.order_by("pk"):
        fate = rng.random()
        if fate < 0.45:
            invitation.status = RsvpStatus.ACCEPTED
        elif fate < 0.65:
            invitation.status = RsvpStatus.DECLINED
        invitation.save(update_fields=["status"])


def _advisors(size: "DemoSize") -> None:
    """A third of the customers have their own advisor — the one who served them last;
    one advisor of the first store has left, their customers waiting for a handover."""
    rng = random.Random(f"{size.seed}:advisors")
    last_advisor: dict[int, int] = {}
    advisors = set(Staff.objects.filter(role=Role.ADVISOR).values_list("pk", flat=True))
    for customer_id, staff_id in (
        ServiceEvent.objects.exclude(staff=None)
        .order_by("closed_at")
        .values_list("customer_id", "staff_id")
    ):
        if staff_id in advisors:
            last_advisor[customer_id] = staff_id
    by_advisor: dict[int, list[int]] = {}
    for customer_id, staff_id in last_advisor.items():
        if rng.random() < 0.33:
            by_advisor.setdefault(staff_id, []).append(customer_id)
    for staff_id, customers in by_advisor.items():
        for start in range(0, len(customers), 900):
            Customer.objects.filter(pk__in=customers[start : start + 900]).update(
                advisor_id=staff_id
            )
    store = Unit.objects.filter(level="store").order_by("code").first()
    leaver = (
        Staff.objects.filter(
            unit__path__startswith=store.path, role=Role.ADVISOR, pk__in=by_advisor
        )
        .exclude(username="advisor1")
        .order_by("code")
        .first()
    )
    if leaver is not None:
        Staff.objects.filter(pk=leaver.pk).update(is_active=False)


def _profiles(size: "DemoSize") -> None:
    """Birthdays (a third of them kept by the lunar calendar) for people, and consent to
    marketing for most of them."""
    rng = random.Random(f"{size.seed}:profiles")
    people = list(Customer.objects.filter(party_type="person").only("pk"))
    for customer in people:
        if rng.random() < 0.7:
            customer.birth_date = date(
                rng.randint(1960, 2002), rng.randint(1, 12), rng.randint(1, 28)
            )
            customer.birthday_lunar = rng.random() < 0.33
    Customer.objects.bulk_update(people, ["birth_date", "birthday_lunar"], batch_size=2000)
    consenting = [pk for pk in Customer.objects.values_list("pk", flat=True) if rng.random() < 0.6]
    for start in range(0, len(consenting), 900):
        Contact.objects.filter(customer_id__in=consenting[start : start + 900]).update(
            marketing_consent=True
        )


def _odometers(size: "DemoSize") -> None:
    """Odometer readings on maintenance visits: each car at its own rate of driving."""
    rng = random.Random(f"{size.seed}:odometers")
    first: dict[int, tuple[datetime, int, float]] = {}
    events = list(
        ServiceEvent.objects.filter(kind=EventKind.MAINTENANCE, asset__isnull=False)
        .exclude(closed_at=None)
        .order_by("asset_id", "closed_at")
        .only("pk", "asset_id", "closed_at")
    )
    for event in events:
        if event.asset_id not in first:
            first[event.asset_id] = (
                event.closed_at,
                rng.randint(3_000, 60_000),
                rng.uniform(15, 90),
            )
        since, start, per_day = first[event.asset_id]
        event.odometer_km = start + round(per_day * (event.closed_at - since).days)
    ServiceEvent.objects.bulk_update(events, ["odometer_km"], batch_size=2000)


def _touch_rules() -> None:
    CareRule.objects.create(
        code="maintenance",
        name="保养提醒",
        kind=CareRuleKind.REMINDER,
        interval_months=6,
        interval_km=5000,
        days_before=7,
    )
    CareRule.objects.create(code="birthday", name="生日关怀", kind=CareRuleKind.BIRTHDAY)
    CareRule.objects.create(
        code="spring", name="春节问候", kind=CareRuleKind.FESTIVAL, festival="spring", days_before=1
    )
    CareRule.objects.create(
        code="winter",
        name="冬季免费检测：防冻液、电瓶、轮胎",
        kind=CareRuleKind.SEASONAL,
        month_day="12-05",
        tiers=[Tier.SUPER_HEAVYWEIGHT, Tier.HEAVYWEIGHT],
    )


def _callbacks(size: "DemoSize", log: Callable[[str], None]) -> None:
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
            vip=event.customer.gets_vip_service,
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
