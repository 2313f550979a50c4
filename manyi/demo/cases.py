"""The demo's cases: 18 months of complaints and other requests, consistent with the
survey answers and the stores' hidden profiles.

- Every survey response that raised an alert before the last two weeks became a
  complaint, resolved and reviewed; the alerts of the last two weeks are left open
  for the worker, which opens their cases (most of them overdue at once, so the
  escalation can be watched).
- Walk-in and phone cases arrive at each store in proportion to its service volume,
  more complaints at the weak stores, their causes following the factors a store is
  weak on. Weak stores answer and resolve more slowly, so they miss more deadlines.
- A quarter of complaints are made good under the satisfaction guarantee; the larger
  amounts approved by the store or region manager.
- A handful of cases opened in the last hours sit in each demo store's queue.
"""

import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING, Any
from uuid import uuid4

from django.db import transaction
from django.utils import timezone

from manyi.cases import deadlines
from manyi.cases.models import (
    Case,
    CaseEntry,
    Cause,
    Compensation,
    DeadlineAction,
    ResurveySetting,
)
from manyi.cases.services import case_open, case_reply
from manyi.customers.models import Customer, ServiceEvent
from manyi.demo.structure import COMPLAINTS, PRAISE, store_profile
from manyi.org.models import Role, Staff, Unit, UnitLevel
from manyi.surveys.models import Alert
from manyi.surveys.services import programme_create, questionnaire_create, questionnaire_publish

if TYPE_CHECKING:
    from manyi.demo.network import DemoSize

CAUSE_OF_FACTOR = {
    "service_initiation": "process",
    "service_advisor": "staff",
    "service_facility": "process",
    "vehicle_pickup": "process",
    "service_quality": "product",
}
WALK_IN_PER_STORE_MONTH = 3.0
OTHER_KINDS = [
    ("suggestion", "希望周末延长营业时间"),
    ("inquiry", "保养套餐包含哪些项目？"),
    ("request", "请帮忙开具维修发票"),
    ("praise", PRAISE[0]),
]
GUARANTEE = [
    ("voucher", 100, 300),
    ("free_service", 200, 800),
    ("gift", 50, 200),
    ("refund", 500, 3000),
]
BATCH = 2000


@dataclass
class _Store:
    unit: Unit
    quality: float
    weak: tuple[str, ...]
    handler: int | None
    manager: int | None
    region_manager: int | None


def build_cases(size: "DemoSize", log: Callable[[str], None]) -> None:
    log("Building 18 months of cases…")
    rng = random.Random(f"{size.seed}:cases")
    _resolution_survey()
    stores = _stores(size)
    causes = dict(Cause.objects.values_list("code", "pk"))
    now = timezone.now()
    until = timezone.make_aware(datetime.combine(size.until, datetime.min.time()))
    recent = min(now - timedelta(days=14), until)
    first = until - timedelta(days=31 * size.months)
    planned: list[dict[str, Any]] = []
    context = {"rules": deadlines.Rules(), "now": now}
    # Complaints from the survey alerts: one case per response.
    seen: set[int] = set()
    alerts = (
        Alert.objects.filter(created_at__lt=recent, created_at__gte=first)
        .order_by("created_at", "pk")
        .values_list(
            "response_id",
            "unit_id",
            "reason",
            "created_at",
            "response__customer_id",
            "response__customer__tier",
        )
    )
    for response_id, unit_id, reason, at, customer_id, tier in alerts.iterator():
        if response_id in seen or unit_id not in stores:
            continue
        seen.add(response_id)
        store = stores[unit_id]
        planned.append(
            _plan(
                rng,
                store,
                causes,
                "complaint",
                "survey",
                f"满意度回访预警：{reason}"[:200],
                at,
                customer_id,
                tier or "",
                response_id,
                severity="high",
                **context,
            )
        )
    # Walk-in and phone cases of every kind.
    for store in stores.values():
        rate = WALK_IN_PER_STORE_MONTH * (1.6 if store.weak else 1.0)
        for _ in range(int(rate * size.months)):
            at = first + timedelta(seconds=rng.uniform(0, (recent - first).total_seconds()))
            at = at.replace(hour=rng.randint(9, 17), minute=rng.randint(0, 59))
            if rng.random() < 0.7:
                factor = rng.choice(store.weak) if store.weak and rng.random() < 0.7 else None
                text = rng.choice(COMPLAINTS[factor or rng.choice(list(COMPLAINTS))])
                planned.append(
                    _plan(
                        rng,
                        store,
                        causes,
                        "complaint",
                        rng.choice(["walk_in", "phone"]),
                        text,
                        at,
                        **context,
                    )
                )
            else:
                kind, text = rng.choice(OTHER_KINDS)
                planned.append(_plan(rng, store, causes, kind, "phone", text, at, **context))
    planned.sort(key=lambda plan: plan["case"].opened_at)
    for start in range(0, len(planned), BATCH):
        _write(planned[start : start + BATCH])
    log(f"  {len(planned)} cases over {size.months} months")
    _open_now(rng, stores, now)


