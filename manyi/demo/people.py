"""The demo's people: headquarters' three cards (service advisors, case handlers, stores),
praise cases naming the advisor praised — the more skilled the more often — and three
advisors hired last month whose handful of lucky answers would top any list of raw
means, though their skill is only their store's. Then this and last month's and
quarter's cards, the last quarter reviewed and closed."""

import math
import random
from collections.abc import Callable
from datetime import datetime, time, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING

from django.utils import timezone

from manyi.analytics.periods import month_shift
from manyi.analytics.services import BATCH, rollups_fold
from manyi.cases.models import Case, CaseKind
from manyi.demo.structure import advisor_skill, store_profile
from manyi.improve.models import Standard
from manyi.org.models import Position, Role, Staff, Unit, UnitLevel
from manyi.people.models import (
    EmployeeSurvey,
    PeriodKind,
    Scorecard,
    ScorecardPeriod,
    TrainingAssignment,
    TrainingStatus,
)
from manyi.people.selectors.training import training_proposals
from manyi.people.services.awards import nomination_decide, nomination_make
from manyi.people.services.employee import employee_answer_submit, employee_survey_start
from manyi.people.services.scorecards import (
    MeasureRule,
    period_bounds,
    period_close,
    periods_ensure,
    scorecards_compute,
    template_save,
)
from manyi.people.services.training import course_save, training_assign
from manyi.surveys.models import Programme
from manyi.surveys.services import questionnaire_create, questionnaire_publish
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
    running = periods_ensure(today)
    quarter_start = next(p for p in running if p.kind == PeriodKind.QUARTER).start
    earlier = []  # the months of the last quarter and since, for their points
    month = quarter_start
    while month < running[0].start:
        first, last = period_bounds(PeriodKind.MONTH, month)
        earlier.append(ScorecardPeriod.objects.get_or_create(
            kind=PeriodKind.MONTH, start=first, defaults={"end": last})[0])  # fmt: skip
        month = month_shift(month, 1)
    for period in [*earlier, *running]:
        made += scorecards_compute(period=period, today=today)
    last_quarter = next(p for p in periods_ensure(today) if p.kind == PeriodKind.QUARTER)
    for month in earlier:  # reviewed: the quarter's months, and the month since
        period_close(actor=hq, period=month)
    period_close(actor=hq, period=last_quarter)
    awarded = _awards(hq, last_quarter)
    log(f"  {made} cards; {last_quarter} reviewed and closed, {awarded} awarded")
    trained = _training(size, hq)
    log(f"  {trained} courses in the advisors' training plans")
    answered = _employee_survey(size, hq)
    log(f"  {answered} staff answered the employee survey")


COURSES = [
    ("接待礼仪与三件套", "Reception and protective covers", 4, ["SA1", "factor:service_advisor"],
     ["reception-08", "reception-09", "repair-25"]),
    ("开工前解释与报价", "Explaining the work and the quote", 6, ["SA2"],
     ["diagnosis-14", "diagnosis-15", "delivery-29"]),
    ("交车与验车", "Handing the car over", 3, ["VP3", "factor:vehicle_pickup"],
     ["delivery-28", "delivery-31", "delivery-32"]),
    ("维修进度沟通", "Keeping the customer told of progress", 2, ["SQ1"], ["repair-23"]),
    ("预约与提醒", "Booking and reminders", 3, ["SI1", "factor:service_initiation"],
     ["booking-01", "booking-02", "booking-03"]),
]  # fmt: skip


def _training(size: "DemoSize", hq: Staff) -> int:
    """The course catalogue; the weakest-ranked advisors of last quarter given the first
    course proposed for them — trained five months ago and signed off for half of them,
    due this month for the rest, a few overdue."""
    standards = {s.code: s for s in Standard.objects.all()}
    courses = [
        course_save(actor=hq, title=title, title_en=english, hours=Decimal(hours), items=items,
                    standards=[standards[c] for c in codes if c in standards])
        for title, english, hours, items, codes in COURSES
    ]  # fmt: skip
    rng = random.Random(f"{size.seed}:training")
    admin = Staff.objects.get(username="admin")
    today = timezone.localdate()
    weakest = (Scorecard.objects.filter(period__kind=PeriodKind.QUARTER, period__end__lt=today,
                                        template__subject="staff", rank__isnull=False)
               .select_related("staff__unit").order_by("-period__start", "-rank")[:24])  # fmt: skip
    made = 0
    for number, card in enumerate(weakest):
        store = card.staff.unit.parent or card.staff.unit
        manager = Staff.objects.filter(role=Role.STORE_MANAGER, unit=store).first() or admin
        proposals = training_proposals(card.staff, today=today)
        course = proposals[0].course if proposals else courses[number % len(courses)]
        reason = proposals[0].reasons[0][0] if proposals else ""
        due = today + timedelta(days=rng.randint(5, 40))
        plan = training_assign(actor=manager, staff=card.staff, course=course, due_on=due,
                               reason=reason)  # fmt: skip
        if number % 2 == 0:  # trained five months ago
            attended = today - timedelta(days=150 + rng.randint(0, 20))
            TrainingAssignment.objects.filter(pk=plan.pk).update(
                status=TrainingStatus.SIGNED_OFF, assigned_at=timezone.now() - timedelta(days=180),
                due_on=attended + timedelta(days=5), attended_on=attended,
                signed_off_by=manager, signed_off_at=timezone.now() - timedelta(days=140),
            )  # fmt: skip
        elif number % 5 == 1:  # overdue
            TrainingAssignment.objects.filter(pk=plan.pk).update(
                assigned_at=timezone.now() - timedelta(days=40),
                due_on=today - timedelta(days=rng.randint(2, 10)),
            )  # fmt: skip
        made += 1
    return made


