"""Health data (PIPL arts. 28–29): that a patient was treated, where and how it went.
A hospital's visits (or its departments') may invite to a survey, put a callback on the
list or trigger a care message only for patients whose separate consent is in force;
every sender asks here."""

from collections.abc import Iterable
from functools import reduce
from operator import or_

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils.translation import gettext as _

from manyi.errors import DomainError
from manyi.org.models import Unit, UnitKind
from manyi.privacy.models import HealthConsent

HEALTH_KINDS = (UnitKind.HOSPITAL, UnitKind.HOSPITAL_DEPARTMENT)


class NoHealthConsent(DomainError):
    def __init__(self) -> None:
        super().__init__(
            _("The patient has not consented to the use of their health data: not sent.")
        )


def health_unit_ids() -> set[int]:
    """Every unit that holds health data: the hospitals and every unit under one."""
    hospitals = list(Unit.objects.filter(kind__in=HEALTH_KINDS).values_list("pk", flat=True))
    if not hospitals:
        return set()
    under = reduce(or_, (Q(path__contains=f"/{pk}/") for pk in hospitals))
    return set(Unit.objects.filter(under).values_list("pk", flat=True))


def health_units(unit_ids: Iterable[int]) -> set[int]:
    """Those of ``unit_ids`` that hold health data."""
    return set(unit_ids) & health_unit_ids()


def without_consent(rows: QuerySet) -> QuerySet:
    """``rows`` (with a customer and a unit) less those at a health unit whose customer's
    consent is not in force: for lists built in one query, like the callbacks'."""
    units = health_unit_ids()
    if not units:
        return rows
    in_force = HealthConsent.objects.filter(customer=OuterRef("customer"), withdrawn_at=None)
    return rows.exclude(Q(unit_id__in=units) & ~Exists(in_force))


def holds_health_data(unit: Unit) -> bool:
    return bool(health_units([unit.pk]))


def health_consented(customer_ids: Iterable[int]) -> set[int]:
    """The customers among ``customer_ids`` whose health-data consent is in force."""
    return set(
        HealthConsent.objects.filter(
            customer_id__in=set(customer_ids), withdrawn_at=None
        ).values_list("customer_id", flat=True)
    )


def barred(pairs: Iterable[tuple[int, int]]) -> set[tuple[int, int]]:
    """Of (customer id, unit id) pairs, those where the unit holds health data and the
    customer's consent to its use is not in force."""
    pairs = set(pairs)
    health = health_units(unit for _customer, unit in pairs)
    at_health = {pair for pair in pairs if pair[1] in health}
    if not at_health:
        return set()
    consented = health_consented(customer for customer, _unit in at_health)
    return {pair for pair in at_health if pair[0] not in consented}


def may_use_health_data(customer_id: int, unit: Unit | int) -> bool:
    unit_id = unit if isinstance(unit, int) else unit.pk
    return not barred([(customer_id, unit_id)])


def require_health_consent(customer_id: int, unit: Unit | int) -> None:
    if not may_use_health_data(customer_id, unit):
        raise NoHealthConsent()


def consent_in_force(customer_id: int) -> HealthConsent | None:
    return (
        HealthConsent.objects.filter(customer_id=customer_id, withdrawn_at=None)
        .select_related("unit", "recorded_by")
        .first()
    )
