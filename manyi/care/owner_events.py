"""Owner events (车主联谊, 讲座): a store sets the day and the seats, draws its invitees
at random from a segment of its customers — seeded, so the same seed draws the same
people and the draw can be explained — invites them through the contact rule, and
records who answers and who comes."""

import random
from datetime import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from manyi.audit.services import audit_record
from manyi.care.models import EventInvitation, OwnerEvent, RsvpStatus
from manyi.customers.reach import customer_message_send
from manyi.customers.selectors import customer_segment
from manyi.errors import DomainError
from manyi.notify.wording import Wording, wording_register
from manyi.org.permissions import may_run_owner_events
from manyi.org.selectors import visible_units

INVITATION = wording_register(
    Wording(
        code="care_owner_event",
        purpose="care",
        text=gettext_lazy(
            "%(store)s invites you to %(event)s on %(when)s at %(place)s. Reply or call us to"
            " take your seat."
        ),
        marketing=True,
    )
)
ANSWERS = {
    RsvpStatus.ACCEPTED,
    RsvpStatus.DECLINED,
    RsvpStatus.ATTENDED,
    RsvpStatus.NO_SHOW,
}


class OwnerEventError(DomainError):
    pass


def _check(actor: Any, unit: Any) -> None:
    if not may_run_owner_events(actor):
        raise OwnerEventError(_("Your role may not run owner events."))
    if not visible_units(actor).filter(pk=unit.pk).exists():
        raise OwnerEventError(_("That store is outside your part of the network."))


@transaction.atomic
def owner_event_create(
    *, actor: Any, unit: Any, name: str, starts_at: datetime, place: str, capacity: int
) -> OwnerEvent:
    _check(actor, unit)
    if starts_at <= timezone.now():
        raise OwnerEventError(_("An event is planned for a day to come."))
    event = OwnerEvent.objects.create(
        unit=unit, name=name, starts_at=starts_at, place=place, capacity=capacity, created_by=actor
    )
    audit_record(actor=actor, action="owner_event.create", obj=event, unit=unit)
    return event


@transaction.atomic
def owner_event_draw(
    *, actor: Any, event: OwnerEvent, segment: dict[str, Any], count: int, seed: int
) -> int:
    """Draw ``count`` invitees at random (``seed``) from the segment of the customers the
    actor sees, leaving out those invited already, and invite them. Returns how many
    invitations went out (the contact rule may hold some back)."""
    event = OwnerEvent.objects.select_for_update().select_related("unit").get(pk=event.pk)
    _check(actor, event.unit)  # the row locked: two draws at once wait for each other
    if count < 1:
        raise OwnerEventError(_("Draw at least one customer."))
    invited = set(event.invitations.values_list("customer_id", flat=True))
    pool = sorted(set(customer_segment(actor, **segment).values_list("pk", flat=True)) - invited)
    if not pool:
        raise OwnerEventError(_("No customer of this segment is left to invite."))
    drawn = sorted(random.Random(seed).sample(pool, min(count, len(pool))))
    when = timezone.localtime(event.starts_at)
    sent = 0
    for invitation in EventInvitation.objects.bulk_create(
        [EventInvitation(event=event, customer_id=pk) for pk in drawn]
    ):
        result = customer_message_send(
            customer=invitation.customer,
            channels=["sms", "email"],
            wording=INVITATION.code,
            params={
                "store": event.unit.name,
                "event": event.name,
                "when": f"{when:%Y-%m-%d %H:%M}",
                "place": event.place or event.unit.name,
            },
            ref=f"event:{event.pk}",
        )
        if result.message:
            invitation.message = result.message
            invitation.save(update_fields=["message"])
            sent += 1
    event.seed, event.segment = seed, _stored(segment)
    event.save(update_fields=["seed", "segment"])
    audit_record(
        actor=actor,
        action="owner_event.draw",
        obj=event,
        unit=event.unit,
        changes={"drawn": len(drawn), "sent": sent, "seed": seed, "segment": _stored(segment)},
    )
    return sent


def _stored(segment: dict[str, Any]) -> dict[str, Any]:
    """The segment as it is kept: units by id, days as ISO dates."""
    kept: dict[str, Any] = {}
    for key, value in segment.items():
        if value in (None, "", [], ()):
            continue
        kept[key] = getattr(value, "pk", None) or (
            value.isoformat() if hasattr(value, "isoformat") else value
        )
    return kept


@transaction.atomic
def invitation_answer(*, actor: Any, invitation: EventInvitation, status: str) -> EventInvitation:
    """Record a customer's answer (coming, not coming) or whether they came."""
    locked = (
        EventInvitation.objects.select_for_update()
        .select_related("event__unit")
        .get(pk=invitation.pk)
    )
    _check(actor, locked.event.unit)
    if status not in ANSWERS:
        raise OwnerEventError(_("Choose what the customer answered."))
    coming = locked.event.invitations.filter(
        status__in=(RsvpStatus.ACCEPTED, RsvpStatus.ATTENDED)
    ).exclude(pk=locked.pk)
    if status == RsvpStatus.ACCEPTED and coming.count() >= locked.event.capacity:
        raise OwnerEventError(_("Every seat is taken."))
    locked.status, locked.answered_at = status, timezone.now()
    locked.save(update_fields=["status", "answered_at"])
    audit_record(
        actor=actor,
        action="owner_event.answer",
        obj=locked.event,
        unit=locked.event.unit,
        changes={"customer": locked.customer_id, "status": status},
    )
    return locked
