"""Changing the rules behind deadlines — SLA policies, unit calendars, public holidays —
and moving the deadlines of the cases still open to match."""

from datetime import date
from decimal import Decimal
from typing import Any
from zoneinfo import available_timezones

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from manyi.audit.services import audit_record
from manyi.bulk import update_many
from manyi.cases import deadlines
from manyi.cases.calendars import parse_hours
from manyi.cases.models import (
    BusinessCalendar,
    CalendarDay,
    Case,
    CaseStatus,
    DayKind,
    DeadlineAction,
    DeadlineWatch,
    Pause,
    SlaPolicy,
    WordOfMouth,
)
from manyi.errors import DomainError
from manyi.org.models import Unit
from manyi.org.selectors import sees_network

RECOMPUTE_BATCH = 2000


def _may_edit(actor: Any) -> None:
    if not sees_network(actor):
        raise DomainError(_("Only headquarters sets deadlines, calendars and holidays."))


@transaction.atomic
def sla_policy_set(
    *,
    actor: Any,
    policy: SlaPolicy,
    first_response_hours: Decimal,
    resolution_hours: Decimal,
    business_hours: bool,
) -> None:
    """Change a policy; the worker moves the deadlines of the open cases it governs."""
    _may_edit(actor)
    if not 0 < first_response_hours <= resolution_hours:
        raise DomainError(_("The first response comes before the resolution, both after 0 h."))
    changes = {
        "first_response_hours": [str(policy.first_response_hours), str(first_response_hours)],
        "resolution_hours": [str(policy.resolution_hours), str(resolution_hours)],
        "business_hours": [policy.business_hours, business_hours],
    }
    policy.first_response_hours = first_response_hours
    policy.resolution_hours = resolution_hours
    policy.business_hours = business_hours
    policy.save()
    audit_record(actor=actor, action="sla_policy.set", obj=policy, changes=changes)
    _recompute_later(kind=policy.kind, severity=policy.severity)


@transaction.atomic
def calendar_set(
    *,
    actor: Any,
    unit: Unit | None,
    hours: dict[str, Any],
    always_open: bool,
    name: str = "",
    time_zone: str | None = None,
    follows_public_holidays: bool | None = None,
) -> BusinessCalendar:
    """Set the working hours of a unit (None: the network's default calendar)."""
    _may_edit(actor)
    if time_zone is not None and time_zone not in available_timezones():
        raise DomainError(_("Unknown time zone %(zone)s.") % {"zone": time_zone})
    try:
        parse_hours(hours)
    except ValueError as error:
        raise DomainError(str(error)) from error
    if not always_open and not hours:
        raise DomainError(_("Give the working hours of at least one weekday, or open 24×7."))
    calendar, _created = BusinessCalendar.objects.get_or_create(
        unit=unit, defaults={"name": name or str(unit or _("Default"))}
    )
    calendar.hours, calendar.always_open = hours, always_open
    if time_zone is not None:
        calendar.time_zone = time_zone
    if follows_public_holidays is not None:
        calendar.follows_public_holidays = follows_public_holidays
    calendar.save()
    audit_record(
        actor=actor,
        action="calendar.set",
        obj=calendar,
        unit=unit,
        changes={"hours": hours, "always_open": always_open},
    )
    _recompute_later(unit_id=unit.pk if unit else None)
    return calendar


@transaction.atomic
def calendar_remove(*, actor: Any, unit: Unit) -> None:
    """The unit follows its parent's calendar again (or the network default)."""
    _may_edit(actor)
    removed, _detail = BusinessCalendar.objects.filter(unit=unit).delete()
    if removed:
        audit_record(
            actor=actor, action="calendar.remove", object_type="cases.businesscalendar",
            object_repr=str(unit), unit=unit,
        )  # fmt: skip
        _recompute_later(unit_id=unit.pk)


@transaction.atomic
def holiday_set(*, actor: Any, day: date, kind: str, name: str = "") -> CalendarDay:
    """Add or change a national public holiday or make-up working day."""
    _may_edit(actor)
    if kind not in DayKind.values:
        raise DomainError(_("A day is a public holiday or a make-up working day."))
    entry, _created = CalendarDay.objects.update_or_create(
        calendar=None, day=day, defaults={"kind": kind, "name": name[:60]}
    )
    audit_record(actor=actor, action="holiday.set", obj=entry, changes={"kind": kind})
    _recompute_later()
    return entry