def _resolution_survey() -> None:
    """The complaint-resolution programme, asked by SMS after each resolution."""
    questionnaire = questionnaire_create(
        actor=None, code="resolution", name="投诉处理满意度回访", template="complaint_resolution"
    )
    version = questionnaire_publish(actor=None, questionnaire=questionnaire)
    programme = programme_create(
        actor=None,
        code="complaint-resolution",
        name="投诉处理满意度回访",
        version=version,
        units=list(Unit.objects.filter(parent=None)),
        channels=["sms"],
        trigger="manual",
    )
    ResurveySetting.objects.update_or_create(
        pk=1, defaults={"programme": programme, "channels": ["sms", "email"]}
    )


def _stores(size: "DemoSize") -> dict[int, _Store]:
    people: dict[tuple[int, str], int] = {}
    for pk, unit_id, role in Staff.objects.filter(
        role__in=[Role.CASE_HANDLER, Role.STORE_MANAGER, Role.REGION_MANAGER]
    ).values_list("pk", "unit_id", "role"):
        people.setdefault((unit_id, role), pk)
    found = {}
    for unit in Unit.objects.filter(level=UnitLevel.STORE):
        profile = store_profile(size.seed, unit.code)
        found[unit.pk] = _Store(
            unit=unit,
            quality=profile.quality,
            weak=profile.weak_factors,
            handler=people.get((unit.pk, Role.CASE_HANDLER)),
            manager=people.get((unit.pk, Role.STORE_MANAGER)),
            region_manager=people.get((unit.parent_id or 0, Role.REGION_MANAGER)),
        )
    return found


def _plan(
    rng: random.Random,
    store: _Store,
    causes: dict[str, int],
    kind: str,
    channel: str,
    text: str,
    at: datetime,
    customer_id: int | None = None,
    tier: str = "",
    response_id: int | None = None,
    severity: str = "normal",
    *,
    rules: deadlines.Rules,
    now: datetime,
) -> dict[str, Any]:
    """One historical case, resolved and closed, with what happened on the way."""
    case = Case(
        kind=kind,
        unit=store.unit,
        severity=severity,
        channel=channel,
        tier=tier,
        customer_id=customer_id,
        response_id=response_id,
        subject=text[:200],
        description=text,
        opened_at=at,
        clock_started_at=at,
        owner_id=store.handler,
        status="closed",
        step="review",
    )
    due = deadlines.compute(case, rules=rules, pauses=[])
    case.first_response_due, case.resolution_due = due.first_response, due.resolution
    slow = 1.0 + 0.35 * len(store.weak) - 0.15 * store.quality
    case.first_responded_at = _within(rng, at, due.first_response, slow)
    latest = now - timedelta(hours=6)
    case.first_responded_at = min(case.first_responded_at, latest)
    case.resolved_at = min(
        max(_within(rng, at, due.resolution, slow), case.first_responded_at), latest
    )
    case.closed_at = min(case.resolved_at + timedelta(hours=rng.uniform(2, 72)), now)
    plan: dict[str, Any] = {"case": case, "comp": None}
    if kind == "complaint":
        factor = rng.choice(store.weak) if store.weak and rng.random() < 0.7 else None
        side = "operation" if rng.random() < 0.1 else None
        code = side or (
            CAUSE_OF_FACTOR[factor] if factor else rng.choice(["product", "process", "staff"])
        )
        case.cause_id = causes.get(code)
        case.solution, case.root_cause = "致歉并重新处理", "流程执行不到位"
        case.prevention = "纳入班前会检查清单"
        if rng.random() < 0.25:
            comp_kind, low, high = rng.choice(GUARANTEE)
            amount = Decimal(rng.randrange(low, high, 10))
            approver = (
                store.handler
                if amount <= 200
                else (store.manager if amount <= 2000 else store.region_manager)
            )
            plan["comp"] = (comp_kind, amount, approver)
    return plan


