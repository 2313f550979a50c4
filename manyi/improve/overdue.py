"""Overdue actions, through the cases' deadline machinery: the owner is warned at 80 %
of the business time from the action's opening to its due moment (the end of the due
day in the unit's calendar), and at the due moment the action is escalated one level up
the org tree (the region of a store, then HQ), its managers and its owner told.

As in the cases' sweep, a pass claims the due actions with ``FOR UPDATE SKIP LOCKED``
(``next_check_at`` is indexed), reads what was already recorded, and writes each
warning and escalation as an ``ActionDeadline`` unique per action, due moment and kind
— so each happens exactly once, however many workers sweep and wherever one is killed.
"""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from manyi.cases.business_time import WorkingCalendar, add_business_time, business_seconds
from manyi.cases.calendars import CalendarBook
from manyi.cases.deadlines import WARN_AT
from manyi.cases.escalation import (
    escalation_chain,
    escalation_recipients,
    escalation_target,
    managers_by_unit,
    notice,
)
from manyi.improve.models import ActionDeadline, ActionPlan, ActionStatus
from manyi.notify.models import Message
from manyi.org.models import Unit

BATCH = 1000
Done = set[tuple[datetime, str]]  # (due moment, kind) already recorded


@dataclass(frozen=True)
class _Subject:
    """What an outbox notice names: a reference and a subject line."""

    number: str
    subject: str


def due_moment(due_on: date, calendar: WorkingCalendar) -> datetime:
    """An action is due by the end of its due day, in its unit's time zone."""
    return datetime.combine(due_on + timedelta(days=1), time(), tzinfo=calendar.zone)


def next_check(plan: ActionPlan, calendar: WorkingCalendar, done: Done) -> datetime | None:
    """The warning moment until the warning is given, then the due moment until the
    escalation is recorded; nothing for a finished action."""
    if plan.status != ActionStatus.OPEN:
        return None
    due = due_moment(plan.due_on, calendar)
    if (due, ActionDeadline.Kind.BREACH) in done:
        return None
    if (due, ActionDeadline.Kind.WARNING) in done:
        return due
    start = plan.clock_started_at
    total = business_seconds(calendar, start, due) if start < due else 0
    return add_business_time(calendar, start, WARN_AT * total) if total else due


def schedule(plan: ActionPlan, *, book: CalendarBook | None = None) -> None:
    """Set when the sweep looks at ``plan`` next (after opening, re-dating or closing)."""
    calendar = (book or CalendarBook()).for_unit(plan.unit)
    done = set(plan.deadlines.values_list("due_at", "kind"))
    plan.next_check_at = next_check(plan, calendar, done)
    ActionPlan.objects.filter(pk=plan.pk).update(next_check_at=plan.next_check_at)


def escalation_unit(unit: Unit, level: int) -> int:
    """An overdue action goes above its own unit: the first escalation to the unit's
    parent, the next one further up, HQ at most."""
    chain = escalation_chain(unit)
    return escalation_target(chain[1:] or chain, level)


def actions_overdue_sweep(*, now: datetime | None = None, limit: int = BATCH) -> int:
    """Warn of or escalate up to ``limit`` actions whose next check has come; how many."""
    now = now or timezone.now()
    with transaction.atomic(), translation.override(settings.LANGUAGE_CODE):
        claimed = (
            ActionPlan.objects.select_for_update(skip_locked=True)
            .filter(status=ActionStatus.OPEN, next_check_at__lte=now)
            .order_by("next_check_at")
            .values("pk")[:limit]
        )
        plans = list(ActionPlan.objects.filter(pk__in=claimed).select_related("unit", "owner"))
        if plans:
            _Pass(now, plans).run()
    return len(plans)


class _Pass:
    def __init__(self, now: datetime, plans: list[ActionPlan]) -> None:
        self.now, self.plans = now, plans
        self.book = CalendarBook()
        self.done: dict[int, Done] = {plan.pk: set() for plan in plans}
        for plan_id, due_at, kind in ActionDeadline.objects.filter(
            plan_id__in=self.done
        ).values_list("plan_id", "due_at", "kind"):
            self.done[plan_id].add((due_at, kind))
        self.targets = {
            plan.pk: escalation_unit(plan.unit, plan.escalation_level) for plan in plans
        }
        self.managers = managers_by_unit(
            {plan.unit_id for plan in plans} | set(self.targets.values())
        )
        self.units = Unit.objects.in_bulk(set(self.targets.values()))
        self.rows: list[ActionDeadline] = []
        self.messages: list[Message] = []

    def run(self) -> None:
        for plan in self.plans:
            self._decide(plan)
        ActionDeadline.objects.bulk_create(self.rows)
        Message.objects.bulk_create(self.messages)
        for plan in self.plans:
            ActionPlan.objects.filter(pk=plan.pk).update(
                next_check_at=plan.next_check_at, escalation_level=plan.escalation_level
            )

    def _decide(self, plan: ActionPlan) -> None:
        calendar = self.book.for_unit(plan.unit)
        due = due_moment(plan.due_on, calendar)
        kind = ActionDeadline.Kind.WARNING if self.now < due else ActionDeadline.Kind.BREACH
        done = self.done[plan.pk]
        if (due, kind) not in done:
            self._record(plan, due, kind, calendar)
            done.add((due, kind))
        plan.next_check_at = next_check(plan, calendar, done)

    def _record(
        self, plan: ActionPlan, due: datetime, kind: str, calendar: WorkingCalendar
    ) -> None:
        subject = _Subject(f"A{plan.pk}", plan.title)
        day = f"{plan.due_on:%Y-%m-%d}"
        owner = plan.owner.email or None
        if kind == ActionDeadline.Kind.WARNING:
            self.rows.append(ActionDeadline(plan=plan, due_at=due, kind=kind, created_at=self.now))
            text = _("The action “%(title)s” is due on %(due)s.") % {
                "title": plan.title,
                "due": day,
            }
            recipients = [owner] if owner else self.managers.get(plan.unit_id, [])
        else:
            target = self.units[self.targets[plan.pk]]
            plan.escalation_level += 1
            self.rows.append(
                ActionDeadline(plan=plan, due_at=due, kind=kind, escalated_to=target,
                               created_at=self.now)
            )  # fmt: skip
            text = _("The action “%(title)s” was due on %(due)s and is overdue — escalated to "
                     "%(unit)s.") % {"title": plan.title, "due": day, "unit": target}  # fmt: skip
            recipients = escalation_recipients(target.pk, owner, self.managers)
        for email in dict.fromkeys(recipients):
            self.messages.append(
                Message(**notice(subject, email, text, purpose="action_deadline", at=self.now))
            )
