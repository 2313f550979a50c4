"""Changing the organisation: tree rules, permissions, and the audit trail."""

import pytest

from manyi.audit.models import AuditEntry
from manyi.org.models import Unit
from manyi.org.services import OrgError, staff_create, staff_update, unit_create, unit_update


def test_a_store_must_sit_under_a_region(network, admin):
    with pytest.raises(OrgError, match="must sit under"):
        unit_create(
            actor=admin, code="S-X", name="Stray", level="store", kind="dealer", parent=network.hq
        )


def test_unit_codes_are_unique(network, admin):
    with pytest.raises(OrgError, match="already exists"):
        unit_create(
            actor=admin,
            code="S-A",
            name="Again",
            level="store",
            kind="dealer",
            parent=network.north,
        )


def test_moving_a_store_moves_its_departments_with_it(network, admin):
    unit_update(actor=admin, unit=network.store_a, parent=network.east)
    department = Unit.objects.get(code="S-A-SV")
    assert department.path.startswith(network.east.path)
    assert Unit.objects.get(code="S-A").path == f"{network.east.path}{network.store_a.pk}/"


def test_a_unit_cannot_move_under_itself(network, admin):
    with pytest.raises(OrgError):
        unit_update(actor=admin, unit=network.north, parent=network.store_a)


def test_store_manager_cannot_add_a_unit_to_another_store(network, store_a_manager):
    with pytest.raises(OrgError, match="outside your part"):
        unit_create(
            actor=store_a_manager,
            code="S-B-SV",
            name="B service",
            level="department",
            kind="service_department",
            parent=network.store_b,
        )


def test_store_manager_adds_a_department_to_their_store_and_it_is_audited(network, store_a_manager):
    unit = unit_create(
        actor=store_a_manager,
        code="S-A-SA",
        name="A sales",
        level="department",
        kind="sales_department",
        parent=network.store_a,
    )
    entry = AuditEntry.objects.get(action="unit_create", object_id=str(unit.pk))
    assert entry.actor == store_a_manager and entry.changes["code"] == "S-A-SA"


def test_store_manager_cannot_make_someone_an_administrator(network, store_a_manager):
    with pytest.raises(OrgError, match="may not give the Administrator role"):
        staff_create(
            actor=store_a_manager,
            username="mallory",
            full_name="Mallory",
            unit=network.store_a,
            role="admin",
        )


def test_advisor_may_not_change_the_organisation(network, advisor_a):
    with pytest.raises(OrgError, match="may not change"):
        staff_update(actor=advisor_a, staff=advisor_a, role="store_manager")


def test_staff_update_records_each_changed_field(network, store_a_manager, advisor_a):
    staff_update(actor=store_a_manager, staff=advisor_a, position="technician")
    entry = AuditEntry.objects.get(action="staff_update")
    assert entry.changes == {"position": ["service_advisor", "technician"]}
