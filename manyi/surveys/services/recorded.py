"""Invitations and responses that arrive from other systems (API, files), not the form."""

from datetime import datetime
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from manyi.audit.services import audit_record
from manyi.customers.models import Customer, ServiceEvent
from manyi.customers.served import customers_served
from manyi.errors import DomainError
from manyi.org.models import Unit
from manyi.org.permissions import may_see_unit
from manyi.surveys.answers import check_answers
from manyi.surveys.integrity import integrity_at_submit
from manyi.surveys.models import Invitation, Programme, Response
from manyi.surveys.services.invitations import (
    covered_units,
    invitation_create,
    reachable_contacts,
)
from manyi.surveys.services.responses import alerts_check, create_scored


class RecordError(DomainError):
    pass


class ExternalIdTaken(RecordError):
    """The external id names a record the actor may not see: nothing of it is told."""

    def __init__(self, external_id: str) -> None:
        super().__init__(
            _("The external id %(id)s is already used elsewhere in the network.")
            % {"id": external_id}
        )


def _check_scope(actor: Any, unit: Unit) -> None:
    if actor is not None and not may_see_unit(actor, unit):
        raise RecordError(_("That unit is outside what you may see."))


def invitation_for_event(
    *, actor: Any, programme: Programme, event: ServiceEvent, channel: str = "link"
) -> tuple[Invitation, bool]:
    """Invite an event's customer now (sampling skipped, opt-outs honoured).

    ``channel`` "link" sends nothing: the caller hands the link on itself. Asking again
    for the same event gives the invitation already made (``created`` False).
    """
    _check_scope(actor, event.unit)
    existing = Invitation.objects.filter(programme=programme, event=event).first()
    if existing:
        return existing, False
    if event.unit_id not in covered_units(programme):
        raise RecordError(_("The programme does not cover this event's unit."))
    if channel not in ("link", "sms", "email", "phone"):
        raise RecordError(_("Unknown channel %(channel)s.") % {"channel": channel})
    address = ""
    if channel != "link":
        reachable = reachable_contacts({event.customer_id}, [channel])
        if event.customer_id not in reachable:
            raise RecordError(
                _("The customer cannot be reached by %(channel)s (no contact or opted out).")
                % {"channel": channel}
            )
        address = reachable[event.customer_id][1]
    try:
        with transaction.atomic():
            invitation = invitation_create(
                programme=programme,
                customer=event.customer,
                event=event,
                channel=channel,
                address=address,
            )
            audit_record(actor=actor, action="invitation_create", obj=invitation, unit=event.unit)
    except IntegrityError:
        return Invitation.objects.get(programme=programme, event=event), False
    return invitation, True


def response_record(
    *,
    actor: Any,
    programme: Programme,
    external_id: str,
    unit: Unit,
    answers: dict[str, Any],
    submitted_at: datetime | None = None,
    customer: Customer | None = None,
    event: ServiceEvent | None = None,
    staff: Any = None,
    channel: str = "import",
) -> tuple[Response, bool]:
    """Store a response gathered elsewhere, checked and scored like a form's.

    The external id makes it idempotent: sending the same response again gives the
    one stored (``created`` False) and stores nothing more. An external id already
    used outside the actor's part of the network is a conflict, told without its data.
    """
    _check_scope(actor, unit)
    existing = Response.objects.filter(external_id=external_id).first()
    if existing:
        if actor is not None and not may_see_unit(actor, existing.unit_id):
            raise ExternalIdTaken(external_id)
        return existing, False
    submitted_at = submitted_at or timezone.now()
    if submitted_at > timezone.now():
        raise RecordError(_("A response cannot be submitted in the future."))
    definition = programme.version.parsed()
    clean = check_answers(definition, answers)
    integrity = integrity_at_submit(
        definition=definition, answers=clean, channel=channel, now=submitted_at
    )
    try:
        with transaction.atomic():
            response = create_scored(
                version_id=programme.version_id,
                answers=clean,
                unit_id=unit.pk,
                channel=channel,
                submitted_at=submitted_at,
                programme=programme,
                customer=customer,
                event=event,
                staff=staff,
                external_id=external_id,
                recorded_by=actor,
                **integrity,
            )
            if customer is not None:
                customers_served([(customer.pk, unit.pk)])
            alerts_check(response=response)
            audit_record(actor=actor, action="response_record", obj=response, unit=unit)
    except IntegrityError:
        return Response.objects.get(external_id=external_id), False
    return response, True
