"""The demo's churn: customers whose visit went badly stop coming — most of them at the
weak stores, fewer elsewhere — so the nightly refresh finds them on top of the risk list
with those reasons; and each store's handler has worked some of them (win-back calls
with outcomes and reasons for loss)."""

import random
from collections.abc import Callable
from datetime import timedelta
from typing import TYPE_CHECKING

from django.db.models import Q
from django.utils import timezone

from manyi.care.churn import churn_refresh
from manyi.care.models import (
    ChurnRisk,
    ChurnRun,
    LossReason,
    WinBack,
    WinBackCall,
    WinBackOutcome,
)
from manyi.care.winback import winback_call_record, winback_open
from manyi.customers.models import Customer, ServiceEvent
from manyi.demo.structure import store_profile
from manyi.org.models import Role, Staff, Unit
from manyi.surveys.models import Invitation, Response

if TYPE_CHECKING:
    from manyi.demo.network import DemoSize

POOR = 650  # an index this low, or a detractor's answer, is a visit that went badly
LAPSE_WEAK, LAPSE_ELSEWHERE = 0.75, 0.3
LEAVE_ANYWAY = 0.2  # customers who leave for their own reasons (moved, sold the car) at some point
CHUNK = 500
TASKS_PER_STORE = 6
# Why customers of a weak store say they left, and why those of the others do.
WEAK_REASONS = [LossReason.DISSATISFIED] * 6 + [LossReason.COMPETITOR, LossReason.PRICE]
OTHER_REASONS = [
    LossReason.DISSATISFIED, LossReason.DISSATISFIED, LossReason.PRICE, LossReason.MOVED,
    LossReason.COMPETITOR, LossReason.SOLD, LossReason.INCONVENIENT,
]  # fmt: skip


def _weak_stores(size: "DemoSize") -> set[int]:
    return {
        unit.pk
        for unit in Unit.objects.filter(level="store")
        if store_profile(size.seed, unit.code).weak_factors
    }


def plant_lapses(size: "DemoSize", log: Callable[[str], None]) -> None:
    """After the survey history: the first visit that went badly decides whether the
    customer lapses; a lapsed customer's later visits (and any invitations and answers
    about them) are taken out of the history."""
    rng = random.Random(f"{size.seed}:lapses")
    weak = _weak_stores(size)
    poor = (
        Response.objects.filter(customer__isnull=False, event__isnull=False)
        .filter(Q(index__lt=POOR) | Q(nps_class="detractor"))
        .order_by("submitted_at", "pk")
        .values_list("customer_id", "event__unit_id", "event__opened_at")
    )
    lapse_after = {}
    judged = set()
    for customer_id, unit_id, opened_at in poor:
        if customer_id in judged:
            continue
        judged.add(customer_id)
        if rng.random() < (LAPSE_WEAK if unit_id in weak else LAPSE_ELSEWHERE):
            lapse_after[customer_id] = opened_at
    planted = len(lapse_after)
    start, days = timezone.now() - timedelta(days=31 * size.months), 31 * size.months
    for customer_id in Customer.objects.order_by("pk").values_list("pk", flat=True):
        if rng.random() < LEAVE_ANYWAY:
            left = start + timedelta(days=rng.uniform(0, days))
            lapse_after[customer_id] = min(left, lapse_after.get(customer_id, left))
    customers = list(lapse_after)
    later = []
    for start in range(0, len(customers), CHUNK):
        rows = ServiceEvent.objects.filter(customer_id__in=customers[start : start + CHUNK])
        later += [
            pk
            for pk, customer_id, opened_at in rows.values_list("pk", "customer_id", "opened_at")
            if opened_at > lapse_after[customer_id]
        ]
    for start in range(0, len(later), CHUNK):
        chunk = later[start : start + CHUNK]
        Response.objects.filter(event_id__in=chunk).delete()
        Invitation.objects.filter(event_id__in=chunk).delete()
        ServiceEvent.objects.filter(pk__in=chunk).delete()
    log(f"  {planted} customers lapsed after a poor visit, {len(customers) - planted} left anyway;"
        f" {len(later)} visits fewer")  # fmt: skip


def build_winbacks(size: "DemoSize", log: Callable[[str], None]) -> None:
    """Tonight's risk list, then each store's handler has called the first customers on
    it over the last weeks: some came back or stay, some are lost for a reason, some
    wait; the list is then rebuilt (the lost are left off it for a year)."""
    rng = random.Random(f"{size.seed}:winbacks")
    weak = _weak_stores(size)
    churn_refresh()
    handlers = {staff.unit_id: staff for staff in Staff.objects.filter(role=Role.CASE_HANDLER)}
    now = timezone.now()
    opened, called = 0, set()
    for unit_id, handler in sorted(handlers.items()):
        rows = ChurnRisk.objects.filter(unit_id=unit_id).order_by(
            "-reason_count", "tier_rank", "p_alive"
        )
        chosen = []
        for risk in rows[: 3 * TASKS_PER_STORE]:  # a customer with two vehicles once
            if risk.customer_id not in called and len(chosen) < TASKS_PER_STORE:
                called.add(risk.customer_id)
                chosen.append(risk)
        for place, risk in enumerate(chosen):
            when = now - timedelta(days=rng.randint(3, 40), hours=rng.randint(0, 8))
            task = winback_open(actor=handler, risk=risk)
            WinBack.objects.filter(pk=task.pk).update(opened_at=when)
            opened += 1
            if place >= TASKS_PER_STORE - 2:
                continue  # still to call
            calls = _calls(rng, unit_id in weak)
            for step, (outcome, reason) in enumerate(calls):
                winback_call_record(
                    actor=handler,
                    winback=task,
                    outcome=outcome,
                    loss_reason=reason,
                    note="" if reason != LossReason.OTHER else "搬去外地工作",
                    now=when + timedelta(days=step, hours=2),
                )
    # Calls are kept at their day; the refresh of today starts again from them.
    for call in WinBackCall.objects.select_related("winback"):
        if call.created_at > now:
            WinBackCall.objects.filter(pk=call.pk).update(created_at=now)
    ChurnRun.objects.all().delete()
    churn_refresh()
    log(f"  {opened} win-back tasks, the churn-risk list rebuilt")


def _calls(rng: random.Random, weak: bool) -> list[tuple[str, str]]:
    """A task's calls: perhaps an unanswered one first, then how it ended."""
    calls = [(WinBackOutcome.NO_ANSWER, "")] if rng.random() < 0.4 else []
    roll = rng.random()
    if roll < (0.6 if weak else 0.35):
        reason = rng.choice(WEAK_REASONS if weak else OTHER_REASONS)
        calls.append((WinBackOutcome.LOST, reason))
    elif roll < 0.85:
        calls.append((rng.choice([WinBackOutcome.BOOKED, WinBackOutcome.STAYING]), ""))
    else:
        calls.append((WinBackOutcome.NO_ANSWER, ""))
    return calls