@transaction.atomic
def holiday_remove(*, actor: Any, day: date) -> None:
    _may_edit(actor)
    removed, _detail = CalendarDay.objects.filter(calendar=None, day=day).delete()
    if removed:
        audit_record(
            actor=actor,
            action="holiday.remove",
            object_type="cases.calendarday",
            object_repr=str(day),
        )
        _recompute_later()


@transaction.atomic
def word_of_mouth_set(*, actor: Any, silent_per_complaint: int, told_per_dissatisfied: int) -> None:
    """Change the multipliers of the word-of-mouth exposure estimate."""
    _may_edit(actor)
    if silent_per_complaint < 1 or told_per_dissatisfied < 0:
        raise DomainError(
            _("A complaint stands for at least one customer; nobody tells fewer than 0.")
        )
    settings = WordOfMouth.current()
    changes = {
        "silent_per_complaint": [settings.silent_per_complaint, silent_per_complaint],
        "told_per_dissatisfied": [settings.told_per_dissatisfied, told_per_dissatisfied],
    }
    settings.silent_per_complaint = silent_per_complaint
    settings.told_per_dissatisfied = told_per_dissatisfied
    settings.save()
    audit_record(actor=actor, action="word_of_mouth.set", obj=settings, changes=changes)


def _recompute_later(**which: Any) -> None:
    """After commit, the worker moves the deadlines (thousands of cases may follow)."""
    from manyi.cases import tasks

    transaction.on_commit(lambda: tasks.recompute_deadlines.enqueue(**which))


def deadlines_recompute(
    *, kind: str | None = None, severity: str | None = None, unit_id: int | None = None
) -> int:
    """New deadlines and next checks for the open and waiting cases of a policy or a
    unit's subtree (all when none is given), in batches; the number of cases moved."""
    where = Q()
    if kind is not None:
        where &= Q(kind=kind, severity=severity)
    if unit_id is not None:
        where &= Q(unit__path__startswith=Unit.objects.get(pk=unit_id).path)
    now = timezone.now()
    rules = deadlines.Rules()
    moved = 0
    open_cases = Case.objects.filter(where, status__in=[CaseStatus.OPEN, CaseStatus.WAITING])
    last = 0
    while True:
        batch = list(
            open_cases.filter(pk__gt=last).select_related("unit").order_by("pk")[:RECOMPUTE_BATCH]
        )
        if not batch:
            return moved
        last = batch[-1].pk
        ids = [case.pk for case in batch]
        pauses: dict[int, deadlines.Pauses] = {}
        for case_id, start, end in Pause.objects.filter(case_id__in=ids).values_list(
            "case_id", "started_at", "ended_at"
        ):
            pauses.setdefault(case_id, []).append((start, end or now + deadlines.FAR))
        done: dict[int, deadlines.Done] = {}
        for case_id, *key in DeadlineAction.objects.filter(case_id__in=ids).values_list(
            "case_id", "deadline", "due_at", "action"
        ):
            done.setdefault(case_id, set()).add(tuple(key))  # type: ignore[arg-type]
        dues, checks = [], []
        for case in batch:
            mine = pauses.get(case.pk, [])
            found = deadlines.compute(case, rules=rules, pauses=mine)
            case.first_response_due, case.resolution_due = found.first_response, found.resolution
            at, deadline = deadlines.next_check(
                case, rules=rules, pauses=mine, done=done.get(case.pk, set())
            )
            dues.append(
                {
                    "pk": case.pk,
                    "first_response_due": case.first_response_due,
                    "resolution_due": case.resolution_due,
                }
            )
            checks.append({"pk": case.pk, "next_check_at": at, "next_check_deadline": deadline})
        update_many(Case, dues)
        DeadlineWatch.objects.bulk_create(
            [DeadlineWatch(case_id=pk) for pk in ids], ignore_conflicts=True
        )
        update_many(DeadlineWatch, checks)
        moved += len(dues)
