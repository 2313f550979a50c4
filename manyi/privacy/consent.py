"""Health data (PIPL arts. 28–29): that a patient was treated, where and how it went.
A hospital's visits may invite to a survey or trigger a care message only for patients
whose separate consent is in force; one rule for every sender."""

from collections.abc import Iterable

from manyi.org.models import Unit, UnitKind
from manyi.privacy.models import HealthConsent

HEALTH_KINDS = (UnitKind.HOSPITAL, UnitKind.HOSPITAL_DEPARTMENT)


def holds_health_data(unit: Unit) -> bool:
    """Whether what happens at ``unit`` is health data (a hospital or its department)."""
    return unit.kind in HEALTH_KINDS


def health_units(unit_ids: Iterable[int]) -> set[int]:
    return set(
        Unit.objects.filter(pk__in=set(unit_ids), kind__in=HEALTH_KINDS).values_list(
            "pk", flat=True
        )
    )


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


def may_use_health_data(customer_id: int, unit: Unit) -> bool:
    return not holds_health_data(unit) or bool(health_consented([customer_id]))


def consent_in_force(customer_id: int) -> HealthConsent | None:
    return (
        HealthConsent.objects.filter(customer_id=customer_id, withdrawn_at=None)
        .select_related("unit", "recorded_by")
        .first()
    )
