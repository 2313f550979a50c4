"""Improvement services: targets set by headquarters (any unit) or a region (its stores)."""

from datetime import date
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from manyi.analytics.cells import variables
from manyi.audit.services import audit_record
from manyi.errors import DomainError
from manyi.improve.models import Target
from manyi.improve.selectors.targets import figure_bounds
from manyi.org.models import Role, Unit
from manyi.org.permissions import may_see_unit, may_set_targets
from manyi.surveys.models import Programme
from manyi.surveys.versions import definition_of

LONGEST = 24  # months a target may span


class TargetError(DomainError):
    """A target that cannot be set."""


def _months_between(since: date, until: date) -> int:
    return (until.year - since.year) * 12 + until.month - since.month + 1


def _check(actor: Any, unit: Unit) -> None:
    if not may_set_targets(actor):
        raise TargetError(_("You may not set targets."))
    if not may_see_unit(actor, unit):
        raise TargetError(_("That unit is outside your part of the network."))
    if getattr(actor, "role", "") == Role.REGION_MANAGER and unit.level != "store":
        raise TargetError(
            _("A region sets the targets of its stores; headquarters sets the region's.")
        )


@transaction.atomic
def target_set(
    *,
    actor: Any,
    programme: Programme,
    unit: Unit,
    variable: str,
    since: date,
    until: date,
    value: Decimal,
) -> Target:
    """Set the target of one figure of ``unit`` over the whole months from ``since`` to
    ``until`` (or change the one set for that period)."""
    _check(actor, unit)
    since, until = since.replace(day=1), until.replace(day=1)
    if until < since:
        raise TargetError(_("The period ends before it starts."))
    if _months_between(since, until) > LONGEST:
        raise TargetError(_("A target spans two years at most."))
    if variable not in variables(definition_of(programme.version_id)):
        raise TargetError(_("That figure is not one of the programme's questionnaire."))
    low, high = figure_bounds(variable)
    if not low <= value <= high:
        raise TargetError(
            _("A target for this figure lies between %(low)s and %(high)s.")
            % {"low": f"{low:.0f}", "high": f"{high:.0f}"}
        )
    target, created = Target.objects.update_or_create(
        programme=programme,
        unit=unit,
        variable=variable,
        since=since,
        until=until,
        defaults={"value": value, "set_by": actor},
    )
    audit_record(
        actor=actor,
        action="target.set",
        obj=target,
        unit=unit,
        changes={"variable": variable, "value": str(value), "new": created},
    )
    return target


@transaction.atomic
def target_remove(*, actor: Any, target: Target) -> None:
    _check(actor, target.unit)
    audit_record(actor=actor, action="target.remove", obj=target, unit=target.unit)
    target.delete()
