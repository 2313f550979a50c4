"""Reads of the organisation, and the one place that decides what a user may see."""

from typing import Any

from django.db.models import Q, QuerySet

from manyi.org.models import Role, Staff, Unit, UnitLevel
from manyi.org.permissions import may_see_network


def scope_unit(user: Any) -> Unit | None:
    """The unit whose subtree ``user`` sees: their own, rolled up from a department to its store."""
    unit = getattr(user, "unit", None)
    if unit is not None and unit.level == UnitLevel.DEPARTMENT and unit.parent_id:
        return unit.parent
    return unit


def sees_network(user: Any) -> bool:
    return may_see_network(user)


def visible_units(user: Any) -> QuerySet[Unit]:
    """Every unit ``user`` may see. All unit-owned data is filtered through this.

    Admins and HQ analysts see the whole network; anyone else sees the subtree of
    their scope unit (a region manager their region, store staff their store and
    its departments); someone with no unit sees nothing.
    """
    if not getattr(user, "is_authenticated", False):
        return Unit.objects.none()
    if sees_network(user):
        return Unit.objects.all()
    scope = scope_unit(user)
    if scope is None:
        return Unit.objects.none()
    return Unit.objects.filter(path__startswith=scope.path)


def visible_unit_filter(user: Any, field: str = "unit") -> Q:
    """A ``Q`` restricting a unit-owned queryset to what ``user`` may see."""
    if sees_network(user):
        return Q()
    return Q(**{f"{field}__in": visible_units(user).values("pk")})


def unit_get(user: Any, pk: int) -> Unit:
    return visible_units(user).select_related("parent").get(pk=pk)


def unit_list(user: Any, *, query: str = "", level: str = "") -> QuerySet[Unit]:
    units = visible_units(user).select_related("parent")
    if query:
        units = units.filter(Q(name__icontains=query) | Q(code__icontains=query))
    if level:
        units = units.filter(level=level)
    return units


def unit_choices(user: Any, *, levels: tuple[str, ...] = ()) -> QuerySet[Unit]:
    units = visible_units(user).filter(is_active=True)
    return units.filter(level__in=levels) if levels else units


def stores(user: Any) -> QuerySet[Unit]:
    return unit_choices(user, levels=(UnitLevel.STORE,))


def staff_list(user: Any, *, query: str = "", role: str = "", unit: int | None = None):
    staff = Staff.objects.filter(visible_unit_filter(user)).select_related("unit")
    if not sees_network(user):
        staff = staff.exclude(role=Role.ADMIN)
    if query:
        staff = staff.filter(
            Q(full_name__icontains=query) | Q(username__icontains=query) | Q(code__icontains=query)
        )
    if role:
        staff = staff.filter(role=role)
    if unit:
        staff = staff.filter(unit_id=unit)
    return staff


def staff_get(user: Any, pk: int) -> Staff:
    return staff_list(user).get(pk=pk)


class _Network:
    """The reader of the whole network: the system computing figures for everyone (the
    nightly scorecards), which are then shown to each user within their part."""

    is_authenticated = True
    is_active = True
    is_superuser = True
    role = Role.ADMIN
    unit = None
    pk = None


NETWORK = _Network()


def store_managers(unit_ids: set[int]) -> dict[int, list[int]]:
    """The active store managers of each unit's store (a department's is its store's)."""
    units = Unit.objects.filter(pk__in=unit_ids).values_list("pk", "level", "parent_id")
    store_of = {pk: parent if level == UnitLevel.DEPARTMENT and parent else pk
                for pk, level, parent in units}  # fmt: skip
    managers: dict[int, list[int]] = {}
    for pk, unit in Staff.objects.filter(role=Role.STORE_MANAGER, is_active=True,
                                         unit_id__in=set(store_of.values())).values_list(
        "pk", "unit_id"
    ):  # fmt: skip
        managers.setdefault(unit, []).append(pk)
    return {unit: managers.get(store, []) for unit, store in store_of.items()}
