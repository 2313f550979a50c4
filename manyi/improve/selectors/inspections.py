"""Reads of inspections and mystery shops, scoped: what a user sees (an upcoming surprise
inspection or mystery shop never by the store it will visit), what waits for them, and
the failures nobody has followed up yet."""

from datetime import date, timedelta
from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone

from manyi.improve.models import (
    Checklist,
    Competitor,
    Inspection,
    InspectionAnswer,
    InspectionKind,
    InspectionStatus,
)
from manyi.org.permissions import may_plan_inspections, may_see_inspections
from manyi.org.selectors import scope_unit, visible_unit_filter, visible_units

UNANNOUNCED = (InspectionKind.SURPRISE, InspectionKind.MYSTERY)
FOLLOW_UP_DAYS = 90  # failures older than this leave the inbox


def inspection_list(
    user: Any,
    *,
    kind: str = "",
    status: str = "",
    unit: int | None = None,
    since: date | None = None,
    until: date | None = None,
) -> QuerySet[Inspection]:
    """The inspections and mystery shops of the user's part, the latest first."""
    if not may_see_inspections(user):
        return Inspection.objects.none()
    found = Inspection.objects.filter(visible_unit_filter(user)).select_related(
        "checklist", "unit", "competitor", "inspector"
    )
    if not may_plan_inspections(user):
        # Not before it is done, nor once called off (a new draw may follow).
        found = found.exclude(
            Q(kind__in=UNANNOUNCED) & ~Q(status=InspectionStatus.DONE) & ~Q(inspector=user)
        )
    if kind == "inspections":
        found = found.exclude(kind=InspectionKind.MYSTERY)
    elif kind:
        found = found.filter(kind=kind)
    if status:
        found = found.filter(status=status)
    if unit:
        within = visible_units(user).filter(pk=unit).first()
        found = found.filter(unit__path__startswith=within.path) if within else found.none()
    if since:
        found = found.filter(planned_for__gte=since)
    if until:
        found = found.filter(planned_for__lte=until)
    return found.order_by("-planned_for", "-pk")


def inspection_get(user: Any, pk: int) -> Inspection:
    found = inspection_list(user).filter(pk=pk).first()
    if found is None:
        raise Http404
    return found


def answers_of(inspection: Inspection) -> QuerySet[InspectionAnswer]:
    return inspection.answers.select_related(
        "standard__step", "version", "action", "case"
    ).order_by("order", "pk")


def waiting_inspections(user: Any) -> QuerySet[Inspection]:
    """Planned inspections the user is to carry out: named as the inspector, or, for a
    self-inspection naming nobody, the manager of the unit."""
    mine = Q(inspector=user)
    unit = scope_unit(user)
    if unit is not None:
        mine |= Q(inspector__isnull=True, kind=InspectionKind.SCHEDULED, unit=unit)
    return (
        inspection_list(user, status=InspectionStatus.PLANNED)
        .filter(mine)
        .order_by("planned_for", "pk")
    )


def unfollowed_failures(user: Any, *, today: date | None = None) -> QuerySet[InspectionAnswer]:
    """Standards failed in the user's part in the last 90 days with neither an action
    nor a case opened on them, the basic ones first."""
    if not may_see_inspections(user):
        return InspectionAnswer.objects.none()
    today = today or timezone.localdate()
    return (
        InspectionAnswer.objects.filter(
            visible_unit_filter(user, "inspection__unit"),
            passed=False,
            action__isnull=True,
            case__isnull=True,
            inspection__status=InspectionStatus.DONE,
            inspection__competitor__isnull=True,
            inspection__planned_for__gte=today - timedelta(days=FOLLOW_UP_DAYS),
        )
        .select_related("inspection__unit", "version", "standard")
        .order_by("standard__standard_class", "-inspection__planned_for", "pk")
    )


def checklist_list(*, active_only: bool = True) -> QuerySet[Checklist]:
    found = Checklist.objects.prefetch_related("items")
    return found.filter(is_active=True) if active_only else found


def competitor_list(user: Any) -> QuerySet[Competitor]:
    return Competitor.objects.filter(visible_unit_filter(user, "near")).select_related("near")
