"""The demo's checks: a year of monthly self-inspections by the store managers, quarterly
surprise inspections by the region managers, and quarterly mystery shops by an agency of
every store and of one competitor's. Failures follow the hidden truth: a store weak on a
factor fails the standards measured by that factor's items, weaker stores fail more, and
across the network keeping the customer told of progress fails most (responsiveness, the
network's shortfall)."""

import math
import random
import uuid
from collections.abc import Callable
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING

from django.utils import timezone

from manyi.analytics.periods import month_shift
from manyi.demo.structure import store_profile
from manyi.improve.models import Checklist, Inspection, Standard
from manyi.improve.services.checklists import checklist_save, competitor_save
from manyi.improve.services.inspections import (
    Given,
    answer_to_action,
    inspection_record,
    inspections_schedule,
    surprise_draw,
)
from manyi.improve.services.mystery import mystery_shop_order, mystery_shop_record
from manyi.org.models import Role, Staff, Unit

if TYPE_CHECKING:
    from manyi.demo.network import DemoSize

FACTOR_OF_ITEM = {
    "SI": "service_initiation", "SA": "service_advisor", "SF": "service_facility",
    "VP": "vehicle_pickup", "SQ": "service_quality",
}  # fmt: skip
NETWORK_WEAK = "进度有变化时主动告知客户"
SHOPPED = [
    "预约电话三声之内接听", "按客户方便的时间预约，提供至少两个时段", "客户到店 2 分钟内有人接待",
    "微笑问候并自我介绍", "当着客户的面铺好座椅套、方向盘套、脚垫（三件套）",
    "环车检查并与客户确认车况", "休息区干净，座位充足", "开工前向客户解释要做的项目",
    "开工前给出书面报价并经客户确认", "告知预计交车时间", NETWORK_WEAK, "按约定时间交车",
    "逐项解释结算单，费用与报价一致", "陪同客户验车并解答问题",
]  # fmt: skip
SCORED = {"接待区整洁、有明确指引", "休息区干净，座位充足", "工位整洁，工具定置"}
BASE = {"basic": 0.04, "performance": 0.08, "motivation": 0.12}
SCENARIO = (
    "以车主身份电话预约 1 万公里保养，到店后询问刹车异响；观察接待、报价与交车全过程，"
    "结算后拍下结算单。"
)


def _titles() -> dict[str, Standard]:
    return {s.versions.all()[0].title: s for s in Standard.objects.prefetch_related("versions")}


def _checklists(hq: Staff) -> tuple[Checklist, Checklist]:
    standards = _titles()
    observed = [s for s in standards.values() if s.step.code not in ("booking", "follow-up")]
    store = checklist_save(
        actor=hq, name="门店服务标准检查表", name_en="Store standards checklist",
        standards=observed, scored=[standards[t] for t in SCORED],
    )  # fmt: skip
    shop = checklist_save(
        actor=hq, name="神秘顾客检查表", name_en="Mystery shop checklist",
        standards=[standards[title] for title in SHOPPED],
    )  # fmt: skip
    return store, shop


def _chance(standard: Standard, store: Unit | None, seed: int) -> float:
    """The chance ``store`` (None: the competitor's, a steady one) fails ``standard``."""
    version = standard.versions.all()[0]
    if store is None:
        return BASE[standard.standard_class]
    profile = store_profile(seed, store.code)
    factors = {FACTOR_OF_ITEM.get(item[:2]) for item in version.items}
    if factors & set(profile.weak_factors):
        return 0.5
    if version.title == NETWORK_WEAK:
        return 0.3
    return min(0.4, BASE[standard.standard_class] * math.exp(-0.6 * profile.quality))


def _answers(checklist: Checklist, store: Unit | None, seed: int, rng: random.Random) -> dict:
    answers = {}
    for item in checklist.items.select_related("standard").prefetch_related("standard__versions"):
        fails = rng.random() < _chance(item.standard, store, seed)
        if item.points:
            result = str(rng.choice([1, 2]) if fails else rng.choice([3, 4, 5, 5]))
        else:
            result = "no" if fails else ("na" if rng.random() < 0.02 else "yes")
        note = "现场未做到" if fails and rng.random() < 0.4 else ""
        answers[item.standard_id] = Given(result=result, note=note)
    return answers


