"""The deadline sweep (the quick-response mechanism): warn the owner at 80 % of a
deadline, and on a breach escalate to the next level of the org tree and record the
overdue against the responsible staff member.

A pass claims the due watches (``DeadlineWatch.next_check_at`` is indexed, so it reads
what is due, not what is open) with ``FOR UPDATE SKIP LOCKED``, reads their cases in
the same statement, decides in memory, and writes the deadline actions (the case's
timeline words them when shown), outbox messages and next checks in bulk in the same
transaction. ``DeadlineAction`` is unique per case, deadline, due moment and action,
and the decision reads what was already recorded — so each warning and escalation
happens exactly once, however many workers run and wherever one is killed (a killed
worker's transaction rolls back and another does the work).
"""

import gc
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, fields
from datetime import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone

from manyi.bulk import insert_many, update_many
from manyi.cases import deadlines
from manyi.cases.escalation import (
    escalation_chain,
    escalation_recipients,
    escalation_target,
    managers_by_unit,
    notice,
)
from manyi.cases.hooks import case_event
from manyi.cases.models import Deadline, DeadlineAction, DeadlineWatch, Pause
from manyi.cases.timeline import BREACH_TEXT, WARNING_TEXT
from manyi.notify.models import Message
from manyi.org.models import Staff, Unit

BATCH = 5000


@dataclass(slots=True)
class _Due:
    """What the sweep needs of a due case, without a model instance each."""

    pk: int
    number: str
    subject: str
    kind: str
    severity: str
    tier: str
    status: str
    clock_started_at: datetime
    first_responded_at: datetime | None
    first_response_due: datetime | None
    resolution_due: datetime | None
    next_check_deadline: str
    escalation_level: int
    unit_id: int
    owner_id: int | None
    unit: Unit
    next_check_at: datetime | None = None


# The columns the claim reads, in _Due's order (the watch's own, the rest its case's);
# the unit's path comes after them.
OWN = ("next_check_deadline", "escalation_level")
FIELDS = tuple(
    name if name in OWN else ("case_id" if name == "pk" else f"case__{name}")
    for name in (f.name for f in fields(_Due) if f.name not in ("unit", "next_check_at"))
)
UNIT_ID = FIELDS.index("case__unit_id")


def sla_sweep(*, now: datetime | None = None, limit: int = BATCH) -> int:
    """Act on up to ``limit`` cases whose next check has come; the number acted on."""
    now = now or timezone.now()
    with transaction.atomic(), _collector_paused():
        # Claimed on the narrow watch table alone, then joined to the cases: the sort
        # and the row locks never touch the wide case rows.
        claimed = (
            DeadlineWatch.objects.select_for_update(skip_locked=True)
            .filter(next_check_at__lte=now)
            .order_by("next_check_at")
            .values("pk")[:limit]
        )
        rows = list(
            DeadlineWatch.objects.filter(pk__in=claimed).values_list(*FIELDS, "case__unit__path")
        )
        if rows:
            _Pass(now, rows).run()
    return len(rows)


