"""The demo's targets and improvement actions: HQ sets each region a CSI target for the
half-year and each region manager sets their stores'; the planted stories' stores act
(``structure.action_stories``) — one action really fixes its weak factor, one does
nothing, one store recovers from a bad month by itself, one action runs overdue and is
escalated — and the first store has an action in hand from its complaints."""

from collections.abc import Callable
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING

from django.utils import timezone

from manyi.analytics.cells import variables
from manyi.analytics.periods import month_shift
from manyi.analytics.selectors import unit_summaries
from manyi.demo.structure import TRIGGER_AGO, action_stories
from manyi.improve.models import ActionPlan
from manyi.improve.overdue import actions_overdue_sweep
from manyi.improve.services.actions import (
    action_close,
    action_note_add,
    action_open,
    action_task_add,
    action_task_done,
)
from manyi.improve.services.targets import target_set
from manyi.org.models import Role, Staff, Unit
from manyi.surveys.models import Programme
from manyi.surveys.versions import definition_of

if TYPE_CHECKING:
    from manyi.demo.network import DemoSize

WHAT = {
    "worked": ("在每个工位落实维修前的项目说明和三件套", ["培训服务顾问", "每周抽查十台车"]),
    "nothing": ("张贴服务承诺海报", ["设计并张贴海报"]),
    "recovered": ("整顿上月交车延误", ["复盘上月延误的工单", "交车前电话确认"]),
    "overdue": ("改造客户休息区", ["确定供应商", "完成施工"]),
}


def _moment(month: date, day: int) -> datetime:
    return timezone.make_aware(datetime(month.year, month.month, day, 10))


def _figure(version_id: int, units: list[int], months: list[date], variable: str) -> dict:
    column = variables(definition_of(version_id)).index(variable)
    sums = unit_summaries(version_id=version_id, months=months, unit_ids=units)
    return {unit: sums[unit][1, column] / sums[unit][0, column] for unit in units
            if sums[unit][0, column]}  # fmt: skip


def _targets(csi: Programme, this_month: date) -> None:
    """A half-year target on the CSI index: a little above each unit's last half-year."""
    since, until = month_shift(this_month, -2), month_shift(this_month, 3)
    before = [month_shift(since, -k) for k in range(6, 0, -1)]
    hq = Staff.objects.get(username="hq")
    regions = list(Unit.objects.filter(level="region").order_by("code"))
    figures = _figure(csi.version_id, [r.pk for r in regions], before, "@index")
    for region in regions:
        if region.pk in figures:
            value = Decimal(round(figures[region.pk] + 10))
            target_set(actor=hq, programme=csi, unit=region, variable="@index", since=since,
                       until=until, value=value)  # fmt: skip
        manager = Staff.objects.filter(unit=region, role=Role.REGION_MANAGER).first() or hq
        stores = list(Unit.objects.filter(parent=region, level="store"))
        store_figures = _figure(csi.version_id, [s.pk for s in stores], before, "@index")
        for store in stores:
            if store.pk in store_figures:
                value = Decimal(round(max(store_figures[store.pk] + 15, 780)))
                target_set(actor=manager, programme=csi, unit=store, variable="@index",
                           since=since, until=until, value=value)  # fmt: skip


def _manager(store: Unit) -> Staff:
    return Staff.objects.filter(unit=store, role=Role.STORE_MANAGER).order_by("pk").first()


def _act(kind: str, figure: str, store: Unit, csi: Programme, trigger: date) -> ActionPlan:
    """The story's action, opened early in the month after the trigger and worked."""
    manager = _manager(store)
    title, tasks = WHAT[kind]
    opened_in = month_shift(trigger, 1 if kind != "overdue" else 2)
    due = date(opened_in.year, opened_in.month, 24)
    if kind == "overdue":
        due = month_shift(opened_in, 1).replace(day=12)
    plan = action_open(
        actor=manager, unit=store, title=title, owner=manager, source="shortfall",
        why=f"{trigger:%Y-%m} 的短板", evidence={"month": f"{trigger:%Y-%m}", "figure": figure},
        due_on=due, programme=csi, variable=figure, expected_change=Decimal(40),
        trigger_month=trigger, now=_moment(opened_in, 3),
    )  # fmt: skip
    for number, task_title in enumerate(tasks):
        task = action_task_add(actor=manager, plan=plan, title=task_title,
                               due_on=_moment(opened_in, 10 + 7 * number).date(),
                               now=_moment(opened_in, 3))  # fmt: skip
        if kind != "overdue" or number == 0:
            action_task_done(actor=manager, task=task, now=_moment(opened_in, 9 + 7 * number))
    action_note_add(actor=manager, plan=plan, text="已完成第一项任务", now=_moment(opened_in, 12))
    if kind != "overdue":
        action_close(actor=manager, plan=plan, status="done", now=_moment(opened_in, 22))
    return plan


def build_actions(size: "DemoSize", log: Callable[[str], None]) -> None:
    log("Setting targets and planting improvement actions…")
    csi = Programme.objects.get(code="csi-follow-up")
    this_month = size.until.replace(day=1)
    end = timezone.make_aware(datetime.combine(size.until, datetime.min.time()))
    _targets(csi, this_month)
    stores = {unit.code: unit for unit in Unit.objects.filter(level="store")}
    trigger = month_shift(this_month, -TRIGGER_AGO)
    for code, story in sorted(action_stories(size.seed, list(stores)).items()):
        plan = _act(story.kind, story.figure, stores[code], csi, trigger)
        if story.kind == "overdue":
            # Warned at 80 % of its time, escalated to the region when the day was over.
            actions_overdue_sweep(now=plan.next_check_at)
            actions_overdue_sweep(now=end)
    first = stores[min(stores)]
    manager = _manager(first)
    action_open(
        actor=manager, unit=first, title="减少交车等待投诉", owner=manager, source="complaints",
        why="近三个月交车等待类投诉反复出现", due_on=size.until + timedelta(days=21),
        now=end - timedelta(days=5),
    )  # fmt: skip
    log(f"  {ActionPlan.objects.count()} actions")
