"""Inspections against the standards: scheduled per unit and month, drawn by surprise
from a seed, carried out (answers stored once however often a phone sends them),
cancelled; a failed standard turned into an action or a case — each change audited."""

import calendar
import secrets
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any
from uuid import UUID

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from manyi.audit.services import audit_record
from manyi.errors import DomainError
from manyi.improve.draw import draw_surprises
from manyi.improve.models import (
    ActionPlan,
    ActionSource,
    Checklist,
    Inspection,
    InspectionAnswer,
    InspectionKind,
    InspectionStatus,
    StandardClass,
    SurpriseDraw,
)
from manyi.improve.services.actions import action_open
from manyi.org.models import Unit, UnitLevel
from manyi.org.permissions import (
    may_carry_out,
    may_order_mystery_shops,
    may_plan_inspections,
    may_see_inspections,
    may_see_unit,
)
from manyi.org.selectors import scope_unit, visible_units
from manyi.web.uploads import PHOTOS, RECORDINGS, checked_upload

AHEAD = 12  # months ahead an inspection may be planned
FIX_WITHIN = 14  # days an action opened from a failure is due in


class InspectionError(DomainError):
    """An inspection, or a change to one, that cannot be made."""


@dataclass(frozen=True)
class Given:
    """One standard's answer as given: "yes", "no", "na" or a score; a note; evidence."""

    result: str
    note: str = ""
    photo: UploadedFile | None = None
    audio: UploadedFile | None = None


def _month_days(month: date, today: date) -> list[date]:
    """The days of ``month`` from ``today`` on."""
    last = calendar.monthrange(month.year, month.month)[1]
    return [d for d in (month.replace(day=day) for day in range(1, last + 1)) if d >= today]


def _check_plan(actor: Any, checklist: Checklist, month: date, today: date) -> None:
    if not may_plan_inspections(actor):
        raise InspectionError(_("You may not plan inspections."))
    if not checklist.is_active:
        raise InspectionError(_("That checklist is out of use."))
    ahead = (month.year - today.year) * 12 + month.month - today.month
    if ahead < 0 or ahead > AHEAD:
        raise InspectionError(_("Inspections are planned for this month or the next twelve."))


def _check_inspector(inspector: Any, unit: Unit) -> None:
    if inspector is None:
        return
    if (
        not inspector.is_active
        or not may_see_inspections(inspector)
        or not may_see_unit(inspector, unit)
    ):
        raise InspectionError(
            _("The inspector must be a manager who sees %(unit)s.") % {"unit": unit}
        )


@transaction.atomic
def inspections_schedule(
    *,
    actor: Any,
    checklist: Checklist,
    units: list[Unit],
    planned_for: date,
    inspector: Any = None,
    now: datetime | None = None,
) -> list[Inspection]:
    """Plan a scheduled inspection of each of ``units`` on ``planned_for``: by
    ``inspector``, or, with none named, by the unit's own managers (a self-inspection)."""
    today = timezone.localdate(now or timezone.now())
    _check_plan(actor, checklist, planned_for.replace(day=1), today)
    if planned_for < today:
        raise InspectionError(_("That day has passed already."))
    if not units:
        raise InspectionError(_("Choose the units to inspect."))
    planned = []
    for unit in units:
        if not may_see_unit(actor, unit):
            raise InspectionError(_("That unit is outside your part of the network."))
        if unit.level not in (UnitLevel.STORE, UnitLevel.DEPARTMENT):
            raise InspectionError(_("Stores and their departments are inspected."))
        _check_inspector(inspector, unit)
        planned.append(Inspection.objects.create(
            checklist=checklist, kind=InspectionKind.SCHEDULED, unit=unit,
            planned_for=planned_for, inspector=inspector, created_by=actor,
        ))  # fmt: skip
    audit_record(
        actor=actor, action="inspection.schedule", obj=checklist,
        changes={"units": [unit.pk for unit in units], "planned_for": planned_for.isoformat(),
                 "inspector": inspector.pk if inspector else None},
    )  # fmt: skip
    return planned


