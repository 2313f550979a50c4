"""Complaint reports of a period, within the user's units: the causes that matter most
(Pareto), how often deadlines were kept per unit and per staff member, how long first
responses and resolutions took."""

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.db.models import Avg, Count, DurationField, ExpressionWrapper, F, Q
from django.utils import timezone

from manyi.cases.models import Case, CaseKind, Cause, DeadlineAction, WordOfMouth
from manyi.org.models import Unit
from manyi.org.selectors import visible_unit_filter

GROUPED_FROM = 2  # reviewed complaints of one cause at one unit that suggest an action


@dataclass
class CauseShare:
    cause: str
    count: int
    share: float
    cumulative: float


@dataclass
class UnitCompliance:
    unit: str
    cases: int
    first_response_late: int
    resolution_late: int

    @property
    def on_time(self) -> float | None:
        """The share of cases with no deadline breached."""
        if not self.cases:
            return None
        late = max(self.first_response_late, self.resolution_late)
        return 1 - late / self.cases


def _cases(user: Any, since: datetime, until: datetime) -> Any:
    return Case.objects.filter(visible_unit_filter(user), opened_at__gte=since, opened_at__lt=until)


def cause_pareto(user: Any, *, since: datetime, until: datetime) -> list[CauseShare]:
    """Complaints by cause, most frequent first, with the running share (80/20)."""
    rows = list(
        _cases(user, since, until)
        .filter(kind=CaseKind.COMPLAINT)
        .values("cause__name", "cause__name_en")
        .annotate(count=Count("id"))
        .order_by("-count", "cause__name")
    )
    total = sum(row["count"] for row in rows)
    shares, running = [], 0
    for row in rows:
        running += row["count"]
        shares.append(
            CauseShare(Cause.label(row["cause__name"] or "", row["cause__name_en"] or ""),
                       row["count"], row["count"] / total, running / total)
        )  # fmt: skip
    return shares


def compliance_by_unit(user: Any, *, since: datetime, until: datetime) -> list[UnitCompliance]:
    """Per unit, the cases opened and how many breached each deadline."""
    breached = Q(deadline_actions__action=DeadlineAction.Action.BREACH)
    rows = (
        _cases(user, since, until)
        .values("unit__name")
        .annotate(
            cases=Count("id", distinct=True),
            first=Count(
                "id", filter=breached & Q(deadline_actions__deadline="first_response"),
                distinct=True,
            ),
            resolution=Count(
                "id", filter=breached & Q(deadline_actions__deadline="resolution"), distinct=True
            ),
        )
        .order_by("unit__name")
    )  # fmt: skip
    return [
        UnitCompliance(row["unit__name"], row["cases"], row["first"], row["resolution"])
        for row in rows
    ]


def overdue_by_staff(user: Any, *, since: datetime, until: datetime) -> list[dict[str, Any]]:
    """Breached deadlines recorded against each responsible staff member."""
    return list(
        DeadlineAction.objects.filter(
            case__in=_cases(user, since, until),
            action=DeadlineAction.Action.BREACH,
            staff__isnull=False,
        )
        .values("staff__full_name", "staff__username")
        .annotate(count=Count("id"))
        .order_by("-count")
    )


def handling_times(user: Any, *, since: datetime, until: datetime) -> dict[str, float | None]:
    """Mean hours from opening to the first response and to resolution (clock time),
    each over the cases that have got that far (``first_response_n``, ``resolution_n``).
    The two means cover different cases — those still open count only in the first —
    so the page gives each its count."""
    found: dict[str, float | None] = {}
    cases = _cases(user, since, until)
    for name, field in (("first_response", "first_responded_at"), ("resolution", "resolved_at")):
        took = ExpressionWrapper(F(field) - F("opened_at"), output_field=DurationField())
        row = cases.exclude(**{field: None}).aggregate(mean=Avg(took), n=Count("id"))
        found[name] = row["mean"].total_seconds() / 3600 if row["mean"] is not None else None
        found[f"{name}_n"] = row["n"]
    return found


def exposure(user: Any, *, since: datetime, until: datetime) -> dict[str, int]:
    """The word-of-mouth estimate behind the period's complaints (DOMAIN.md)."""
    complaints = _cases(user, since, until).filter(kind=CaseKind.COMPLAINT).count()
    multipliers = WordOfMouth.current()
    silent, told = multipliers.exposure(complaints)
    return {
        "complaints": complaints,
        "silent": silent,
        "told": told,
        "silent_per_complaint": multipliers.silent_per_complaint,
        "told_per_dissatisfied": multipliers.told_per_dissatisfied,
    }


@dataclass(frozen=True)
class ComplaintGroup:
    unit: Unit
    cause: Cause
    count: int
    cases: list[tuple[int, str]]  # the reviewed cases (id, number), the latest first

    @property
    def numbers(self) -> list[str]:
        return [number for _pk, number in self.cases]


