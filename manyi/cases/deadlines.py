"""A case's deadlines from its SLA policy and its unit's calendar, and when the sweep
must next look at it: at 80 % of the time to the pending deadline (a warning), then at
the deadline itself (a breach)."""

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from manyi.cases.business_time import WorkingCalendar, add_business_time
from manyi.cases.calendars import working_calendar
from manyi.cases.models import Case, CaseStatus, Deadline, DeadlineAction, SlaPolicy

WARN_AT = 0.8
FAR = timedelta(days=3650)  # stands in for the end of a wait still running
ROUND_THE_CLOCK = WorkingCalendar(always_open=True)


@dataclass
class Deadlines:
    first_response: datetime | None
    resolution: datetime | None
    policy: SlaPolicy | None
    unknown_years: list[int] = field(default_factory=list)  # fell back to working hours


def policy_for(kind: str, severity: str, tier: str) -> SlaPolicy | None:
    """The policy for the case's kind and severity: for its tier if there is one, else
    for any tier."""
    found = {
        policy.tier: policy
        for policy in SlaPolicy.objects.filter(kind=kind, severity=severity, tier__in=[tier, ""])
    }
    return found.get(tier) or found.get("")


def _pauses(case: Case, until: datetime) -> list[tuple[datetime, datetime]]:
    return [(pause.started_at, pause.ended_at or until) for pause in case.pauses.all() if case.pk]


def compute(case: Case, *, far: datetime) -> Deadlines:
    """The first-response and resolution deadlines, counted from when the case was
    opened or last reopened, its waits on the customer left out. ``far`` stands in
    for the end of a wait still running."""
    policy = policy_for(case.kind, case.severity, case.tier)
    if policy is None:
        return Deadlines(None, None, None)
    calendar = working_calendar(case.unit) if policy.business_hours else ROUND_THE_CLOCK
    pauses = _pauses(case, far)
    start = case.clock_started_at

    def due(hours: float) -> datetime:
        return add_business_time(calendar, start, hours * 3600, pauses)

    resolution = due(float(policy.resolution_hours))
    return Deadlines(
        first_response=due(float(policy.first_response_hours)),
        resolution=resolution,
        policy=policy,
        unknown_years=calendar.unknown_years(start, resolution),
    )


def pending(case: Case) -> tuple[str, datetime] | None:
    """The deadline the case is working towards now, if any."""
    if case.status in (CaseStatus.RESOLVED, CaseStatus.CLOSED):
        return None
    if case.first_responded_at is None and case.first_response_due:
        return Deadline.FIRST_RESPONSE, case.first_response_due
    if case.resolution_due:
        return Deadline.RESOLUTION, case.resolution_due
    return None


def next_check(case: Case, *, far: datetime) -> tuple[datetime | None, str]:
    """When the sweep must look at the case next, and for which deadline. Nothing while
    the case waits on the customer or is done; the warning moment until the warning is
    given, then the deadline until the breach is recorded, then the next deadline."""
    if case.status == CaseStatus.WAITING:
        return None, ""
    for deadline, due_at in _deadlines_in_order(case):
        done = set(
            DeadlineAction.objects.filter(case=case, deadline=deadline, due_at=due_at).values_list(
                "action", flat=True
            )
        )
        if DeadlineAction.Action.BREACH in done:
            continue
        if DeadlineAction.Action.WARNING not in done:
            return warn_moment(case, due_at, far=far), deadline
        return due_at, deadline
    return None, ""


def _deadlines_in_order(case: Case) -> list[tuple[str, datetime]]:
    current = pending(case)
    if current is None:
        return []
    found = [current]
    if current[0] == Deadline.FIRST_RESPONSE and case.resolution_due:
        found.append((Deadline.RESOLUTION, case.resolution_due))
    return found


def warn_moment(case: Case, due_at: datetime, *, far: datetime) -> datetime:
    """80 % of the business time from the case's start to ``due_at``."""
    from manyi.cases.business_time import business_seconds

    policy = policy_for(case.kind, case.severity, case.tier)
    calendar = (
        working_calendar(case.unit) if policy is None or policy.business_hours else ROUND_THE_CLOCK
    )
    pauses = _pauses(case, far)
    total = business_seconds(calendar, case.clock_started_at, due_at, pauses)
    return add_business_time(calendar, case.clock_started_at, WARN_AT * total, pauses)
