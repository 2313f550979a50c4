"""Manual waves: one send-out of a programme's questionnaire to a list of customers."""

import random
import zlib
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from manyi.audit.services import audit_record
from manyi.customers.models import Customer
from manyi.privacy.consent import barred
from manyi.surveys.models import Programme, Wave
from manyi.surveys.services.invitations import (
    NO_HEALTH_CONSENT,
    excluded,
    invitation_create,
    reachable_contacts,
    recently_invited,
)
from manyi.surveys.services.programmes import ProgrammeError, check_designer

WAVE_LARGEST = 5000  # a bigger wave is a mistake more often than a plan


@dataclass
class WaveResult:
    wave: Wave
    invited: int = 0
    excluded: dict[str, int] = field(default_factory=lambda: defaultdict(int))


def wave_draw(*, customers: QuerySet[Customer], at_most: int | None, seed: str) -> list[Customer]:
    """The customers of a segment for a wave: all of them, or ``at_most`` drawn at
    random — the same draw for the same ``seed`` (the wave's name) and segment, so a
    wave can be explained afterwards. A segment above ``WAVE_LARGEST`` needs ``at_most``."""
    ids = sorted(customers.values_list("pk", flat=True))
    if not ids:
        raise ProgrammeError(_("No customer is in this segment."))
    if at_most is None and len(ids) > WAVE_LARGEST:
        raise ProgrammeError(
            _("%(count)s customers are in this segment: set “at most” to draw a sample.")
            % {"count": len(ids)}
        )
    if at_most is not None and at_most < len(ids):
        ids = sorted(random.Random(zlib.crc32(seed.encode())).sample(ids, at_most))
    return list(Customer.objects.filter(pk__in=ids).order_by("pk"))


@transaction.atomic
def wave_invite(
    *,
    actor: Any,
    programme: Programme,
    name: str,
    customers: list[Customer],
    now: datetime | None = None,
) -> WaveResult:
    """Invite a list of customers at once, with the programme's exclusions.

    The wave is its own batch (not the month's), so its funnel is read on its own.
    """
    check_designer(actor)
    if not customers:
        raise ProgrammeError(_("The customer list is empty."))
    now = now or timezone.now()
    today = timezone.localdate(now)
    wave = Wave.objects.create(
        programme=programme,
        code=f"M{now:%Y%m%d%H%M%S%f}",
        name=name,
        starts_on=today,
        ends_on=today + timedelta(days=programme.expire_after_days),
    )
    result = WaveResult(wave=wave)
    ids = {customer.pk for customer in customers}
    recent = recently_invited(programme, ids, now)
    reachable = reachable_contacts(ids, programme.channels)
    no_consent = barred((customer.pk, customer.unit_id) for customer in customers)
    for customer in customers:
        reason = (
            NO_HEALTH_CONSENT
            if (customer.pk, customer.unit_id) in no_consent
            else excluded(programme, customer, recent, reachable)
        )
        if reason:
            result.excluded[reason] += 1
            continue
        channel, address = reachable[customer.pk]
        invitation_create(
            programme=programme,
            customer=customer,
            channel=channel,
            address=address,
            wave=wave,
            now=now,
        )
        recent.add(customer.pk)
        result.invited += 1
    audit_record(
        actor=actor,
        action="wave_invite",
        obj=wave,
        changes={"invited": result.invited, "excluded": dict(result.excluded)},
    )
    return result
