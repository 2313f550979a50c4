"""What the checks found, in the user's part over a period: the share of marks per unit
and service step, the score month by month, the standards most often failed (a Pareto),
and our stores beside the competitors' on the same checklist. Staff inspections and
mystery shops are never mixed: each reader asks for one or the other."""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import (
    Avg,
    Case,
    Count,
    ExpressionWrapper,
    FloatField,
    Q,
    QuerySet,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Cast, TruncMonth

from manyi.improve.models import (
    Competitor,
    Inspection,
    InspectionAnswer,
    InspectionKind,
    InspectionStatus,
    ServiceStep,
    Standard,
)
from manyi.improve.selectors.inspections import inspection_list
from manyi.org.models import Unit

# The marks an answer earned, 0–1: a yes 1, a no 0, a score its share of the points.
EARNED = Case(
    When(passed__isnull=True, then=Value(0.0)),
    When(points=0, passed=True, then=Value(1.0)),
    When(points=0, then=Value(0.0)),
    default=ExpressionWrapper(
        Cast("score", FloatField()) / Cast("points", FloatField()), output_field=FloatField()
    ),
    output_field=FloatField(),
)
APPLIED = Q(passed__isnull=False)


def done_checks(
    user: Any, *, mystery: bool, since: date, until: date, unit: int | None = None
) -> QuerySet[Inspection]:
    """Our units' checks carried out in the period: mystery shops or staff inspections."""
    found = inspection_list(
        user, status=InspectionStatus.DONE, unit=unit, since=since, until=until,
        kind=InspectionKind.MYSTERY if mystery else "inspections",
    )  # fmt: skip
    return found.filter(competitor__isnull=True)


def _answers(checks: QuerySet[Inspection]) -> QuerySet[InspectionAnswer]:
    return InspectionAnswer.objects.filter(inspection__in=checks.order_by().values("pk")).order_by()


@dataclass(frozen=True)
class ParetoRow:
    standard: Standard
    title: str
    failed: int
    checked: int
    cumulative: float  # share of all failures up to and including this standard

    @property
    def rate(self) -> float:
        return self.failed / self.checked if self.checked else 0.0


def failure_pareto(checks: QuerySet[Inspection], *, most: int = 20) -> tuple[list[ParetoRow], int]:
    """The standards failed most often, with how often each was checked, and the share
    of all failures they add up to; and the count of all failures."""
    counted = (
        _answers(checks)
        .values("standard")
        .annotate(failed=Count("pk", filter=Q(passed=False)), checked=Count("pk", filter=APPLIED))
        .filter(failed__gt=0)
        .order_by("-failed", "standard")
    )
    rows = list(counted)
    total = sum(row["failed"] for row in rows)
    standards = (
        Standard.objects.select_related("step")
        .prefetch_related("versions")
        .in_bulk([row["standard"] for row in rows[:most]])
    )
    found, running = [], 0
    for row in rows[:most]:
        running += row["failed"]
        standard = standards[row["standard"]]
        found.append(ParetoRow(
            standard=standard, title=standard.versions.all()[0].title, failed=row["failed"],
            checked=row["checked"], cumulative=running / total,
        ))  # fmt: skip
    return found, total


@dataclass(frozen=True)
class UnitSteps:
    unit: Any
    checks: int
    score: float | None  # mean check score, 0–100
    cells: list[float | None]  # share of marks per step (as the steps given), 0–100


def step_grid(checks: QuerySet[Inspection]) -> tuple[list[ServiceStep], list[UnitSteps]]:
    """Per unit checked: its mean score and the share of marks per service step, the
    weakest unit first; and the steps that appear, in the order of the cycle."""
    marks = (
        _answers(checks)
        .filter(APPLIED)
        .values("inspection__unit", "standard__step")
        .annotate(earned=Sum(EARNED), applied=Count("pk"))
    )
    by_unit: dict[int, dict[int, float]] = defaultdict(dict)
    for row in marks:
        by_unit[row["inspection__unit"]][row["standard__step"]] = round(
            100 * row["earned"] / row["applied"], 1
        )
    scores = {
        row["unit"]: row
        for row in checks.order_by().values("unit").annotate(n=Count("pk"), mean=Avg("score"))
    }
    units = Unit.objects.in_bulk(list(scores))
    step_ids = {step for steps in by_unit.values() for step in steps}
    steps = list(ServiceStep.objects.filter(pk__in=step_ids))
    rows = [
        UnitSteps(
            unit=units[pk], checks=row["n"],
            score=round(row["mean"], 1) if row["mean"] is not None else None,
            cells=[by_unit.get(pk, {}).get(step.pk) for step in steps],
        )
        for pk, row in scores.items()
    ]  # fmt: skip
    rows.sort(key=lambda row: (row.score is None, row.score or 0, row.unit.name))
    return steps, rows


def monthly_scores(checks: QuerySet[Inspection]) -> list[tuple[date, float, int]]:
    """(month, mean score, checks) for each month with a check."""
    return [
        (row["month"], round(row["mean"], 1), row["n"])
        for row in checks.filter(score__isnull=False)
        .annotate(month=TruncMonth("planned_for"))
        .values("month")
        .annotate(mean=Avg("score"), n=Count("pk"))
        .order_by("month")
    ]  # fmt: skip


@dataclass(frozen=True)
class Rival:
    competitor: Any
    theirs: float | None
    their_shops: int
    ours: float | None
    our_shops: int


def competitor_comparison(
    user: Any, *, since: date, until: date, unit: int | None = None
) -> list[Rival]:
    """Each competitor store mystery-shopped in the period beside the store it is
    compared with, on the same checklists."""
    shops = inspection_list(
        user, kind=InspectionKind.MYSTERY, status=InspectionStatus.DONE, unit=unit,
        since=since, until=until,
    ).filter(score__isnull=False)  # fmt: skip
    theirs = list(
        shops.filter(competitor__isnull=False)
        .order_by()
        .values("competitor", "unit", "checklist")
        .annotate(mean=Avg("score"), n=Count("pk"))
    )
    named = Competitor.objects.select_related("near").in_bulk([row["competitor"] for row in theirs])
    rivals = []
    for row in theirs:
        ours = shops.filter(
            competitor__isnull=True, unit=row["unit"], checklist=row["checklist"]
        ).aggregate(mean=Avg("score"), n=Count("pk"))
        rivals.append(Rival(
            competitor=named[row["competitor"]], theirs=round(row["mean"], 1),
            their_shops=row["n"], our_shops=ours["n"],
            ours=round(ours["mean"], 1) if ours["mean"] is not None else None,
        ))  # fmt: skip
    rivals.sort(key=lambda rival: (rival.competitor.near.name, rival.competitor.name))
    return rivals


def unit_check_scores(*, mystery: bool, since: date, until: date) -> dict[int, tuple[float, int]]:
    """For the scorecards, over the whole network: per unit, the mean score of its
    staff inspections (or mystery shops) planned in the period and done, and how many."""
    kind = Q(kind=InspectionKind.MYSTERY) if mystery else ~Q(kind=InspectionKind.MYSTERY)
    rows = (
        Inspection.objects.filter(
            kind, status=InspectionStatus.DONE, competitor__isnull=True, score__isnull=False,
            planned_for__gte=since, planned_for__lte=until,
        )
        .values("unit_id")
        .annotate(mean=Avg("score"), n=Count("pk"))
        .order_by()
    )  # fmt: skip
    return {row["unit_id"]: (float(row["mean"]), row["n"]) for row in rows}


def failed_answer_facts(*, since: date, until: date) -> list[tuple[int, int, Any]]:
    """For points: (answer, unit, carried out) of the standards failed in our units'
    inspections and mystery shops planned from ``since`` to ``until`` and done."""
    return list(
        InspectionAnswer.objects.filter(
            passed=False, inspection__status=InspectionStatus.DONE,
            inspection__competitor__isnull=True, inspection__planned_for__gte=since,
            inspection__planned_for__lte=until,
        )
        .order_by("inspection__done_at", "pk")
        .values_list("pk", "inspection__unit_id", "inspection__done_at")
    )  # fmt: skip


def failed_standards_at(unit: Unit, *, since: date) -> list[tuple[str, str]]:
    """(code, title) of the standards failed in the checks of ``unit``'s store done
    since ``since``: what training there should address."""
    store = unit.parent if unit.level == "department" and unit.parent_id else unit
    rows = (
        InspectionAnswer.objects.filter(
            passed=False, inspection__status=InspectionStatus.DONE,
            inspection__unit__path__startswith=store.path, inspection__done_at__date__gte=since,
        )
        .values_list("standard__code", "version__title")
        .distinct()
    )  # fmt: skip
    return sorted(set(rows))