@transaction.atomic
def surprise_draw(
    *,
    actor: Any,
    checklist: Checklist,
    scope: Unit,
    month: date,
    count: int,
    inspector: Any,
    seed: int | None = None,
    now: datetime | None = None,
) -> SurpriseDraw:
    """Draw ``count`` stores of ``scope`` and a day of ``month`` (from today on) for
    each, with ``seed`` (a fresh one when none is given); ``inspector`` carries them out.
    Store staff do not see them until they are done."""
    today = timezone.localdate(now or timezone.now())
    month = month.replace(day=1)
    _check_plan(actor, checklist, month, today)
    if not may_see_unit(actor, scope):
        raise InspectionError(_("That unit is outside your part of the network."))
    if scope.level not in (UnitLevel.HQ, UnitLevel.REGION):
        raise InspectionError(_(
            "Surprise inspections are drawn among the stores of a region or of the whole "
            "network."
        ))  # fmt: skip
    if inspector is None or not may_plan_inspections(inspector):
        raise InspectionError(
            _("A surprise inspection is carried out by someone from above the store.")
        )
    _check_inspector(inspector, scope)
    stores = list(
        visible_units(actor)
        .filter(path__startswith=scope.path, level=UnitLevel.STORE, is_active=True)
        .values_list("pk", flat=True)
    )
    if not stores:
        raise InspectionError(_("There are no stores there to draw from."))
    if not 1 <= count <= len(stores):
        raise InspectionError(_("Draw between 1 and %(stores)d stores.") % {"stores": len(stores)})
    seed = secrets.randbits(48) if seed is None else seed
    drawn = draw_surprises(seed=seed, unit_ids=stores, days=_month_days(month, today), count=count)
    draw = SurpriseDraw.objects.create(
        checklist=checklist, scope=scope, month=month, count=count, seed=seed, drawn_by=actor
    )
    Inspection.objects.bulk_create(
        Inspection(
            checklist=checklist, kind=InspectionKind.SURPRISE, unit_id=unit_id, planned_for=day,
            inspector=inspector, draw=draw, created_by=actor,
        )
        for unit_id, day in drawn
    )  # fmt: skip
    audit_record(  # against the drawer's unit: the stores must not read of it
        actor=actor, action="inspection.draw", obj=draw, unit=scope_unit(actor),
        changes={"seed": seed, "count": count, "month": month.isoformat(),
                 "inspector": inspector.pk},
    )  # fmt: skip
    return draw


@transaction.atomic
def inspection_cancel(*, actor: Any, inspection: Inspection, reason: str) -> Inspection:
    """Call off a planned inspection or mystery shop, saying why."""
    locked = Inspection.objects.select_for_update().get(pk=inspection.pk)
    if not may_plan_inspections(actor) or not may_see_unit(actor, locked.unit_id):
        raise InspectionError(_("You may not plan inspections."))
    if locked.kind == InspectionKind.MYSTERY and not may_order_mystery_shops(actor):
        raise InspectionError(_("Only whoever orders mystery shops calls one off."))
    if not locked.is_planned:
        raise InspectionError(_("Only a planned inspection can be called off."))
    if not reason.strip():
        raise InspectionError(_("Say why it is called off."))
    locked.status = InspectionStatus.CANCELLED
    locked.token_hash = None
    locked.save(update_fields=["status", "token_hash"])
    unannounced = locked.kind != InspectionKind.SCHEDULED
    audit_record(actor=actor, action="inspection.cancel", obj=locked,
                 unit=scope_unit(actor) if unannounced else locked.unit,
                 changes={"reason": reason.strip()[:400]})  # fmt: skip
    return locked


Evidence = list[tuple[str, UploadedFile, str]]  # (field, file, extension)


def _answer(item: Any, given: Given | None) -> tuple[InspectionAnswer, Evidence]:
    """The answer to one checklist item, checked (every standard is answered), and its
    evidence, checked by type and size, to store once every answer is found good."""
    title = item.standard.versions.all()[0].title
    if given is None or not given.result:
        raise InspectionError(_("Answer “%(standard)s”.") % {"standard": title})
    evidence: Evidence = []
    answer = InspectionAnswer(
        standard=item.standard, version=item.standard.versions.all()[0], order=item.order,
        points=item.points, note=given.note.strip()[:1000],
    )  # fmt: skip
    if given.result == "na":
        answer.passed = None
    elif item.points == 0 and given.result in ("yes", "no"):
        answer.passed = given.result == "yes"
    elif item.points and given.result.isascii() and given.result.isdigit():
        answer.score = int(given.result)
        if answer.score > item.points:
            raise InspectionError(
                _("“%(standard)s” is scored from 0 to %(points)d.")
                % {"standard": title, "points": item.points}
            )
        answer.passed = answer.score >= item.pass_mark
    else:
        raise InspectionError(_("“%(standard)s” has no such answer.") % {"standard": title})
    for field, upload, allowed, refused in (
        ("photo", given.photo, PHOTOS, _("A photo is a JPEG or PNG file.")),
        ("audio", given.audio, RECORDINGS, _("A recording is an MP3, M4A, AMR, OGG or WAV file.")),
    ):
        if upload:
            content_type, extension = checked_upload(upload, allowed=allowed, refused=refused)
            setattr(answer, f"{field}_type", content_type)
            evidence.append((field, upload, extension))
    return answer, evidence


