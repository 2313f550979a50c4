"""Care services: the rules headquarters sets, the callbacks the worker schedules after
each visit (each exactly once, however many workers run), and the calls recorded
against them — one of which may open a case."""

from datetime import date, datetime, timedelta
from typing import Any

from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from manyi.audit.services import audit_record
from manyi.care.models import (
    OPEN_STATUSES,
    Callback,
    CallbackAttempt,
    CallbackStatus,
    CallOutcome,
    CareRule,
    CareRuleKind,
)
from manyi.cases.business_time import business_day_after, opening_of
from manyi.cases.calendars import CalendarBook
from manyi.cases.models import CaseKind
from manyi.customers.models import ContactChannel, ServiceEvent
from manyi.customers.services import contact_set_opt_out
from manyi.errors import DomainError
from manyi.org.models import Unit
from manyi.org.permissions import may_make_callbacks, may_set_care_rules
from manyi.org.selectors import visible_units
from manyi.privacy.consent import without_consent

LOOKBACK = timedelta(days=14)  # a visit older than this when first seen gets no callback


class CareError(DomainError):
    """A care rule or callback change that cannot be made."""


RULE_FIELDS = (
    "name",
    "kind",
    "event_kinds",
    "delay_business_days",
    "within_days",
    "max_attempts",
    "retry_hours",
    "interval_months",
    "interval_km",
    "days_before",
    "festival",
    "month_day",
    "tiers",
    "customer_kinds",
    "is_active",
)


def _rule_problem(fields: dict[str, Any]) -> str:
    """What a rule of its kind lacks, or ""."""
    kind = fields.get("kind") or CareRuleKind.CALLBACK
    if kind == CareRuleKind.CALLBACK and not fields.get("event_kinds"):
        return _("Choose the event kinds that count as a visit.")
    if kind == CareRuleKind.REMINDER and not (
        fields.get("interval_months") or fields.get("interval_km")
    ):
        return _("A reminder needs the months or the kilometres between maintenance.")
    if kind == CareRuleKind.FESTIVAL and not fields.get("festival"):
        return _("Choose the festival.")
    if kind == CareRuleKind.SEASONAL:
        try:
            month, day = (int(part) for part in str(fields.get("month_day", "")).split("-"))
            date(2024, month, day)  # a leap year: 02-29 is a day
        except ValueError:
            return _("Give the day of seasonal care as MM-DD, for example 06-01.")
    return ""


@transaction.atomic
def care_rule_save(
    *, actor: Any, rule: CareRule | None = None, code: str = "", units: Any = None, **fields: Any
) -> CareRule:
    """Create a care rule (no ``rule``) or change one; headquarters only. ``units`` left
    out keeps a rule's units (a new rule: the whole network)."""
    if not may_set_care_rules(actor):
        raise CareError(_("Only headquarters sets the care rules."))
    if rule is None:
        if CareRule.objects.filter(code=code).exists():
            raise CareError(_("The code %(code)s is taken.") % {"code": code})
        rule = CareRule(code=code)
    else:
        rule = CareRule.objects.select_for_update().get(pk=rule.pk)
    problem = _rule_problem({**{name: getattr(rule, name) for name in RULE_FIELDS}, **fields})
    if problem:
        raise CareError(problem)
    before = {name: getattr(rule, name) for name in RULE_FIELDS} if rule.pk else {}
    for name in RULE_FIELDS:
        if name in fields:
            setattr(rule, name, fields[name])
    rule.save()
    if units is not None:
        rule.units.set(list(units))
    audit_record(
        actor=actor,
        action="care_rule.save",
        obj=rule,
        changes={
            name: [before.get(name), getattr(rule, name)]
            for name in RULE_FIELDS
            if before.get(name) != getattr(rule, name)
        },
    )
    return rule


def _covered(rule: CareRule) -> Q:
    """The events a rule covers: its visit kinds, its units' subtrees, its tiers."""
    where = Q(kind__in=rule.event_kinds, customer__isnull=False)
    paths = [unit.path for unit in rule.units.all()]
    if paths:
        under = Q()
        for path in paths:
            under |= Q(unit__path__startswith=path)
        where &= under
    if rule.tiers:
        where &= Q(customer__tier__in=rule.tiers)
    return where


def callback_times(book: CalendarBook, unit: Unit, rule: CareRule, closed: datetime) -> tuple:
    """When to call from (opening of the N-th business day after the visit) and the end
    of the last calendar day on which the customer counts as reached in time."""
    calendar = book.for_unit(unit)
    day: date = closed.astimezone(calendar.zone).date()
    first = business_day_after(calendar, day, rule.delay_business_days)
    call_from = opening_of(calendar, first)
    # The calendar days count from the visit, but a store closed over a long holiday
    # still gets the whole of its first day back to call.
    last = max(day + timedelta(days=rule.within_days), first)
    reach_by = datetime.combine(last + timedelta(days=1), datetime.min.time(), tzinfo=calendar.zone)
    return call_from, reach_by