def _employee_survey(size: "DemoSize", hq: Staff) -> int:
    """Last month's anonymous employee survey of the whole network, closed: about three
    in four answered, more satisfied where the store serves its customers better."""
    version = questionnaire_publish(actor=hq, questionnaire=questionnaire_create(
        actor=hq, code="employee", name="员工满意度", template="employee"))  # fmt: skip
    today = timezone.localdate()
    started = employee_survey_start(
        actor=hq, title=f"{today.year} 年度员工满意度调查", version=version, opens_on=today,
        closes_on=today + timedelta(days=21), units=list(Unit.objects.filter(parent=None)),
    )  # fmt: skip
    rng = random.Random(f"{size.seed}:employee")
    definition = definition_of(version.pk)
    words = ["希望增加技术培训", "排班可以更合理", "团队氛围很好", "工具设备需要更新",
             "绩效考核更透明一些", "感谢店长的支持"]  # fmt: skip
    stores = {u.pk: u for u in Unit.objects.filter(level=UnitLevel.STORE)}
    answered = 0
    for person in Staff.objects.filter(pk__in=started.tokens).select_related("unit"):
        if rng.random() > 0.75:
            continue
        store = person.unit if person.unit_id in stores else person.unit.parent
        mood = 0.0
        if store is not None and store.pk in stores:
            mood = 0.9 * store_profile(size.seed, store.code).quality
        answers: dict[str, object] = {}
        for item in definition.items:
            if item.type == "rating" and item.scale:
                point = round(3.6 + mood + rng.gauss(0, 0.8))
                answers[item.code] = min(max(point, item.scale.min), item.scale.max)
            elif item.type == "nps":
                answers[item.code] = min(max(round(7 + 2 * mood + rng.gauss(0, 1.5)), 0), 10)
        if rng.random() < 0.15:
            answers["SUGGEST"] = rng.choice(words)
        employee_answer_submit(token=started.tokens[person.pk], answers=answers)
        answered += 1
    # The survey ran last month and has closed, so its results can be read.
    EmployeeSurvey.objects.filter(pk=started.survey.pk).update(
        opens_on=today - timedelta(days=30), closes_on=today - timedelta(days=9)
    )
    return answered


def _awards(hq: Staff, quarter: ScorecardPeriod) -> int:
    """Each region manager puts forward their region's best-ranked advisor of the
    quarter; headquarters awards the two best of them and the best store."""
    cards = Scorecard.objects.filter(period=quarter, version=quarter.version,
                                     rank__isnull=False)  # fmt: skip
    nominated = []
    for manager in Staff.objects.filter(role=Role.REGION_MANAGER, is_active=True):
        best = (cards.filter(template__applies_to=Role.ADVISOR,
                             unit__path__startswith=manager.unit.path)
                .order_by("rank").first())  # fmt: skip
        if best is not None:
            nominated.append(nomination_make(actor=manager, card=best,
                                             reason="本季度客户评价稳居前列"))  # fmt: skip
    store = cards.filter(template__subject="unit").order_by("rank").first()
    if store is not None:
        nominated.append(nomination_make(actor=hq, card=store, reason="各项指标均衡领先"))
    nominated.sort(key=lambda n: (n.category != "staff", n.card.rank))
    winners = nominated[:2] + [n for n in nominated if n.category == "store"][:1]
    for nomination in nominated:
        nomination_decide(actor=hq, nomination=nomination, award=nomination in winners)
    return len(winners)


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
                      MeasureRule("deadlines_missed", 20, 4, 0, 1),
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
