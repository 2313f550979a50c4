"""Changes to the organisation: units and staff. Each is one transaction with its audit row."""

from typing import Any

from django.db import transaction
from django.db.models import F, Value
from django.db.models.functions import Concat, Substr
from django.utils.translation import gettext as _

from manyi.audit.services import audit_record, changed_fields
from manyi.customers.contacts import normalise_phone
from manyi.errors import DomainError
from manyi.org.models import PARENT_LEVEL, Role, Staff, Unit, UnitLevel
from manyi.org.permissions import grantable_roles, may_manage_org, may_see_unit


class OrgError(DomainError):
    pass


def _check_parent(*, level: str, parent: Unit | None) -> None:
    expected = PARENT_LEVEL[UnitLevel(level)]
    if expected is None and parent is not None:
        raise OrgError(_("Headquarters cannot have a parent unit."))
    if expected is not None and (parent is None or parent.level != expected):
        raise OrgError(
            _("A %(level)s must sit under a %(parent)s.")
            % {"level": UnitLevel(level).label, "parent": UnitLevel(expected).label}
        )


def _check_manages(actor: Any, unit: Unit | None) -> None:
    """Raise unless ``actor`` may change ``unit`` (None means the network root)."""
    if actor is None or actor.is_superuser or actor.role == Role.ADMIN:
        return
    if not may_manage_org(actor):
        raise OrgError(_("Your role may not change the organisation."))
    if not may_see_unit(actor, unit):
        raise OrgError(_("That unit is outside your part of the network."))


@transaction.atomic
def unit_create(
    *,
    actor: Any,
    code: str,
    name: str,
    level: str,
    kind: str,
    parent: Unit | None = None,
    **fields: Any,
) -> Unit:
    """Add a unit under ``parent``; its path is set from its new id."""
    _check_parent(level=level, parent=parent)
    _check_manages(actor, parent)
    if Unit.objects.filter(code=code).exists():
        raise OrgError(_("A unit with code %(code)s already exists.") % {"code": code})
    unit = Unit.objects.create(
        code=code, name=name, level=level, kind=kind, parent=parent, **fields
    )
    unit.path = f"{parent.path if parent else '/'}{unit.pk}/"
    unit.save(update_fields=["path"])
    audit_record(
        actor=actor,
        action="unit_create",
        obj=unit,
        unit=unit,
        changes={"code": code, "name": name, "level": level},
    )
    return unit


@transaction.atomic
def unit_update(*, actor: Any, unit: Unit, **values: Any) -> Unit:
    """Change a unit's fields; a new parent moves its whole subtree. The changes are
    found against the stored row (a form may already have changed the instance)."""
    unit = Unit.objects.select_for_update(of=("self",)).select_related("parent").get(pk=unit.pk)
    _check_manages(actor, unit)
    new_parent = values.pop("parent", unit.parent)
    if "code" in values and Unit.objects.filter(code=values["code"]).exclude(pk=unit.pk).exists():
        raise OrgError(_("A unit with code %(code)s already exists.") % {"code": values["code"]})
    changes = changed_fields(unit, values)
    if new_parent != unit.parent:
        _check_parent(level=unit.level, parent=new_parent)
        _check_manages(actor, new_parent)
        if new_parent is not None and new_parent.path.startswith(unit.path):
            raise OrgError(_("A unit cannot move under itself."))
        old_path = unit.path
        new_path = f"{new_parent.path if new_parent else '/'}{unit.pk}/"
        Unit.objects.filter(path__startswith=old_path).update(
            path=Concat(Value(new_path), Substr(F("path"), len(old_path) + 1))
        )
        changes["parent"] = [unit.parent_id, new_parent.pk if new_parent else None]
        unit.parent, unit.path = new_parent, new_path
    unit.save()
    if changes:
        audit_record(actor=actor, action="unit_update", obj=unit, unit=unit, changes=changes)
    return unit


def _normalise_staff_phone(fields: dict[str, Any]) -> None:
    """A staff phone is kept in E.164, like customers' (so a survey answered from it
    is recognised)."""
    if fields.get("phone"):
        try:
            fields["phone"] = normalise_phone(fields["phone"])
        except ValueError as error:
            raise OrgError(f"{fields['phone']}: {error}") from error


def _check_staff_change(actor: Any, *, unit: Unit | None, role: str) -> None:
    _check_manages(actor, unit)
    if actor is not None and role not in grantable_roles(actor):
        raise OrgError(_("Your role may not give the %(role)s role.") % {"role": Role(role).label})


@transaction.atomic
def staff_create(
    *,
    actor: Any,
    username: str,
    full_name: str,
    unit: Unit | None,
    role: str,
    position: str = "other",
    password: str | None = None,
    **fields: Any,
) -> Staff:
    """Add a staff member who can log in with ``password`` (unusable when not given)."""
    _check_staff_change(actor, unit=unit, role=role)
    _normalise_staff_phone(fields)
    if Staff.objects.filter(username=username).exists():
        raise OrgError(_("The user name %(name)s is taken.") % {"name": username})
    staff = Staff(
        username=username, full_name=full_name, unit=unit, role=role, position=position, **fields
    )
    if password:
        staff.set_password(password)
    else:
        staff.set_unusable_password()
    staff.is_staff = role == Role.ADMIN
    staff.save()
    audit_record(
        actor=actor,
        action="staff_create",
        obj=staff,
        unit=unit,
        changes={"username": username, "role": role, "unit": unit},
    )
    return staff


@transaction.atomic
def staff_update(*, actor: Any, staff: Staff, **values: Any) -> Staff:
    """Change a staff member's unit, role, position or contact details (the changes
    found against the stored row, as for units)."""
    staff = Staff.objects.select_for_update(of=("self",)).select_related("unit").get(pk=staff.pk)
    _check_staff_change(actor, unit=staff.unit, role=values.get("role", staff.role))
    if "unit" in values:
        _check_manages(actor, values["unit"])
    _normalise_staff_phone(values)
    changes = changed_fields(staff, values, personal=("full_name", "phone", "email"))
    staff.is_staff = staff.role == Role.ADMIN or staff.is_superuser
    staff.save()
    if changes:
        audit_record(
            actor=actor, action="staff_update", obj=staff, unit=staff.unit, changes=changes
        )
    return staff


@transaction.atomic
def staff_preferences_set(*, actor: Any, language: str, inbox_digest: bool) -> Staff:
    """A staff member's own preferences: the language of what manyi writes to them, and
    whether they get the morning inbox digest."""
    staff = Staff.objects.select_for_update(of=("self",)).select_related("unit").get(pk=actor.pk)
    changes = changed_fields(staff, {"language": language, "inbox_digest": inbox_digest})
    staff.save(update_fields=["language", "inbox_digest"])
    if changes:
        audit_record(
            actor=actor, action="staff_preferences_set", obj=staff, unit=staff.unit, changes=changes
        )
    return staff


@transaction.atomic
def staff_set_password(*, actor: Any, staff: Staff, password: str) -> None:
    """Set a new password (the staff member's own change, or a manager's reset)."""
    if actor != staff:
        _check_staff_change(actor, unit=staff.unit, role=staff.role)
    staff.set_password(password)
    staff.save(update_fields=["password"])
    audit_record(actor=actor, action="staff_set_password", obj=staff, unit=staff.unit)
