"""Every change of a case: one function each, in a transaction, writing its timeline
entry and audit row; messages go through the outbox after commit."""

from datetime import datetime, timedelta
from typing import Any
from uuid import uuid4

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from manyi.audit.services import CHANGED, audit_record
from manyi.cases import deadlines
from manyi.cases.assignment import default_owner
from manyi.cases.hooks import case_event_of
from manyi.cases.models import (
    Case,
    CaseEntry,
    CaseKind,
    CaseStatus,
    DeadlineWatch,
    EntryKind,
    Pause,
    Step,
)
from manyi.cases.replies import reply_send
from manyi.cases.resurvey import resurvey_invite
from manyi.cases.timeline import entry_add
from manyi.customers.served import customers_served
from manyi.errors import DomainError
from manyi.org.models import Unit

REPEAT_WITHIN = timedelta(days=90)


class CaseClosedError(DomainError):
    """A closed case is a record: it is reopened, not edited."""


def _far(now: datetime) -> datetime:
    return now + deadlines.FAR


def _schedule(case: Case, now: datetime, *, recompute: bool) -> list[int]:
    """Refresh the deadlines (when asked) and the sweep's next look at the case;
    the years the calendar had no holidays for."""
    rules = deadlines.Rules()
    pauses = deadlines.pauses_of(case, _far(now))
    unknown: list[int] = []
    if recompute:
        found = deadlines.compute(case, rules=rules, pauses=pauses)
        case.first_response_due, case.resolution_due = found.first_response, found.resolution
        unknown = found.unknown_years
    at, deadline = deadlines.next_check(
        case, rules=rules, pauses=pauses, done=deadlines.done_of(case)
    )
    _watch(case, at, deadline)
    return unknown


def _watch(case: Case, at: datetime | None, deadline: str) -> None:
    """Move the sweep's next look at the case; the escalation level stays as it is."""
    DeadlineWatch.objects.update_or_create(
        case=case, defaults={"next_check_at": at, "next_check_deadline": deadline}
    )


def step_record(case: Case, actor: Any, step: str, body: str = "") -> CaseEntry:
    """Write that one of the seven steps is done (inside the caller's transaction)."""
    return entry_add(case, EntryKind.STEP, actor, body, step=step)


def _warn_unknown_years(case: Case, years: list[int]) -> None:
    if years:
        entry_add(
            case,
            EntryKind.NOTE,
            None,
            _(
                "No public holidays are known for %(years)s: the deadlines there count "
                "plain working hours. Add the holidays under Cases › Deadline rules."
            )
            % {"years": ", ".join(str(year) for year in years)},
        )


def last_case(customer: Any, opened_at: datetime) -> Case | None:
    """The customer's case of the months before ``opened_at`` that a case opened then
    repeats, if any."""
    if customer is None:
        return None
    return (
        Case.objects.filter(
            customer=customer, opened_at__gte=opened_at - REPEAT_WITHIN, opened_at__lt=opened_at
        )
        .order_by("-opened_at")
        .first()
    )


