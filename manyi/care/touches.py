"""Care touches: the worker plans each rule's messages a fortnight ahead — maintenance
reminders per vehicle, birthdays, festivals, seasonal care — and sends each on its day
through the one contact rule, exactly once however many workers run (a unique key per
touch, claimed by a conditional update in the transaction that queues its message)."""

from collections import defaultdict
from collections.abc import Iterator
from datetime import date, datetime, timedelta
from typing import Any

from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy

from manyi.care.models import CareRule, CareRuleKind, CareTouch, Festival, TouchStatus
from manyi.care.occasions import (
    Visit,
    birthday_on,
    festival_on,
    maintenance_due,
    next_within,
    seasonal_on,
)
from manyi.customers.models import Customer, EventKind, ServiceEvent
from manyi.customers.reach import customer_message_send
from manyi.notify.wording import Wording, wording_register
from manyi.privacy.consent import may_use_health_data

HORIZON = 14  # days ahead a touch is planned
BATCH = 2000

WORDINGS = {
    CareRuleKind.REMINDER: wording_register(
        Wording(
            code="care_reminder",
            purpose="care",
            text=gettext_lazy(
                "%(store)s: your %(vehicle)s is due for maintenance around %(date)s."
                " We look forward to seeing you."
            ),
        )
    ),
    CareRuleKind.BIRTHDAY: wording_register(
        Wording(
            code="care_birthday",
            purpose="care",
            text=gettext_lazy("%(store)s wishes you a happy birthday, %(name)s!"),
            marketing=True,
        )
    ),
    CareRuleKind.FESTIVAL: wording_register(
        Wording(
            code="care_festival",
            purpose="care",
            text=gettext_lazy("%(store)s wishes you and your family a happy %(festival)s!"),
            marketing=True,
        )
    ),
    CareRuleKind.SEASONAL: wording_register(
        Wording(
            code="care_seasonal",
            purpose="care",
            text=gettext_lazy("%(store)s: %(care)s. We look forward to seeing you."),
            marketing=True,
        )
    ),
}


def _customers(rule: CareRule) -> QuerySet[Customer]:
    """The customers a rule covers: of its units' subtrees, tiers and kinds."""
    customers = Customer.objects.all()
    paths = [unit.path for unit in rule.units.all()]
    if paths:
        under = Q()
        for path in paths:
            under |= Q(unit__path__startswith=path)
        customers = customers.filter(under)
    if rule.tiers:
        customers = customers.filter(tier__in=rule.tiers)
    if rule.customer_kinds:
        customers = customers.filter(kind__in=rule.customer_kinds)
    return customers


def _touch(rule: CareRule, key: str, customer_id: int, unit_id: int, due: date, **extra: Any):
    return CareTouch(
        key=key,
        rule=rule,
        customer_id=customer_id,
        unit_id=unit_id,
        due_on=due,
        send_on=due - timedelta(days=rule.days_before),
        **extra,
    )


def _birthdays(rule: CareRule, today: date) -> Iterator[CareTouch]:
    rows = (
        _customers(rule)
        .exclude(birth_date=None)
        .values_list("pk", "unit_id", "birth_date", "birthday_lunar")
    )
    for pk, unit_id, born, lunar in rows.iterator(chunk_size=BATCH):
        due = next_within(
            lambda year, b=born, lunar=lunar: birthday_on(b, lunar, year),
            today,
            rule.days_before,
            HORIZON,
        )
        if due is not None:  # once per customer in the group, whichever rule sends it
            yield _touch(rule, f"birthday:{pk}:{due}", pk, unit_id, due)


def _one_day(rule: CareRule, today: date, on_year: Any, kind: str) -> Iterator[CareTouch]:
    due = next_within(on_year, today, rule.days_before, HORIZON)
    if due is None:
        return
    for pk, unit_id in _customers(rule).values_list("pk", "unit_id").iterator(chunk_size=BATCH):
        yield _touch(rule, f"{kind}:{pk}:{due}", pk, unit_id, due)


def _festival(rule: CareRule, today: date) -> Iterator[CareTouch]:
    yield from _one_day(
        rule, today, lambda year: festival_on(rule.festival, year), f"festival-{rule.festival}"
    )


def _seasonal(rule: CareRule, today: date) -> Iterator[CareTouch]:
    yield from _one_day(
        rule, today, lambda year: seasonal_on(rule.month_day, year), f"seasonal-{rule.pk}"
    )


