"""Training services: HQ keeps the courses; a manager assigns a course to a person of
their part with a due date and the reason, records attendance and signs it off."""

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from manyi.audit.services import audit_record
from manyi.errors import DomainError
from manyi.org.permissions import may_assign_training, may_see_unit, may_set_courses
from manyi.people.models import Course, TrainingAssignment, TrainingStatus

LONGEST_AHEAD = 366  # days a training may be due ahead


class TrainingError(DomainError):
    """A course or training change that cannot be made."""


@transaction.atomic
def course_save(
    *, actor: Any, title: str, hours: Decimal, items: list[str], standards: list[Any],
    title_en: str = "", description: str = "", is_active: bool = True,
    course: Course | None = None,
) -> Course:  # fmt: skip
    """Create or change a course: what it addresses (survey items or factors, and
    service standards) and how long it takes."""
    if not may_set_courses(actor):
        raise TrainingError(_("You may not keep the course catalogue."))
    title = title.strip()[:120]
    if not title:
        raise TrainingError(_("Give the course a title."))
    if not Decimal("0.5") <= hours <= Decimal("200"):
        raise TrainingError(_("A course takes from half an hour to 200 hours."))
    if not items and not standards:
        raise TrainingError(_("Say what the course addresses: survey items or standards."))
    course = course or Course()
    course.title, course.title_en, course.hours = title, title_en.strip()[:120], hours
    course.items = list(dict.fromkeys(item.strip() for item in items if item.strip()))
    course.description, course.is_active = description.strip()[:4000], is_active
    course.updated_by, course.updated_at = actor, timezone.now()
    course.save()
    course.standards.set(standards)
    changes = {"items": course.items, "standards": [standard.pk for standard in standards]}
    audit_record(actor=actor, action="course.save", obj=course, changes=changes)
    return course


def _check_part(actor: Any, staff: Any) -> None:
    if not may_assign_training(actor) or not may_see_unit(actor, staff.unit_id):
        raise TrainingError(_("That person is outside your part of the network."))
    if staff.pk == actor.pk:
        raise TrainingError(_("Your own training is assigned and signed off by someone else."))


@transaction.atomic
def training_assign(
    *, actor: Any, staff: Any, course: Course, due_on: date, reason: str = ""
) -> TrainingAssignment:
    """Put ``course`` in ``staff``'s training plan, due on ``due_on``, for ``reason``
    (``item:SA2`` or ``standard:covers``); once while it is open."""
    _check_part(actor, staff)
    today = timezone.localdate()
    if not staff.is_active:
        raise TrainingError(_("%(name)s has left.") % {"name": staff})
    if not course.is_active:
        raise TrainingError(_("That course is no longer offered."))
    if not today <= due_on <= today + timedelta(days=LONGEST_AHEAD):
        raise TrainingError(_("The due date is from today to a year ahead."))
    try:
        with transaction.atomic():
            assignment = TrainingAssignment.objects.create(
                staff=staff, unit_id=staff.unit_id, course=course, due_on=due_on,
                reason=reason[:80], assigned_by=actor,
            )  # fmt: skip
    except IntegrityError as error:
        raise TrainingError(_("%(name)s has that course in their plan already.")
                            % {"name": staff}) from error  # fmt: skip
    audit_record(actor=actor, action="training.assign", obj=assignment, unit_id=staff.unit_id,
                 changes={"course": course.pk, "due_on": due_on, "reason": reason})  # fmt: skip
    return assignment


def _locked(actor: Any, assignment: TrainingAssignment) -> TrainingAssignment:
    locked = (
        TrainingAssignment.objects.select_for_update().select_related("staff").get(pk=assignment.pk)
    )
    _check_part(actor, locked.staff)
    return locked


@transaction.atomic
def training_attended(
    *, actor: Any, assignment: TrainingAssignment, on: date
) -> TrainingAssignment:
    """Record that the person attended, on ``on``."""
    assignment = _locked(actor, assignment)
    if assignment.status != TrainingStatus.ASSIGNED:
        raise TrainingError(_("Attendance is recorded once, before the sign-off."))
    if not timezone.localdate(assignment.assigned_at) <= on <= timezone.localdate():
        raise TrainingError(_("The day attended falls from the assignment to today."))
    assignment.status, assignment.attended_on = TrainingStatus.ATTENDED, on
    assignment.save(update_fields=["status", "attended_on"])
    audit_record(actor=actor, action="training.attended", obj=assignment,
                 unit_id=assignment.unit_id, changes={"attended_on": on})  # fmt: skip
    return assignment


@transaction.atomic
def training_sign_off(*, actor: Any, assignment: TrainingAssignment) -> TrainingAssignment:
    """Sign off an attended course: the training is done."""
    assignment = _locked(actor, assignment)
    if assignment.status != TrainingStatus.ATTENDED:
        raise TrainingError(_("Only an attended course is signed off."))
    assignment.status = TrainingStatus.SIGNED_OFF
    assignment.signed_off_by, assignment.signed_off_at = actor, timezone.now()
    assignment.save(update_fields=["status", "signed_off_by", "signed_off_at"])
    audit_record(actor=actor, action="training.sign_off", obj=assignment,
                 unit_id=assignment.unit_id)  # fmt: skip
    return assignment


@transaction.atomic
def training_cancel(*, actor: Any, assignment: TrainingAssignment) -> TrainingAssignment:
    """Call off a course not yet attended."""
    assignment = _locked(actor, assignment)
    if assignment.status != TrainingStatus.ASSIGNED:
        raise TrainingError(_("Only a course not yet attended is called off."))
    assignment.status = TrainingStatus.CANCELLED
    assignment.save(update_fields=["status"])
    audit_record(actor=actor, action="training.cancel", obj=assignment,
                 unit_id=assignment.unit_id)  # fmt: skip
    return assignment