@contextmanager
def _collector_paused() -> Iterator[None]:
    """A pass makes tens of thousands of short-lived objects without cycles (reference
    counting frees them); the cyclic collector would scan the whole worker process
    again and again while they live, for nothing."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


class _Pass:
    """One batch of due cases: read together, decided in memory, written in bulk."""

    def __init__(self, now: datetime, rows: list[tuple[Any, ...]]) -> None:
        self.now = now
        units: dict[int, Unit] = {}
        # Each unit's escalation chain: the unit itself, then up to HQ.
        self.chains: dict[int, list[int]] = {}
        self.cases = []
        for *values, path in rows:
            unit_id = values[UNIT_ID]
            if unit_id not in units:
                units[unit_id] = Unit(pk=unit_id, path=path)
                self.chains[unit_id] = escalation_chain(units[unit_id])
            self.cases.append(_Due(*values, unit=units[unit_id]))
        ids = [case.pk for case in self.cases]
        owners = {case.owner_id for case in self.cases if case.owner_id}
        self.emails = dict(
            Staff.objects.filter(pk__in=owners).exclude(email="").values_list("pk", "email")
        )
        self.pauses: dict[int, deadlines.Pauses] = defaultdict(list)
        for case_id, start, end in Pause.objects.filter(case_id__any=ids).values_list(
            "case_id", "started_at", "ended_at"
        ):
            self.pauses[case_id].append((start, end or now + deadlines.FAR))
        self.done: dict[int, deadlines.Done] = defaultdict(set)
        for case_id, *key in DeadlineAction.objects.filter(case_id__any=ids).values_list(
            "case_id", "deadline", "due_at", "action"
        ):
            self.done[case_id].add(tuple(key))  # type: ignore[arg-type]
        self.rules = deadlines.Rules()
        # Translated once a pass, not once a case.
        self.labels = {value: str(label) for value, label in Deadline.choices}
        self.warning, self.overdue = str(WARNING_TEXT), str(BREACH_TEXT)
        self.zone = timezone.get_current_timezone()
        self.actions: list[dict[str, Any]] = []
        self.messages: list[dict[str, Any]] = []
        self.units: dict[int, Unit] = {}
        self.managers: dict[int, list[str]] = {}
        self.escalations: list[tuple[_Due, Unit]] = []

    def run(self) -> None:
        self._load_tree()
        for case in self.cases:
            self._decide(case)
        insert_many(DeadlineAction, self.actions)
        insert_many(Message, self.messages)
        for case, target in self.escalations:
            case_event(
                "case.escalated", case_id=case.pk, number=case.number, kind=case.kind,
                severity=case.severity, status=case.status, unit=case.unit, escalated_to=target,
            )  # fmt: skip
        update_many(
            DeadlineWatch,
            [
                {
                    "pk": case.pk,
                    "next_check_at": case.next_check_at,
                    "next_check_deadline": case.next_check_deadline,
                    "escalation_level": case.escalation_level,
                }
                for case in self.cases
            ],
        )

    def _load_tree(self) -> None:
        """The units the cases may escalate to, and the managers who sit in them."""
        wanted = {pk for chain in self.chains.values() for pk in chain}
        self.units = Unit.objects.in_bulk(wanted)
        self.managers = managers_by_unit(wanted)

    def _decide(self, case: _Due) -> None:
        deadline = case.next_check_deadline
        due_at = (
            case.first_response_due
            if deadline == Deadline.FIRST_RESPONSE
            else (case.resolution_due)
        )
        done = self.done[case.pk]
        if due_at is not None and deadline:
            action = (
                DeadlineAction.Action.WARNING if self.now < due_at else DeadlineAction.Action.BREACH
            )
            if (deadline, due_at, action) not in done:
                self._record(case, deadline, due_at, action)
                done.add((deadline, due_at, action))
        case.next_check_at, case.next_check_deadline = deadlines.next_check(
            case, rules=self.rules, pauses=self.pauses[case.pk], done=done
        )

    def _record(self, case: _Due, deadline: str, due_at: datetime, action: str) -> None:
        label = self.labels[deadline]
        due = f"{due_at.astimezone(self.zone):%Y-%m-%d %H:%M}"
        if action == DeadlineAction.Action.WARNING:
            text = self.warning % {"deadline": label, "due": due}
            self.actions.append(self._action(case, deadline, due_at, action, None))
            owner = self.emails.get(case.owner_id) if case.owner_id else None
            self._notify([owner] if owner else self.managers.get(case.unit_id, []), case, text)
            return
        target = self._escalation_unit(case)
        case.escalation_level += 1
        text = self.overdue % {"deadline": label, "due": due, "unit": target}
        self.actions.append(self._action(case, deadline, due_at, action, target))
        owner = self.emails.get(case.owner_id) if case.owner_id else None
        self._notify(escalation_recipients(target.pk, owner, self.managers), case, text)
        self.escalations.append((case, target))

    def _action(
        self, case: _Due, deadline: str, due_at: datetime, action: str, target: Unit | None
    ) -> dict[str, Any]:
        return {
            "case_id": case.pk,
            "deadline": deadline,
            "due_at": due_at,
            "action": str(action),  # the value, not an enum member
            "staff_id": case.owner_id,
            "escalated_to_id": target.pk if target else None,
            "created_at": self.now,
        }

    def _escalation_unit(self, case: _Due) -> Unit:
        """Store manager first, then the region, then HQ: the unit itself, then up."""
        return self.units[escalation_target(self.chains[case.unit_id], case.escalation_level)]

    def _notify(self, emails: list[str], case: _Due, text: str) -> None:
        for email in dict.fromkeys(emails):
            self.messages.append(notice(case, email, text, purpose="case_deadline", at=self.now))