def _within(rng: random.Random, start: datetime, due: datetime | None, slow: float) -> datetime:
    """When it was done: mostly well inside the deadline, later at slower stores."""
    if due is None:
        return start + timedelta(hours=4)
    share = rng.lognormvariate(-0.9, 0.6) * slow
    return start + (due - start) * min(share, 4.0)


@transaction.atomic
def _write(plans: list[dict[str, Any]]) -> None:
    for plan in plans:
        plan["case"].number = f"new-{uuid4().hex[:16]}"  # until the row has its id
    cases = Case.objects.bulk_create([plan["case"] for plan in plans])
    for case in cases:
        case.number = f"{timezone.localtime(case.opened_at):%Y%m%d}-{case.pk:05d}"
    Case.objects.bulk_update(cases, ["number"])
    entries, actions, money = [], [], []
    for plan, case in zip(plans, cases, strict=True):
        entries += _timeline(case)
        for deadline, due, done in (
            ("first_response", case.first_response_due, case.first_responded_at),
            ("resolution", case.resolution_due, case.resolved_at),
        ):
            if due and done and done > due:
                actions.append(
                    DeadlineAction(
                        case=case,
                        deadline=deadline,
                        due_at=due,
                        action="breach",
                        staff_id=case.owner_id,
                        escalated_to=case.unit,
                        created_at=due,
                    )
                )
        if plan["comp"]:
            kind, amount, approver = plan["comp"]
            money.append(
                Compensation(
                    case=case,
                    unit=case.unit,
                    kind=kind,
                    amount=amount,
                    status="given",
                    proposed_by_id=case.owner_id,
                    decided_by_id=approver,
                    decided_at=case.first_responded_at,
                    given_at=case.resolved_at,
                    created_at=case.first_responded_at,
                )
            )
    CaseEntry.objects.bulk_create(entries)
    DeadlineAction.objects.bulk_create(actions)
    Compensation.objects.bulk_create(money)


def _timeline(case: Case) -> list[CaseEntry]:
    """The seven steps, spread between opening and closing."""
    opened, answered = case.opened_at, case.first_responded_at
    resolved, closed = case.resolved_at, case.closed_at
    assert answered and resolved and closed
    middle = answered + (resolved - answered) / 3
    steps = [
        ("step", "record", opened, case.description),
        ("reply", "acknowledge", answered, "您好，非常抱歉给您带来不便，我们会尽快处理。"),
    ]
    if case.kind == "complaint":
        steps += [
            ("step", "analyse", middle, "已核实情况"),
            ("step", "propose", middle, case.solution),
            ("step", "approve", middle, "权限内批准"),
            ("reply", "carry_out", resolved, "已处理完毕，感谢您的耐心。"),
            ("step", "review", closed, f"{case.root_cause}\n{case.prevention}"),
        ]
    else:
        steps.append(("reply", "", resolved, "已答复"))
    return [
        CaseEntry(
            case=case,
            kind=kind,
            step=step,
            author_id=case.owner_id if step != "record" else None,
            body=body,
            created_at=at,
        )
        for kind, step, at, body in steps
    ]


def _open_now(rng: random.Random, stores: dict[int, _Store], now: datetime) -> None:
    """Cases opened in the last hours: the handlers' queues today."""
    for store in list(stores.values())[:6]:
        # Customers the store served lately, so a reply reaches someone.
        served = list(
            ServiceEvent.objects.filter(unit=store.unit, customer__isnull=False)
            .order_by("-closed_at")
            .values_list("customer_id", flat=True)[:3]
        )
        for number, hours in enumerate((1, 3, 20)):
            text = rng.choice(COMPLAINTS[rng.choice(list(COMPLAINTS))])
            case = case_open(
                actor=None,
                kind="complaint",
                unit=store.unit,
                subject=text,
                description=text,
                channel=rng.choice(["walk_in", "phone"]),
                owner=Staff.objects.filter(pk=store.handler).first(),
                customer=Customer.objects.filter(pk__in=served[number : number + 1]).first(),
                opened_at=now - timedelta(hours=hours),
            )
            if hours == 20 and case.owner:
                case_reply(actor=case.owner, case=case, body="非常抱歉，我们正在核实。")