def reviewed_complaint_groups(user: Any, *, days: int = 90) -> list[ComplaintGroup]:
    """Complaints of the last ``days`` reviewed with a root cause, grouped by unit and
    cause and counted, the largest groups first: each a candidate for an action."""
    reviewed = (
        Case.objects.filter(visible_unit_filter(user), kind=CaseKind.COMPLAINT)
        .filter(opened_at__gte=timezone.now() - timedelta(days=days), cause__isnull=False)
        .exclude(root_cause="")
    )
    rows = list(
        reviewed.values("unit_id", "cause_id")
        .annotate(count=Count("id"))
        .filter(count__gte=GROUPED_FROM)
        .order_by("-count", "unit_id")[:50]
    )
    units = Unit.objects.in_bulk({row["unit_id"] for row in rows})
    causes = Cause.objects.in_bulk({row["cause_id"] for row in rows})
    return [
        ComplaintGroup(
            units[row["unit_id"]],
            causes[row["cause_id"]],
            row["count"],
            list(
                reviewed.filter(unit_id=row["unit_id"], cause_id=row["cause_id"])
                .order_by("-opened_at")
                .values_list("pk", "number")[:20]
            ),
        )
        for row in rows
    ]


# --- for the scorecards: the whole network, grouped by staff member or unit ---------
GROUPS = {"staff": "owner_id", "unit": "unit_id"}


def deadline_counts(*, since: datetime, until: datetime, by: str) -> dict[int, list[int]]:
    """Per case owner (``by="staff"``) or unit: [kept, due] of the case deadlines falling
    due from ``since`` to ``until`` and passed by now. A deadline is kept when its step
    was done by then; one not done yet is missed."""
    until = min(until, timezone.now())
    counts: dict[int, list[int]] = {}
    for due, done in (
        ("first_response_due", "first_responded_at"),
        ("resolution_due", "resolved_at"),
    ):
        rows = (
            Case.objects.filter(**{f"{due}__gte": since, f"{due}__lt": until})
            .exclude(**{GROUPS[by]: None})
            .values(GROUPS[by])
            .annotate(due=Count("pk"), kept=Count("pk", filter=Q(**{f"{done}__lte": F(due)})))
            .order_by()
        )
        for row in rows:
            cell = counts.setdefault(row[GROUPS[by]], [0, 0])
            cell[0] += row["kept"]
            cell[1] += row["due"]
    return counts


def breach_counts(*, since: datetime, until: datetime, by: str) -> dict[int, int]:
    """Per staff member (the one recorded responsible) or unit: deadlines breached that
    fell due from ``since`` to ``until`` — what the sweep recorded as overdue."""
    key = "staff_id" if by == "staff" else "case__unit_id"
    rows = (
        DeadlineAction.objects.filter(
            action=DeadlineAction.Action.BREACH, due_at__gte=since, due_at__lt=until
        )
        .exclude(**{key: None})
        .values(key)
        .annotate(count=Count("pk"))
        .order_by()
    )
    return {row[key]: row["count"] for row in rows}


def praise_counts(*, since: datetime, until: datetime, by: str) -> dict[int, int]:
    """Per staff member praised (the case's staff member) or unit: praise cases opened
    from ``since`` to ``until``."""
    key = "staff_id" if by == "staff" else "unit_id"
    rows = (
        Case.objects.filter(kind=CaseKind.PRAISE, opened_at__gte=since, opened_at__lt=until)
        .exclude(**{key: None})
        .values(key)
        .annotate(count=Count("pk"))
        .order_by()
    )
    return {row[key]: row["count"] for row in rows}


def praise_facts(*, since: datetime, until: datetime) -> list[tuple[int, int, int, datetime]]:
    """For points: (case, staff member praised, unit, opened) of the praise cases opened
    from ``since`` to ``until``, over the whole network."""
    return list(
        Case.objects.filter(kind=CaseKind.PRAISE, opened_at__gte=since, opened_at__lt=until,
                            staff__isnull=False)
        .order_by("opened_at", "pk").values_list("pk", "staff_id", "unit_id", "opened_at")
    )  # fmt: skip


def breach_facts(*, since: datetime, until: datetime) -> list[tuple[int, int, int, str, datetime]]:
    """For points: (case, staff member recorded responsible, unit, deadline, due) of the
    deadlines breached that fell due from ``since`` to ``until``."""
    return list(
        DeadlineAction.objects.filter(action=DeadlineAction.Action.BREACH, due_at__gte=since,
                                      due_at__lt=until, staff__isnull=False)
        .order_by("due_at", "pk")
        .values_list("case_id", "staff_id", "case__unit_id", "deadline", "due_at")
    )  # fmt: skip


def repeat_facts(*, since: datetime, until: datetime) -> list[tuple[int, int, int, datetime]]:
    """For points: (case, owner of the case it repeats, unit, opened) of the repeat
    complaints opened from ``since`` to ``until`` — whose earlier resolution did not hold."""
    return list(
        Case.objects.filter(kind=CaseKind.COMPLAINT, opened_at__gte=since, opened_at__lt=until,
                            repeat_of__owner__isnull=False)
        .order_by("opened_at", "pk")
        .values_list("pk", "repeat_of__owner_id", "unit_id", "opened_at")
    )  # fmt: skip
