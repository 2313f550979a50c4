"""Who handles a case nobody assigned: a case the system opened (from a survey alert,
the public form, an e-mail) goes to the complaint handler of its store with the fewest
cases in hand, so no case waits without an owner."""

from typing import Any

from django.db.models import Count, Q

from manyi.cases.models import CaseStatus
from manyi.org.models import Role, Staff, Unit, UnitLevel


def default_owner(unit: Unit) -> Any:
    """The least busy active case handler of ``unit`` or, for a department, of its
    store; None when there is none."""
    units = [unit.pk]
    if unit.level == UnitLevel.DEPARTMENT and unit.parent_id:
        units.append(unit.parent_id)
    in_hand = Q(owned_cases__status__in=[CaseStatus.OPEN, CaseStatus.WAITING])
    return (
        Staff.objects.filter(unit_id__in=units, role=Role.CASE_HANDLER, is_active=True)
        .annotate(load=Count("owned_cases", filter=in_hand))
        .order_by("load", "pk")
        .first()
    )
