"""Improvement actions (改进计划): opened with their evidence, an owner and a due date,
worked through tasks and progress notes, finished or cancelled — each change audited."""

import json
import math
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from manyi.analytics.cells import variables
from manyi.audit.services import audit_record
from manyi.errors import DomainError
from manyi.improve import overdue
from manyi.improve.models import (
    ActionNote,
    ActionPlan,
    ActionSource,
    ActionStatus,
    ActionTask,
)
from manyi.improve.selectors.targets import figure_bounds
from manyi.org.models import Unit
from manyi.org.permissions import (
    may_plan_actions,
    may_see_unit,
    may_tick_task,
    may_work_action,
)
from manyi.surveys.models import Programme
from manyi.surveys.services.invitations import covered_units
from manyi.surveys.versions import definition_of
from manyi.web.uploads import PHOTOS, checked_upload


class ActionError(DomainError):
    """An action or a change to one that cannot be made."""


HORIZON = 730  # days ahead an action or a task may be due at most
LOOKBACK = 24  # months back the month that triggered an action may lie
EVIDENCE_LONGEST = 4000  # characters of evidence, written out


def _check_due(due_on: date, today: date) -> None:
    if due_on < today:
        raise ActionError(_("The due date has passed already."))
    if (due_on - today).days > HORIZON:
        raise ActionError(_("An action or a task is due within two years."))


def _check_figure(
    unit: Unit, programme: Programme | None, variable: str, expected_change: Decimal | None
) -> None:
    if bool(programme) != bool(variable):
        raise ActionError(_("A figure to move needs both the programme and the figure."))
    if programme and variable not in variables(definition_of(programme.version_id)):
        raise ActionError(_("That figure is not one of the programme's questionnaire."))
    if programme and unit.pk not in covered_units(programme):
        raise ActionError(_("That programme does not survey this unit's customers."))
    if expected_change is not None:
        low, high = figure_bounds(variable or "@index")
        if abs(expected_change) > high - low:
            raise ActionError(_("The figure cannot move by that much on its scale."))


def _check_evidence(evidence: Any) -> None:
    """Evidence is a flat record: names (short) with a text or a number each."""
    flat = isinstance(evidence, dict) and all(
        isinstance(key, str) and len(key) <= 40
        and isinstance(value, str | int | float) and not isinstance(value, bool)
        and (not isinstance(value, float) or math.isfinite(value))
        for key, value in evidence.items()
    )  # fmt: skip
    if not flat:
        raise ActionError(_("Evidence is a list of names, each with a text or a number."))
    if len(json.dumps(evidence, ensure_ascii=False)) > EVIDENCE_LONGEST:
        raise ActionError(_("The evidence is too long: link to it instead."))


def _check_trigger(trigger_month: date | None, today: date) -> None:
    if trigger_month is None:
        return
    this_month = today.replace(day=1)
    months_back = (
        (this_month.year - trigger_month.year) * 12 + this_month.month - trigger_month.month
    )
    if months_back < 0 or months_back > LOOKBACK:
        raise ActionError(_("The month that triggered it lies within the last two years."))


def _check(actor: Any, unit_id: int) -> None:
    if not may_plan_actions(actor):
        raise ActionError(_("You may not plan improvement actions."))
    if not may_see_unit(actor, unit_id):
        raise ActionError(_("That unit is outside your part of the network."))


def _check_owner(owner: Any, unit_id: int) -> None:
    if owner is None or not owner.is_active or not may_see_unit(owner, unit_id):
        raise ActionError(_("The owner must be a colleague who works in that unit's part."))


@transaction.atomic
def action_open(
    *,
    actor: Any,
    unit: Unit,
    title: str,
    owner: Any,
    due_on: date,
    why: str = "",
    source: str = ActionSource.HAND,
    evidence: dict | None = None,
    programme: Programme | None = None,
    variable: str = "",
    expected_change: Decimal | None = None,
    trigger_month: date | None = None,
    now: datetime | None = None,
) -> ActionPlan:
    """Open an action for ``unit``: what, why (its evidence), who and by when; and, when
    it should move a figure, which and by how much, and the month that triggered it."""
    _check(actor, unit.pk)
    _check_owner(owner, unit.pk)
    now = now or timezone.now()
    title = title.strip()
    if not title:
        raise ActionError(_("Say what the action is."))
    if source not in ActionSource.values:
        raise ActionError(_("Choose where the action comes from."))
    today = timezone.localdate(now)
    _check_due(due_on, today)
    _check_figure(unit, programme, variable, expected_change)
    _check_trigger(trigger_month, today)
    _check_evidence(evidence or {})
    plan = ActionPlan.objects.create(
        unit=unit, title=title, why=why.strip(), source=source, evidence=evidence or {},
        programme=programme, variable=variable, expected_change=expected_change,
        trigger_month=trigger_month.replace(day=1) if trigger_month else None,
        owner=owner, due_on=due_on, created_by=actor, created_at=now, clock_started_at=now,
    )  # fmt: skip
    overdue.schedule(plan)
    audit_record(
        actor=actor, action="action.open", obj=plan, unit=unit,
        changes={"source": source, "owner": owner.pk, "due_on": due_on.isoformat()},
    )  # fmt: skip
    return plan


