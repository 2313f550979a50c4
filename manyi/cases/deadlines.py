"""A case's deadlines from its SLA policy and its unit's calendar, and when the sweep
must next look at it: at 80 % of the time to the pending deadline (a warning), then at
the deadline itself (a breach).

``Rules`` reads the policies and calendars once and keeps them, so the sweep can
schedule thousands of cases without a query each.
"""

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, Protocol

from manyi.cases.business_time import WorkingCalendar, add_business_time, business_seconds
from manyi.cases.calendars import CalendarBook
from manyi.cases.models import Case, CaseStatus, Deadline, DeadlineAction, SlaPolicy

WARN_AT = 0.8
FAR = timedelta(days=3650)  # stands in for the end of a wait still running
ROUND_THE_CLOCK = WorkingCalendar(always_open=True)

Pauses = list[tuple[datetime, datetime]]
Done = set[tuple[str, datetime, str]]  # (deadline, due at, action) already recorded


class Scheduled(Protocol):
    """What scheduling reads of a case: a ``Case``, or the sweep's light row of one."""

    kind: str
    severity: str
    tier: str
    status: str
    unit: Any
    clock_started_at: datetime
    first_responded_at: datetime | None
    first_response_due: datetime | None
    resolution_due: datetime | None


@dataclass
class Deadlines:
    first_response: datetime | None
    resolution: datetime | None
    policy: SlaPolicy | None
    unknown_years: list[int] = field(default_factory=list)  # fell back to working hours


class Rules:
    """The SLA policies and unit calendars, each read once."""

    def __init__(self) -> None:
        self._policies: dict[tuple[str, str, str], SlaPolicy] | None = None
        self._book: CalendarBook | None = None

    def policy(self, kind: str, severity: str, tier: str) -> SlaPolicy | None:
        """For the case's tier if there is one, else for any tier."""
        if self._policies is None:
            self._policies = {(p.kind, p.severity, p.tier): p for p in SlaPolicy.objects.all()}
        return self._policies.get((kind, severity, tier)) or self._policies.get(
            (kind, severity, "")
        )

    def calendar(self, case: Scheduled) -> WorkingCalendar:
        policy = self.policy(case.kind, case.severity, case.tier)
        if policy is not None and not policy.business_hours:
            return ROUND_THE_CLOCK
        if self._book is None:
            self._book = CalendarBook()
        return self._book.for_unit(case.unit)


def pauses_of(case: Case, far: datetime) -> Pauses:
    return [(pause.started_at, pause.ended_at or far) for pause in case.pauses.all()]


def done_of(case: Case) -> Done:
    return set(DeadlineAction.objects.filter(case=case).values_list("deadline", "due_at", "action"))


def compute(case: Case, *, rules: Rules, pauses: Pauses) -> Deadlines:
    """The first-response and resolution deadlines, counted from when the case was
    opened or last reopened, its waits on the customer left out."""
    policy = rules.policy(case.kind, case.severity, case.tier)
    if policy is None:
        return Deadlines(None, None, None)
    calendar = rules.calendar(case)
    start = case.clock_started_at

    def due(hours: Any) -> datetime:
        return add_business_time(calendar, start, float(hours) * 3600, pauses)

    resolution = due(policy.resolution_hours)
    return Deadlines(
        first_response=due(policy.first_response_hours),
        resolution=resolution,
        policy=policy,
        unknown_years=calendar.unknown_years(start, resolution),
    )


def _deadlines_in_order(case: Scheduled) -> list[tuple[str, datetime]]:
    if case.status in (CaseStatus.RESOLVED, CaseStatus.CLOSED):
        return []
    found = []
    if case.first_responded_at is None and case.first_response_due:
        found.append((Deadline.FIRST_RESPONSE.value, case.first_response_due))
    if case.resolution_due:
        found.append((Deadline.RESOLUTION.value, case.resolution_due))
    return found


def next_check(
    case: Scheduled, *, rules: Rules, pauses: Pauses, done: Done
) -> tuple[datetime | None, str]:
    """When the sweep must look at the case next, and for which deadline: nothing while
    it waits on the customer or is done; the warning moment until the warning is given
    (or the deadline has passed), then the deadline until the breach is recorded, then
    the next deadline."""
    if case.status == CaseStatus.WAITING:
        return None, ""
    for deadline, due_at in _deadlines_in_order(case):
        # One breach per deadline per round: a deadline moved by a new policy or
        # calendar is not breached twice; a reopened case starts a new round.
        if any(
            kind == deadline
            and action == DeadlineAction.Action.BREACH
            and breached >= case.clock_started_at
            for kind, breached, action in done
        ):
            continue
        if (deadline, due_at, DeadlineAction.Action.WARNING) not in done:
            return warn_moment(case, due_at, rules=rules, pauses=pauses), deadline
        return due_at, deadline
    return None, ""


def warn_moment(case: Scheduled, due_at: datetime, *, rules: Rules, pauses: Pauses) -> datetime:
    """80 % of the business time from the case's start to ``due_at``."""
    calendar = rules.calendar(case)
    total = business_seconds(calendar, case.clock_started_at, due_at, pauses)
    return add_business_time(calendar, case.clock_started_at, WARN_AT * total, pauses)