def record(
    *,
    actor: Any,
    inspection: Inspection,
    answers: dict[int, Given],
    submission_key: UUID,
    now: datetime | None = None,
) -> Inspection:
    """Store the answers of a planned inspection (locked by the caller) once: sent again
    with the same ``submission_key`` it is returned as it was stored."""
    if inspection.status == InspectionStatus.DONE:
        if inspection.submission_key == submission_key:
            return inspection
        raise InspectionError(_("This inspection has been carried out already."))
    if inspection.status != InspectionStatus.PLANNED:
        raise InspectionError(_("This inspection has been called off."))
    if Inspection.objects.filter(submission_key=submission_key).exists():
        raise InspectionError(_("These answers were sent for another inspection."))
    items = inspection.checklist.items.select_related("standard").prefetch_related(
        "standard__versions"
    )
    checked = [_answer(item, answers.get(item.standard_id)) for item in items]
    for row, evidence in checked:
        row.inspection = inspection
        for field, upload, extension in evidence:
            getattr(row, field).save(f"{field}{extension}", upload, save=False)
    rows = [row for row, _evidence in checked]
    if set(answers) - {row.standard_id for row in rows}:
        raise InspectionError(_("Some answers are for standards not on this checklist."))
    InspectionAnswer.objects.bulk_create(rows)
    classes = dict(
        inspection.checklist.items.values_list("standard_id", "standard__standard_class")
    )
    marked = [row.value for row in rows if row.value is not None]
    inspection.score = round(100 * sum(marked) / len(marked), 1) if marked else None
    inspection.failed = sum(1 for row in rows if row.passed is False)
    inspection.basic_failed = sum(
        1 for row in rows
        if row.passed is False and classes.get(row.standard_id) == StandardClass.BASIC
    )  # fmt: skip
    inspection.status = InspectionStatus.DONE
    inspection.done_at = now or timezone.now()
    inspection.submission_key = submission_key
    inspection.token_hash = None  # a link is used once
    if actor is not None and inspection.inspector_id is None and inspection.kind != "mystery":
        inspection.inspector = actor
    inspection.save()
    audit_record(
        actor=actor, action="inspection.record", obj=inspection, unit_id=inspection.unit_id,
        changes={"score": inspection.score, "failed": inspection.failed,
                 "basic_failed": inspection.basic_failed},
    )  # fmt: skip
    return inspection


@transaction.atomic
def inspection_record(
    *,
    actor: Any,
    inspection: Inspection,
    answers: dict[int, Given],
    submission_key: UUID,
    now: datetime | None = None,
) -> Inspection:
    """Carry out ``inspection``: every standard of its checklist answered yes, no, not
    applicable or with its score, with notes and photos. The score is the share of the
    marks earned over the standards that applied, 0–100."""
    locked = Inspection.objects.select_for_update().get(pk=inspection.pk)
    if not may_carry_out(actor, locked):
        raise InspectionError(_("You may not carry out this inspection."))
    return record(actor=actor, inspection=locked, answers=answers,
                  submission_key=submission_key, now=now)  # fmt: skip


def _failure(actor: Any, answer: InspectionAnswer) -> InspectionAnswer:
    locked = (
        InspectionAnswer.objects.select_for_update()
        .select_related("inspection__unit", "version")
        .get(pk=answer.pk)
    )
    if not may_see_inspections(actor) or not may_see_unit(actor, locked.inspection.unit_id):
        raise InspectionError(_("That unit is outside your part of the network."))
    if locked.passed is not False:
        raise InspectionError(_("Only a failed standard is followed up."))
    if locked.inspection.competitor_id:
        raise InspectionError(_("A competitor's failure is not ours to follow up."))
    return locked


@transaction.atomic
def answer_to_action(
    *, actor: Any, answer: InspectionAnswer, now: datetime | None = None
) -> ActionPlan:
    """Open an improvement action on a failed standard, owned by ``actor`` and due in
    two weeks, with the inspection as its evidence; the same action if one is open."""
    locked = _failure(actor, answer)
    if locked.action_id:
        return locked.action
    now = now or timezone.now()
    inspection = locked.inspection
    evidence = {
        "inspection": inspection.pk, "standard": locked.standard.code,
        "version": locked.version.number,
        "carried_out": timezone.localdate(inspection.done_at).isoformat(),
    }  # fmt: skip
    if locked.note:
        evidence["note"] = locked.note[:400]
    locked.action = action_open(
        actor=actor, unit=inspection.unit, title=locked.version.title[:200], owner=actor,
        due_on=timezone.localdate(now) + timedelta(days=FIX_WITHIN), source=ActionSource.CHECK,
        why=locked.note, evidence=evidence, now=now,
    )  # fmt: skip
    locked.save(update_fields=["action"])
    return locked.action


@transaction.atomic
def answer_to_case(*, actor: Any, answer: InspectionAnswer) -> Any:
    """Open a case on a failed standard for the unit's case handlers (a request, from
    an inspection); the same case if one was opened."""
    from manyi.cases.assignment import default_owner
    from manyi.cases.models import CaseChannel, CaseKind
    from manyi.cases.services import case_open

    locked = _failure(actor, answer)
    if locked.case_id:
        return locked.case
    inspection = locked.inspection
    description = _("Failed in the %(kind)s of %(day)s.") % {
        "kind": inspection.get_kind_display(), "day": inspection.planned_for.isoformat(),
    }  # fmt: skip
    if locked.note:
        description = f"{description}\n{locked.note}"
    locked.case = case_open(
        actor=actor, kind=CaseKind.REQUEST, unit=inspection.unit,
        subject=locked.version.title[:200], channel=CaseChannel.INSPECTION,
        description=description, owner=default_owner(inspection.unit),
    )  # fmt: skip
    locked.save(update_fields=["case"])
    return locked.case
