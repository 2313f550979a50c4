"""Look-ups of units and staff by code, limited to what the importing user may see."""

from collections.abc import Iterable
from typing import Any

from django.utils.translation import gettext as _

from manyi.bulk import in_chunks
from manyi.customers.models import CustomerUnit
from manyi.imports.engine import ImportKind, ImportResult, Row
from manyi.org.models import Staff, Unit
from manyi.org.selectors import sees_network, visible_units


def scope_context(actor: Any) -> dict[str, Any]:
    units = Unit.objects.all() if actor is None else visible_units(actor)
    all_codes = dict(Unit.objects.values_list("code", "pk"))
    return {
        "unit_codes": all_codes,
        "allowed_units": set(units.values_list("pk", flat=True)),
        "network": actor is None or sees_network(actor),
    }


def visible_customer_ids(ctx: dict[str, Any], customer_ids: Iterable[int]) -> set[int]:
    """Which of these customers the importing user sees: those served in their part of
    the network (``customers.selectors.visible_customers``, by the batch)."""
    wanted = set(customer_ids)
    if ctx["network"] or not wanted:
        return wanted
    return {
        customer_id
        for chunk in in_chunks(wanted)
        for customer_id in CustomerUnit.objects.filter(
            customer_id__any=chunk, unit_id__in=ctx["allowed_units"]
        )
        .order_by()
        .values_list("customer_id", flat=True)
    }


def resolve_unit(
    kind: ImportKind,
    row: Row,
    ctx: dict[str, Any],
    result: ImportResult,
    column: str = "unit_code",
    target: str = "_unit_id",
) -> None:
    code = row.values.get(column)
    if code is None:
        return
    unit_id = ctx["unit_codes"].get(code)
    if unit_id is None:
        kind.fail(result, row, column, _("no unit has this code"))
    elif unit_id not in ctx["allowed_units"]:
        kind.fail(result, row, column, _("this unit is outside your part of the network"))
    else:
        row.values[target] = unit_id


def staff_codes() -> dict[str, int]:
    return dict(Staff.objects.exclude(code=None).values_list("code", "pk"))