def _reminders(rule: CareRule, today: date) -> Iterator[CareTouch]:
    """A reminder per vehicle whose next maintenance falls in the planning window."""
    visits: dict[int, list[Visit]] = defaultdict(list)
    owner: dict[int, tuple[int, int]] = {}
    covered = _customers(rule).values("pk")
    events = (
        ServiceEvent.objects.filter(
            kind=EventKind.MAINTENANCE,
            asset__isnull=False,
            customer__in=covered,
            closed_at__isnull=False,
        )
        .order_by("asset_id", "closed_at")
        .values_list("asset_id", "customer_id", "unit_id", "closed_at", "odometer_km")
    )
    for asset_id, customer_id, unit_id, closed, km in events.iterator(chunk_size=BATCH):
        visits[asset_id].append(Visit(timezone.localtime(closed).date(), km))
        owner[asset_id] = (customer_id, unit_id)  # the latest visit's customer and store
    for asset_id, seen in visits.items():
        due = maintenance_due(seen, months=rule.interval_months, km=rule.interval_km)
        if due is None:
            continue
        send = due - timedelta(days=rule.days_before)
        if today <= send <= today + timedelta(days=HORIZON):
            customer_id, unit_id = owner[asset_id]
            key = f"reminder:{rule.pk}:{asset_id}:{due}"
            yield _touch(rule, key, customer_id, unit_id, due, asset_id=asset_id)


PLANNERS = {
    CareRuleKind.REMINDER: _reminders,
    CareRuleKind.BIRTHDAY: _birthdays,
    CareRuleKind.FESTIVAL: _festival,
    CareRuleKind.SEASONAL: _seasonal,
}


def touches_plan(*, today: date | None = None) -> int:
    """Plan every active rule's touches whose sending day falls in the next fortnight;
    a touch already planned (by this or another worker, or another rule for the same
    birthday or festival) is left as it is. Returns how many rows were offered."""
    today = today or timezone.localdate()
    offered = 0
    for rule in CareRule.objects.filter(is_active=True, kind__in=list(PLANNERS)):
        rows: list[CareTouch] = []
        for touch in PLANNERS[rule.kind](rule, today):
            rows.append(touch)
            if len(rows) == BATCH:
                CareTouch.objects.bulk_create(rows, ignore_conflicts=True)
                offered, rows = offered + len(rows), []
        CareTouch.objects.bulk_create(rows, ignore_conflicts=True)
        offered += len(rows)
    return offered


def _params(touch: CareTouch) -> dict[str, Any]:
    params: dict[str, Any] = {"store": touch.unit.name, "name": touch.customer.name}
    if touch.rule.kind == CareRuleKind.REMINDER:
        params.update(vehicle=str(touch.asset or ""), date=touch.due_on.isoformat())
    elif touch.rule.kind == CareRuleKind.FESTIVAL:
        params["festival"] = str(Festival(touch.rule.festival).label)
    elif touch.rule.kind == CareRuleKind.SEASONAL:
        params["care"] = touch.rule.name
    return params


STALE = 3  # days: a greeting found this late (the worker was down) is not sent
SKIP_STALE, SKIP_DONE, SKIP_OFF, SKIP_ERROR = "stale", "done", "rule_off", "error"
SKIP_NO_CONSENT = "no_health_consent"  # a hospital's patient without health-data consent


def _why_not_now(touch: CareTouch, today: date) -> str:
    """Why a planned touch should no longer go, or ""."""
    if not touch.rule.is_active:
        return SKIP_OFF
    if (today - touch.send_on).days > STALE:
        return SKIP_STALE
    if not may_use_health_data(touch.customer_id, touch.unit):
        return SKIP_NO_CONSENT
    if (
        touch.asset_id
        and ServiceEvent.objects.filter(
            asset_id=touch.asset_id, kind=EventKind.MAINTENANCE, closed_at__gte=touch.created_at
        ).exists()
    ):
        return SKIP_DONE  # the car came in since the reminder was planned
    return ""


def touches_send(*, now: datetime | None = None, limit: int = BATCH) -> int:
    """Send the touches whose day has come. Each is claimed (planned → sent) in the
    transaction that queues its message, so it goes once; one the contact rule refuses,
    or that should no longer go, is kept as not sent, with the reason."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    due = (
        CareTouch.objects.filter(status=TouchStatus.PLANNED, send_on__lte=today)
        .order_by("send_on", "pk")
        .values_list("pk", flat=True)[:limit]
    )
    sent = 0
    for pk in list(due):
        with transaction.atomic():
            claimed = CareTouch.objects.filter(pk=pk, status=TouchStatus.PLANNED).update(
                status=TouchStatus.SENT
            )
            if not claimed:
                continue  # another worker has it
            touch = CareTouch.objects.select_related("rule", "customer", "unit", "asset").get(pk=pk)
            why_not = _why_not_now(touch, today)
            result = None
            if not why_not:
                with translation.override(touch.customer.language or "zh-hans"):
                    params = {key: str(value) for key, value in _params(touch).items()}
                try:
                    result = customer_message_send(
                        customer=touch.customer,
                        channels=["sms", "email"],
                        wording=WORDINGS[touch.rule.kind].code,
                        params=params,
                        ref=f"care:{touch.pk}",
                        now=now,
                    )
                except (KeyError, ValueError, TypeError):  # a wording its translation broke
                    why_not = SKIP_ERROR
            touch.message = result.message if result else None
            touch.status = TouchStatus.SENT if touch.message else TouchStatus.SKIPPED
            touch.why_not = why_not or (result.refused if result else "")
            touch.save(update_fields=["message", "status", "why_not"])
            sent += bool(touch.message)
    return sent