def callbacks_schedule(*, now: datetime | None = None, batch: int = 2000) -> int:
    """Give every visit closed in the last two weeks (and after its rule was set) its
    callback, once: the unique key on (rule, event) makes a second worker's insert of
    the same callback a no-op. Returns how many it scheduled (a worker racing it may
    count some of the same)."""
    now = now or timezone.now()
    book = CalendarBook()
    created = 0
    for rule in CareRule.objects.filter(kind=CareRuleKind.CALLBACK, is_active=True):
        since = max(now - LOOKBACK, rule.created_at)
        taken = Callback.objects.filter(rule=rule, event=OuterRef("pk"))
        events = (
            # A patient's visit without consent to the use of health data gets no callback.
            without_consent(ServiceEvent.objects)
            .filter(_covered(rule), closed_at__gte=since, closed_at__lte=now)
            .exclude(Exists(taken))
            .select_related("unit", "customer")
            .order_by("closed_at")[:batch]
        )
        rows = []
        for event in events:
            call_from, reach_by = callback_times(book, event.unit, rule, event.closed_at)
            customer = event.customer
            rows.append(
                Callback(
                    rule=rule,
                    event=event,
                    customer=customer,
                    unit=event.unit,
                    vip=customer.gets_vip_service,
                    next_call_at=call_from,
                    deadline_at=reach_by,
                )
            )
        Callback.objects.bulk_create(rows, ignore_conflicts=True)
        created += len(rows)
    return created


FINAL = {
    CallOutcome.SATISFIED: CallbackStatus.REACHED,
    CallOutcome.ISSUE: CallbackStatus.ISSUE,
    CallOutcome.WRONG_NUMBER: CallbackStatus.WRONG_NUMBER,
    CallOutcome.REFUSED: CallbackStatus.REFUSED,
    CallOutcome.DO_NOT_CALL: CallbackStatus.DO_NOT_CALL,
}


@transaction.atomic
def callback_record(
    *,
    actor: Any,
    callback: Callback,
    outcome: str,
    note: str = "",
    retry_at: datetime | None = None,
    now: datetime | None = None,
) -> Callback:
    """Record one call of a callback. Reached with an issue opens a complaint with the
    note; no answer is tried again after the rule's interval until its attempts run out;
    a customer who asks not to be called again has their phone numbers opted out."""
    if not may_make_callbacks(actor):
        raise CareError(_("You may not make callbacks."))
    now = now or timezone.now()
    locked = (
        Callback.objects.select_for_update(of=("self",))
        .select_related("rule", "unit", "customer", "event")
        .get(pk=callback.pk)
    )
    if not visible_units(actor).filter(pk=locked.unit_id).exists():
        raise CareError(_("That callback is outside your part of the network."))
    if locked.status not in OPEN_STATUSES:
        raise CareError(
            _("This callback is finished: %(status)s.") % {"status": locked.get_status_display()}
        )
    if outcome not in CallOutcome.values:
        raise CareError(_("Choose how the call ended."))
    note = note.strip()
    if outcome == CallOutcome.ISSUE and not note:
        raise CareError(_("Say what the issue is: it becomes the case's description."))
    if retry_at is not None and retry_at <= now:
        raise CareError(_("Call back at a time in the future."))
    CallbackAttempt.objects.create(
        callback=locked, caller=actor, outcome=outcome, note=note, created_at=now
    )
    locked.attempts += 1
    locked.caller = locked.caller or actor
    if outcome in FINAL:
        locked.status = FINAL[outcome]
        locked.closed_at = now
        if outcome in (CallOutcome.SATISFIED, CallOutcome.ISSUE):
            locked.reached_at = now
    elif locked.attempts >= locked.rule.max_attempts and retry_at is None:
        locked.status, locked.closed_at = CallbackStatus.UNREACHABLE, now
    else:
        locked.status = CallbackStatus.RETRY
        locked.next_call_at = retry_at or now + timedelta(hours=locked.rule.retry_hours)
    if outcome == CallOutcome.ISSUE:
        locked.case = _open_case(actor, locked, note, now)
    if outcome == CallOutcome.DO_NOT_CALL:
        for contact in locked.customer.contacts.filter(
            channel=ContactChannel.PHONE, opted_out_at=None
        ):
            contact_set_opt_out(actor=actor, contact=contact, opted_out=True)
    locked.save()
    audit_record(
        actor=actor,
        action="callback.record",
        obj=locked,
        unit=locked.unit,
        changes={"outcome": outcome, "status": locked.status, "attempts": locked.attempts},
    )
    return locked


def _open_case(actor: Any, callback: Callback, note: str, now: datetime) -> Any:
    from manyi.cases.services import case_open

    event = callback.event
    return case_open(
        actor=actor,
        kind=CaseKind.COMPLAINT,
        unit=callback.unit,
        subject=_("Callback after %(kind)s %(event)s")
        % {
            "kind": event.get_kind_display(),
            "event": event.external_id,
        },
        channel="callback",
        description=note,
        customer=callback.customer,
        opened_at=now,
    )