def _locked_open(actor: Any, plan: ActionPlan, *, planning: bool = True) -> ActionPlan:
    """The action, locked, if still open and ``actor`` may change it: plan it (a
    manager of its part), or only work it (``planning`` False: its owners too)."""
    locked = ActionPlan.objects.select_for_update().get(pk=plan.pk)
    if planning:
        _check(actor, locked.unit_id)
    elif not may_see_unit(actor, locked.unit_id):
        raise ActionError(_("That unit is outside your part of the network."))
    elif not may_work_action(actor, locked):
        raise ActionError(_("Only its owners and the managers of its unit may work this action."))
    if not locked.is_open:
        raise ActionError(
            _("This action is finished: %(status)s.") % {"status": locked.get_status_display()}
        )
    return locked


@transaction.atomic
def action_task_add(
    *,
    actor: Any,
    plan: ActionPlan,
    title: str,
    due_on: date,
    owner: Any = None,
    now: datetime | None = None,
) -> ActionTask:
    locked = _locked_open(actor, plan)
    if owner is not None:
        _check_owner(owner, locked.unit_id)
    if not title.strip():
        raise ActionError(_("Say what the task is."))
    _check_due(due_on, timezone.localdate(now))
    if due_on > locked.due_on:
        raise ActionError(_("A task is due by the action's own due date."))
    task = ActionTask.objects.create(plan=locked, title=title.strip(), due_on=due_on, owner=owner)
    audit_record(actor=actor, action="action.task_add", obj=locked, unit_id=locked.unit_id,
                 changes={"task": task.pk})  # fmt: skip
    return task


@transaction.atomic
def action_task_done(*, actor: Any, task: ActionTask, now: datetime | None = None) -> ActionTask:
    """Tick a task off: a manager of the action's part, its owner, or the task's own."""
    locked = _locked_open(actor, task.plan, planning=False)
    if not may_tick_task(actor, locked, task):
        raise ActionError(_("Only its owner, the action's owner or a manager ticks this task."))
    changed = ActionTask.objects.filter(pk=task.pk, done_at__isnull=True).update(
        done_at=now or timezone.now()
    )
    if changed:
        audit_record(actor=actor, action="action.task_done", obj=locked,
                     unit_id=locked.unit_id, changes={"task": task.pk})  # fmt: skip
    task.refresh_from_db()
    return task


@transaction.atomic
def action_note_add(
    *,
    actor: Any,
    plan: ActionPlan,
    text: str,
    photo: UploadedFile | None = None,
    now: datetime | None = None,
) -> ActionNote:
    """Note progress on an action, with a photo of it (JPEG or PNG, at most 10 MB)."""
    locked = _locked_open(actor, plan, planning=False)
    if not text.strip():
        raise ActionError(_("Write what has happened."))
    note = ActionNote(
        plan=locked, author=actor, text=text.strip(), created_at=now or timezone.now()
    )
    if photo is not None:
        note.photo_type, extension = checked_upload(
            photo, allowed=PHOTOS, refused=_("Only photos (JPEG, PNG) can be added to a note.")
        )
        note.photo.save(f"{locked.pk}{extension}", photo, save=False)
    note.save()
    audit_record(actor=actor, action="action.note", obj=locked, unit_id=locked.unit_id,
                 changes={"note": note.pk})  # fmt: skip
    return note


@transaction.atomic
def action_close(
    *, actor: Any, plan: ActionPlan, status: str, now: datetime | None = None
) -> ActionPlan:
    """Finish an action (done: its effect is measured from then on) or cancel it."""
    locked = _locked_open(actor, plan)
    if status not in (ActionStatus.DONE, ActionStatus.CANCELLED):
        raise ActionError(_("An action ends done or cancelled."))
    if status == ActionStatus.DONE and locked.tasks.filter(done_at__isnull=True).exists():
        raise ActionError(_("Tick off its tasks first."))
    locked.status, locked.done_at = status, now or timezone.now()
    locked.next_check_at = None
    locked.save(update_fields=["status", "done_at", "next_check_at"])
    audit_record(actor=actor, action="action.close", obj=locked, unit_id=locked.unit_id,
                 changes={"status": status})  # fmt: skip
    return locked


@transaction.atomic
def action_redate(*, actor: Any, plan: ActionPlan, due_on: date, reason: str) -> ActionPlan:
    """Move an open action's due date, saying why; the new date is warned of and
    escalated on its own (what was recorded for the old one stays)."""
    locked = _locked_open(actor, plan)
    if not reason.strip():
        raise ActionError(_("Say why the due date moves."))
    _check_due(due_on, timezone.localdate())
    if locked.tasks.filter(done_at__isnull=True, due_on__gt=due_on).exists():
        raise ActionError(_("Some of its open tasks are due later: move them first."))
    before, locked.due_on = locked.due_on, due_on
    locked.clock_started_at = timezone.now()  # the warning counts from the move
    locked.save(update_fields=["due_on", "clock_started_at"])
    ActionNote.objects.create(plan=locked, author=actor, text=reason.strip(),
                              moved_from=before, moved_to=due_on)  # fmt: skip
    overdue.schedule(locked)
    audit_record(actor=actor, action="action.redate", obj=locked, unit_id=locked.unit_id,
                 changes={"due_on": [before.isoformat(), due_on.isoformat()]})  # fmt: skip
    return locked
