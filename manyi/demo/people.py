"""The demo's people: headquarters' three cards (service advisors, case handlers, stores),
praise cases naming the advisor praised — the more skilled the more often — and three
advisors hired last month whose handful of lucky answers would top any list of raw
means, though their skill is only their store's. Then this and last month's and
quarter's cards, the last quarter reviewed and closed."""

import math
import random
from collections.abc import Callable
from datetime import datetime, time, timedelta
from typing import TYPE_CHECKING

from django.utils import timezone

from manyi.analytics.services import BATCH, rollups_fold
from manyi.cases.models import Case, CaseKind
from manyi.demo.structure import advisor_skill
from manyi.org.models import Position, Role, Staff, Unit, UnitLevel
from manyi.people.models import PeriodKind
from manyi.people.services.scorecards import (
    MeasureRule,
    period_close,
    periods_ensure,
    scorecards_compute,
    template_save,
)
from manyi.surveys.models import Programme
from manyi.surveys.services.responses import create_scored
from manyi.surveys.versions import definition_of

if TYPE_CHECKING:
    from manyi.demo.network import DemoSize

NEW_HIRES = ["新员工 林晓", "新员工 周航", "新员工 吴桐"]


def build_people(size: "DemoSize", log: Callable[[str], None]) -> None:
    log("Setting the scorecards and computing the months' and quarters' cards…")
    hq = Staff.objects.get(username="hq")
    programme = Programme.objects.filter(version__questionnaire__code="csi").first()
    programme = programme or Programme.objects.order_by("pk").first()
    _cards(hq, programme)
    _name_praise(size)
    _new_hires(size, programme)
    while rollups_fold() == BATCH:
        pass
    today = timezone.localdate()
    made = 0
    for period in periods_ensure(today):
        made += scorecards_compute(period=period, today=today)
    last_quarter = next(p for p in periods_ensure(today) if p.kind == PeriodKind.QUARTER)
    period_close(actor=hq, period=last_quarter)
    log(f"  {made} cards; {last_quarter} reviewed and closed")


def _cards(hq: Staff, programme: Programme | None) -> None:
    minimum = programme.min_n_staff if programme else 10
    template_save(actor=hq, name="服务顾问绩效卡", subject="staff", applies_to=Role.ADVISOR,
                  position=Position.SERVICE_ADVISOR, programme=programme, rules=[
                      MeasureRule("csi", 50, 700, 900, minimum),
                      MeasureRule("nps", 15, 0, 60, minimum),
                      MeasureRule("first_time_fix", 25, 0.8, 0.97, 10),
                      MeasureRule("praise", 10, 0, 2, 0),
                  ])  # fmt: skip
    template_save(actor=hq, name="客服专员绩效卡", subject="staff",
                  applies_to=Role.CASE_HANDLER, programme=programme, rules=[
                      MeasureRule("deadlines_kept", 40, 0.7, 0.98, 5),
                      MeasureRule("deadlines_missed", 20, 4, 0, 0),
                      MeasureRule("callbacks", 40, 0.6, 0.95, 10),
                  ])  # fmt: skip
    template_save(actor=hq, name="门店绩效卡", subject="unit", applies_to=UnitLevel.STORE,
                  programme=programme, rules=[
                      MeasureRule("csi", 40, 700, 900, programme.min_n_unit if programme else 30),
                      MeasureRule("callbacks", 15, 0.6, 0.95, 20),
                      MeasureRule("deadlines_kept", 15, 0.7, 0.98, 10),
                      MeasureRule("inspections", 15, 60, 95, 1),
                      MeasureRule("first_time_fix", 15, 0.8, 0.97, 20),
                  ])  # fmt: skip


def _name_praise(size: "DemoSize") -> None:
    """Each praise case names one of its store's service advisors, drawn with weights
    that grow with skill."""
    rng = random.Random(f"{size.seed}:praise")
    advisors: dict[int, list[Staff]] = {}
    for staff in Staff.objects.filter(position=Position.SERVICE_ADVISOR, is_active=True):
        store = staff.unit.parent_id if staff.unit.level == UnitLevel.DEPARTMENT else staff.unit_id
        advisors.setdefault(store, []).append(staff)
    cases = list(Case.objects.filter(kind=CaseKind.PRAISE).select_related("unit"))
    for case in cases:
        team = advisors.get(case.unit_id) or advisors.get(case.unit.parent_id) or []
        if team:
            weights = [math.exp(advisor_skill(size.seed, s.code or "")) for s in team]
            case.staff = rng.choices(team, weights=weights)[0]
    Case.objects.bulk_update(cases, ["staff"])


def _new_hires(size: "DemoSize", programme: Programme | None) -> None:
    """Three advisors who started last month, each with four answers near the top of
    the scale: a raw mean that would top any list, from too few to rank."""
    if programme is None:
        return
    rng = random.Random(f"{size.seed}:new-hires")
    definition = definition_of(programme.version_id)
    rated = [item for item in definition.items if item.type in ("rating", "nps")]
    today = timezone.localdate()
    last_month = (today.replace(day=1) - timedelta(days=1)).replace(day=1)
    stores = list(Unit.objects.filter(level=UnitLevel.STORE).order_by("code"))[1:12:4]
    for number, (name, store) in enumerate(zip(NEW_HIRES, stores, strict=False), start=1):
        department = store.children.filter(kind="service_department").first() or store
        staff = Staff.objects.create(
            username=f"newhire{number}", full_name=name, unit=department, role=Role.ADVISOR,
            position=Position.SERVICE_ADVISOR, code=f"{store.code}-N{number}",
            hired_on=last_month,
        )  # fmt: skip
        staff.set_unusable_password()
        staff.save(update_fields=["password"])
        for day in rng.sample(range(3, 26), 4):
            answers = {
                item.code: (item.scale.max if rng.random() < 0.85 else item.scale.max - 1)
                if item.type == "rating" and item.scale else rng.choice([9, 10])
                for item in rated
            }  # fmt: skip
            create_scored(
                version_id=programme.version_id, answers=answers, unit_id=department.pk,
                channel="import", staff_id=staff.pk,
                submitted_at=timezone.make_aware(datetime.combine(last_month.replace(day=day),
                                                                  time(15))),
            )  # fmt: skip