@transaction.atomic
def case_open(
    *,
    actor: Any,
    kind: str,
    unit: Unit,
    subject: str,
    channel: str,
    description: str = "",
    severity: str = "normal",
    customer: Any = None,
    owner: Any = None,
    cause: Any = None,
    response: Any = None,
    opened_at: datetime | None = None,
    given_phone: str = "",
    staff: Any = None,
) -> Case:
    """Open a case, give it its deadlines and link it to the customer's last case. A
    case the system opens (no actor) goes to the unit's least busy case handler. The
    staff member it is about is ``staff``, else the advisor of the answer it came from."""
    now = opened_at or timezone.now()
    if owner is None and not getattr(actor, "is_authenticated", False):
        owner = default_owner(unit)
    subject = subject.strip()
    if not subject:
        raise DomainError(_("A case needs a subject."))
    case = Case(
        number=f"new-{uuid4().hex[:16]}",  # until the row has its id
        kind=kind,
        unit=unit,
        subject=subject[:200],
        description=description,
        channel=channel,
        severity=severity,
        customer=customer,
        tier=getattr(customer, "tier", "") or "",
        given_phone=given_phone,
        owner=owner,
        cause=cause,
        response=response,
        staff_id=staff.pk if staff is not None else getattr(response, "staff_id", None),
        opened_at=now,
        clock_started_at=now,
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    case.repeat_of = last_case(customer, now)
    case.save()
    if customer is not None:
        customers_served([(customer.pk, unit.pk)])
    case.number = f"{timezone.localtime(now):%Y%m%d}-{case.pk:05d}"
    unknown = _schedule(case, now, recompute=True)
    case.save()
    entry_add(case, EntryKind.STEP, actor, description, step=Step.RECORD)
    _warn_unknown_years(case, unknown)
    audit_record(actor=actor, action="case.open", obj=case, unit=unit)
    case_event_of("case.opened", case)
    from manyi.cases.crisis import crisis_check  # crisis handling builds on these services

    return crisis_check(case)


def case_locked(case: Case, *, editable: bool = False) -> Case:
    """The case row locked for this change (and, with ``editable``, refused when the
    case is closed: a closed case is a record, reopened rather than edited).

    NO KEY UPDATE, and not its unit: the sweep's deadline actions point at both, and
    their key checks at commit must not wait on a change that itself waits for the
    case's watch, which the sweep holds."""
    locked = (
        Case.objects.select_for_update(no_key=True, of=("self",))
        .select_related("unit")
        .get(pk=case.pk)
    )
    if editable and locked.status == CaseStatus.CLOSED:
        raise CaseClosedError(_("Case %(number)s is closed.") % {"number": locked.number})
    return locked


@transaction.atomic
def case_reply(*, actor: Any, case: Case, body: str, public: bool = True) -> CaseEntry:
    """A reply to the customer (the first one meets the first-response deadline) or a
    private note."""
    case = case_locked(case, editable=True)
    if not body.strip():
        raise DomainError(_("Write something first."))
    first = public and case.first_responded_at is None
    entry = entry_add(
        case,
        EntryKind.REPLY if public else EntryKind.NOTE,
        actor,
        body,
        step=Step.ACKNOWLEDGE if first else "",
    )
    if first:
        case.first_responded_at = entry.created_at
        if case.step == Step.ACKNOWLEDGE:
            case.step = Step.ANALYSE
        _schedule(case, entry.created_at, recompute=False)
        case.save()
    if public:
        reply_send(case=case, entry=entry)
    audit_record(
        actor=actor, action="case.reply" if public else "case.note", obj=case, unit_id=case.unit_id
    )
    return entry


@transaction.atomic
def case_wait(*, actor: Any, case: Case) -> Case:
    """Wait on the customer: the clock stops until ``case_resume``."""
    case = case_locked(case, editable=True)
    if case.status != CaseStatus.OPEN:
        raise DomainError(_("Only an open case can wait on the customer."))
    now = timezone.now()
    Pause.objects.create(case=case, started_at=now)
    case.status = CaseStatus.WAITING
    case.waiting_since = now
    _schedule(case, now, recompute=False)
    case.save()
    entry_add(case, EntryKind.CHANGE, actor, changes={"status": [CaseStatus.OPEN, case.status]})
    audit_record(actor=actor, action="case.wait", obj=case, unit_id=case.unit_id)
    return case


@transaction.atomic
def case_resume(*, actor: Any, case: Case) -> Case:
    """The customer answered: the clock runs again, the deadlines move by the wait."""
    case = case_locked(case)
    if case.status != CaseStatus.WAITING:
        raise DomainError(_("The case is not waiting on the customer."))
    now = timezone.now()
    case.pauses.filter(ended_at=None).update(ended_at=now)
    case.status = CaseStatus.OPEN
    case.waiting_since = None
    _schedule(case, now, recompute=True)
    case.save()
    entry_add(case, EntryKind.CHANGE, actor, changes={"status": [CaseStatus.WAITING, case.status]})
    audit_record(actor=actor, action="case.resume", obj=case, unit_id=case.unit_id)
    return case


@transaction.atomic
def case_resolve(*, actor: Any, case: Case, body: str) -> Case:
    """The solution is carried out; the customer is told (a public reply). A
    complaint's solution that awaits approval cannot be carried out yet."""
    case = case_locked(case, editable=True)
    if case.kind == CaseKind.COMPLAINT and case.compensations.filter(status="proposed").exists():
        raise DomainError(
            _("The solution awaits approval by someone with the authority for its cost.")
        )
    if case.status == CaseStatus.RESOLVED:
        raise DomainError(_("The case is already resolved."))
    now = timezone.now()
    if case.first_responded_at is None:
        case.first_responded_at = now
    case.status = CaseStatus.RESOLVED
    case.resolved_at = now
    case.step = Step.REVIEW
    case.pauses.filter(ended_at=None).update(ended_at=now)
    case.waiting_since = None
    _schedule(case, now, recompute=False)
    case.save()
    told = entry_add(case, EntryKind.REPLY, actor, body, step=Step.CARRY_OUT)
    reply_send(case=case, entry=told)
    resurvey_invite(case, actor)
    audit_record(actor=actor, action="case.resolve", obj=case, unit_id=case.unit_id)
    return case


@transaction.atomic
def case_reopen(*, actor: Any, case: Case, reason: str) -> Case:
    """Back to work: the resolution clock starts again from now."""
    case = case_locked(case)
    if case.status not in (CaseStatus.RESOLVED, CaseStatus.CLOSED):
        raise DomainError(_("Only a resolved or closed case can be reopened."))
    now = timezone.now()
    case.status = CaseStatus.OPEN
    case.step = Step.ANALYSE
    case.reopened += 1
    case.resolved_at = case.closed_at = None
    # A new round needs its own review; the last one stays on the timeline.
    case.root_cause = case.prevention = ""
    case.clock_started_at = now
    unknown = _schedule(case, now, recompute=True)
    case.save()
    entry_add(case, EntryKind.CHANGE, actor, reason, changes={"status": ["resolved", "open"]})
    _warn_unknown_years(case, unknown)
    audit_record(actor=actor, action="case.reopen", obj=case, unit_id=case.unit_id)
    return case


TRACKED = ("severity", "unit", "owner", "cause", "kind", "subject", "complainant_type")


@transaction.atomic
def case_update(*, actor: Any, case: Case, **values: Any) -> Case:
    """Change fields; a new severity, kind or unit moves the deadlines (the new unit's
    calendar counts). Each change is recorded on the timeline."""
    case = case_locked(case, editable=True)
    changes = {}
    for name, value in values.items():
        if name not in TRACKED:
            raise DomainError(_("%(field)s cannot be changed here.") % {"field": name})
        old = getattr(case, name)
        if old != value:
            changes[name] = [str(old or ""), str(value or "")]
            setattr(case, name, value)
    if not changes:
        return case
    now = timezone.now()
    unknown = _schedule(case, now, recompute=bool({"severity", "kind", "unit"} & set(changes)))
    case.save()
    entry_add(case, EntryKind.CHANGE, actor, changes=changes)
    _warn_unknown_years(case, unknown)
    logged = {name: CHANGED if name == "subject" else change for name, change in changes.items()}
    audit_record(actor=actor, action="case.update", obj=case, unit_id=case.unit_id, changes=logged)
    return case


@transaction.atomic
def case_close(*, actor: Any, case: Case) -> Case:
    """File a resolved case: from now on it is a record."""
    case = case_locked(case)
    if case.status != CaseStatus.RESOLVED:
        raise DomainError(_("Resolve the case before closing it."))
    if case.kind == CaseKind.COMPLAINT and not (case.root_cause and case.prevention):
        raise DomainError(_("A complaint is closed by its review: root cause and prevention."))
    case.status = CaseStatus.CLOSED
    case.closed_at = timezone.now()
    case.save()
    _watch(case, None, "")
    entry_add(case, EntryKind.CHANGE, actor, changes={"status": ["resolved", "closed"]})
    audit_record(actor=actor, action="case.close", obj=case, unit_id=case.unit_id)
    case_event_of("case.closed", case)
    return case