def _at(day: date, hour: int) -> datetime:
    return timezone.make_aware(datetime.combine(day, datetime.min.time()) + timedelta(hours=hour))


def _key(rng: random.Random) -> uuid.UUID:
    return uuid.UUID(int=rng.getrandbits(128), version=4)


def build_inspections(size: "DemoSize", log: Callable[[str], None]) -> None:
    log("Inspecting the stores and sending mystery shoppers…")
    rng = random.Random(f"{size.seed}:inspections")
    hq = Staff.objects.get(username="hq")
    store_list, shop_list = _checklists(hq)
    stores = list(Unit.objects.filter(level="store").order_by("code"))
    managers = {s.unit_id: s for s in Staff.objects.filter(role=Role.STORE_MANAGER).order_by("-pk")}
    regions = {s.unit_id: s for s in Staff.objects.filter(role=Role.REGION_MANAGER).order_by("-pk")}
    rival = competitor_save(actor=hq, name="宏达丰田 4S 店", brand="丰田", near=stores[0])
    this_month = size.until.replace(day=1)
    for back in range(12, 0, -1):
        month = month_shift(this_month, -back)
        planned = month.replace(day=10)
        made = inspections_schedule(actor=hq, checklist=store_list, units=stores,
                                    planned_for=planned, now=_at(month, 8))  # fmt: skip
        for inspection in made:
            inspection_record(
                actor=managers[inspection.unit_id], inspection=inspection,
                answers=_answers(store_list, inspection.unit, size.seed, rng),
                submission_key=_key(rng), now=_at(planned, 15),
            )  # fmt: skip
        if back % 3 == 0:
            for region_id, manager in regions.items():
                region = Unit.objects.get(pk=region_id)
                within = sum(1 for store in stores if store.parent_id == region_id)
                if not within:
                    continue
                draw = surprise_draw(
                    actor=manager, checklist=store_list, scope=region, month=month,
                    count=min(2, within), inspector=manager, seed=rng.getrandbits(32),
                    now=_at(month, 8),
                )  # fmt: skip
                for inspection in draw.inspections.select_related("unit"):
                    inspection_record(
                        actor=manager, inspection=inspection,
                        answers=_answers(store_list, inspection.unit, size.seed, rng),
                        submission_key=_key(rng), now=_at(inspection.planned_for, 16),
                    )  # fmt: skip
            for store in [*stores, None]:
                visit = month.replace(day=18)
                _shop, token = mystery_shop_order(
                    actor=hq, checklist=shop_list, planned_for=visit, agency="明察咨询",
                    scenario=SCENARIO, unit=store, competitor=None if store else rival,
                    now=_at(month, 9),
                )  # fmt: skip
                mystery_shop_record(
                    token=token, submission_key=_key(rng), now=_at(visit, 17),
                    answers=_answers(shop_list, store, size.seed, rng),
                )  # fmt: skip
    # What waits now: this month's self-inspections, a surprise draw the stores cannot
    # see, and a mystery shop ordered but not yet made.
    now = timezone.make_aware(datetime.combine(size.until, datetime.min.time()))
    upcoming = max(size.until + timedelta(days=2), this_month.replace(day=10))
    inspections_schedule(actor=hq, checklist=store_list, units=stores,
                         planned_for=upcoming, now=now)  # fmt: skip
    first_region = next(iter(regions.values()))
    within = sum(1 for store in stores if store.parent_id == first_region.unit_id)
    if within:
        surprise_draw(actor=first_region, checklist=store_list, scope=first_region.unit,
                      month=month_shift(this_month, 1), count=min(2, within),
                      inspector=first_region, seed=rng.getrandbits(32), now=now)  # fmt: skip
    mystery_shop_order(actor=hq, checklist=shop_list, planned_for=upcoming, agency="明察咨询",
                       scenario=SCENARIO, unit=stores[-1], now=now)  # fmt: skip
    _follow_up(stores[0], managers[stores[0].pk], now)
    log(f"  {Inspection.objects.filter(status='done').count()} checks carried out")


def _follow_up(store: Unit, manager: Staff, now: datetime) -> None:
    """The first store's manager has just turned last month's first failure into an
    action."""
    last = Inspection.objects.filter(unit=store, status="done", kind="scheduled").first()
    failed = last.answers.filter(passed=False).first() if last else None
    if failed is not None:
        answer_to_action(actor=manager, answer=failed, now=now)
