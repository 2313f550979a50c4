"""The deadline sweep (the quick-response mechanism): warn the owner at 80 % of a
deadline, and on a breach escalate to the next level of the org tree and record the
overdue against the responsible staff member.

Only due rows are read (``next_check_at`` is indexed), so a pass costs what is due,
not what is open. Each case is claimed with ``FOR UPDATE SKIP LOCKED``; its action,
timeline entry, outbox message and next check are written in one transaction, and
``DeadlineAction`` is unique per case, deadline, due moment and action — so each
warning and escalation happens exactly once, however many workers run and wherever
one is killed (a killed worker's transaction rolls back; another does the work).
"""

from datetime import datetime
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from manyi.cases import deadlines
from manyi.cases.models import Case, CaseEntry, Deadline, DeadlineAction, EntryKind
from manyi.notify.services import message_queue
from manyi.org.models import Role, Staff, Unit

BATCH = 500
ESCALATE_TO = (Role.STORE_MANAGER, Role.REGION_MANAGER, Role.HQ_ANALYST, Role.ADMIN)


def sla_sweep(*, now: datetime | None = None, limit: int = BATCH) -> int:
    """Act on up to ``limit`` cases whose next check has come; the number acted on."""
    now = now or timezone.now()
    ids = list(
        Case.objects.filter(next_check_at__lte=now)
        .order_by("next_check_at")
        .values_list("pk", flat=True)[:limit]
    )
    acted = 0
    for pk in ids:
        with transaction.atomic():
            case = (
                Case.objects.select_for_update(skip_locked=True, of=("self",))
                .select_related("unit", "owner")
                .filter(pk=pk, next_check_at__lte=now)
                .first()
            )
            if case is not None:
                _act(case, now)
                acted += 1
    return acted


def _due_of(case: Case) -> datetime | None:
    if case.next_check_deadline == Deadline.FIRST_RESPONSE:
        return case.first_response_due
    return case.resolution_due


def _act(case: Case, now: datetime) -> None:
    due_at = _due_of(case)
    if due_at is not None:
        if now < due_at:
            _record(case, due_at, DeadlineAction.Action.WARNING, now)
        else:
            _record(case, due_at, DeadlineAction.Action.BREACH, now)
    case.next_check_at, case.next_check_deadline = deadlines.next_check(
        case, far=now + deadlines.FAR
    )
    case.save(update_fields=["next_check_at", "next_check_deadline", "escalation_level"])


def _record(case: Case, due_at: datetime, action: str, now: datetime) -> None:
    deadline = case.next_check_deadline
    target = _escalation_unit(case) if action == DeadlineAction.Action.BREACH else None
    try:
        with transaction.atomic():
            DeadlineAction.objects.create(
                case=case,
                deadline=deadline,
                due_at=due_at,
                action=action,
                staff=case.owner,
                escalated_to=target,
                created_at=now,
            )
    except IntegrityError:
        return  # done already, by this worker before or by another
    label = Deadline(deadline).label
    if action == DeadlineAction.Action.WARNING:
        text = _("%(deadline)s due at %(due)s: only a fifth of the time is left.") % {
            "deadline": label,
            "due": f"{timezone.localtime(due_at):%Y-%m-%d %H:%M}",
        }
        CaseEntry.objects.create(case=case, kind=EntryKind.WARNING, body=text, created_at=now)
        _notify([case.owner] if case.owner else _managers(case.unit), case, text)
        return
    case.escalation_level += 1
    text = _("%(deadline)s overdue since %(due)s: escalated to %(unit)s.") % {
        "deadline": label,
        "due": f"{timezone.localtime(due_at):%Y-%m-%d %H:%M}",
        "unit": target,
    }
    CaseEntry.objects.create(
        case=case,
        kind=EntryKind.ESCALATION,
        body=text,
        changes={"escalation_level": [case.escalation_level - 1, case.escalation_level]},
        created_at=now,
    )
    _notify(_managers(target) + ([case.owner] if case.owner else []), case, text)


def _escalation_unit(case: Case) -> Unit:
    """Store manager first, then the region, then HQ: the unit itself, then up."""
    chain = [case.unit, *Unit.objects.filter(pk__in=case.unit.ancestor_ids()).order_by("-path")]
    return chain[min(case.escalation_level, len(chain) - 1)]


def _managers(unit: Unit) -> list[Staff]:
    return list(Staff.objects.filter(unit=unit, role__in=ESCALATE_TO, is_active=True))


def _notify(people: list[Any], case: Case, text: str) -> None:
    for person in {p.pk: p for p in people if p is not None and p.email}.values():
        message_queue(
            channel="email",
            recipient=person.email,
            subject=f"[{case.number}] {case.subject}"[:200],
            body=text,
            purpose="case_deadline",
            ref=case.number,
        )
