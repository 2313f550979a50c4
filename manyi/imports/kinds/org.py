"""Importing the organisation: units (parents before children) and staff."""

from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from manyi.customers.contacts import normalise_phone
from manyi.imports.columns import Column, choice, parse_date, text
from manyi.imports.engine import ImportKind, ImportResult, Row
from manyi.imports.kinds.scope import resolve_unit, scope_context
from manyi.org.models import Position, Role, Staff, Unit, UnitKind, UnitLevel
from manyi.org.permissions import may_manage_org
from manyi.org.services import OrgError, staff_create, staff_update, unit_create, unit_update


class UnitImport(ImportKind):
    code = "units"
    label = gettext_lazy("Units")
    permission = may_manage_org
    batch_size = 200
    columns = [
        Column("code", gettext_lazy("Code"), text(32), required=True, example="S-BJ-01"),
        Column("name", gettext_lazy("Name"), text(120), required=True, example="北京东四环店"),
        Column("level", gettext_lazy("Level"), choice(UnitLevel), required=True, example="store"),
        Column("kind", gettext_lazy("Kind"), choice(UnitKind), required=True, example="dealer"),
        Column("parent_code", gettext_lazy("Parent code"), text(32), example="R-NORTH"),
        Column("province", gettext_lazy("Province"), text(32), example="北京市"),
        Column("city", gettext_lazy("City"), text(32), example="北京市"),
        Column("address", gettext_lazy("Address"), text(200), example="朝阳区东四环中路 1 号"),
    ]

    def context(self, *, actor: Any, job_id: int) -> dict[str, Any]:
        return {**super().context(actor=actor, job_id=job_id), **scope_context(actor), "seen": {}}

    def write(self, rows: list[Row], ctx: dict[str, Any], result: ImportResult) -> None:
        for row in rows:
            if not self.first_in_file(result, row, "code", ctx["seen"]):
                continue
            values = dict(row.values)
            code = values.pop("code")
            parent_code = values.pop("parent_code", None)
            parent = None
            if parent_code:
                parent = Unit.objects.filter(code=parent_code).first()
                if parent is None:
                    self.fail(result, row, "parent_code", _("no unit has this code"))
                    continue
            try:
                existing = Unit.objects.filter(code=code).first()
                if existing:
                    # A row without a parent code keeps the unit where it is.
                    moved = {"parent": parent} if parent_code else {}
                    values.pop("level", None)  # a unit's level never changes
                    unit_update(actor=ctx["actor"], unit=existing, **moved, **values)
                    result.updated += 1
                else:
                    unit_create(actor=ctx["actor"], code=code, parent=parent, **values)
                    result.created += 1
            except OrgError as error:
                self.fail(result, row, "parent_code" if parent_code else "level", str(error))


class StaffImport(ImportKind):
    code = "staff"
    label = gettext_lazy("Staff")
    permission = may_manage_org
    batch_size = 500
    columns = [
        Column("code", gettext_lazy("Staff code"), text(32), required=True, example="E10023"),
        Column("full_name", gettext_lazy("Full name"), text(80), required=True, example="王芳"),
        Column("unit_code", gettext_lazy("Unit code"), text(32), required=True, example="S-BJ-01"),
        Column("role", gettext_lazy("Role"), choice(Role), required=True, example="advisor"),
        Column("position", gettext_lazy("Position"), choice(Position), example="service_advisor"),
        Column("username", gettext_lazy("User name"), text(150), example="wangfang"),
        Column("email", gettext_lazy("E-mail"), text(254), example="wangfang@example.com"),
        Column("phone", gettext_lazy("Phone"), normalise_phone, example="13812345678"),
        Column("hired_on", gettext_lazy("Hired on"), parse_date, example="2023-04-01"),
    ]

    def context(self, *, actor: Any, job_id: int) -> dict[str, Any]:
        return {**super().context(actor=actor, job_id=job_id), **scope_context(actor), "seen": {}}

    def resolve(self, rows: list[Row], ctx: dict[str, Any], result: ImportResult) -> None:
        for row in rows:
            resolve_unit(self, row, ctx, result)

    def write(self, rows: list[Row], ctx: dict[str, Any], result: ImportResult) -> None:
        for row in rows:
            if not self.first_in_file(result, row, "code", ctx["seen"]):
                continue
            values = dict(row.values)
            code = values.pop("code")
            values.pop("unit_code")
            unit = Unit.objects.get(pk=values.pop("_unit_id"))
            username = values.pop("username", None) or code
            try:
                existing = Staff.objects.filter(code=code).first()
                if existing:
                    staff_update(actor=ctx["actor"], staff=existing, unit=unit, **values)
                    result.updated += 1
                else:
                    staff_create(
                        actor=ctx["actor"], username=username, code=code, unit=unit, **values
                    )
                    result.created += 1
            except OrgError as error:
                self.fail(result, row, "role", str(error))
