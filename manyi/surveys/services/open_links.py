"""Open links: a standing QR code at a counter that walk-in customers answer."""

import hashlib
from datetime import datetime, timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from manyi.audit.services import audit_record
from manyi.org.models import Unit
from manyi.surveys.models import Channel, Invitation, InvitationStatus, OpenLink, Programme
from manyi.surveys.services.invitations import CLOSED, InvitationClosed, new_token
from manyi.surveys.services.programmes import ProgrammeError, check_designer, wave_for


class DeviceLimitReached(InvitationClosed):
    """This device has answered as often as the link allows today."""

    def __init__(self) -> None:
        super().__init__("device_limit")


@transaction.atomic
def open_link_create(
    *, actor: Any, programme: Programme, unit: Unit, per_device_per_day: int = 1
) -> OpenLink:
    """A walk-in link for one unit of a programme."""
    check_designer(actor)
    if per_device_per_day < 1:
        raise ProgrammeError(_("Allow at least one response per device and day."))
    link = OpenLink.objects.create(
        programme=programme,
        unit=unit,
        token=new_token(),
        per_device_per_day=per_device_per_day,
        created_by=actor,
    )
    audit_record(actor=actor, action="open_link_create", obj=link, unit=unit)
    return link


def _device_key(link: OpenLink, device: str) -> str:
    return hashlib.sha256(f"{link.pk}:{device}".encode()).hexdigest()


@transaction.atomic
def open_link_start(*, token: str, device: str, now: datetime | None = None) -> Invitation:
    """The invitation a device answers through an open link.

    A device that comes back to an unfinished form gets the same invitation; one that
    has answered ``per_device_per_day`` times in the last 24 hours is refused.
    """
    now = now or timezone.now()
    link = (
        OpenLink.objects.select_for_update()
        .select_related("programme", "unit")
        .filter(token=token, is_active=True, programme__is_active=True)
        .first()
    )
    if link is None:
        raise InvitationClosed("unknown")
    key = _device_key(link, device)
    mine = Invitation.objects.filter(
        open_link=link, device=key, created_at__gte=now - timedelta(days=1)
    )
    unfinished = mine.exclude(status__in=CLOSED).filter(expires_at__gt=now).first()
    if unfinished:
        return unfinished
    if mine.filter(status=InvitationStatus.COMPLETED).count() >= link.per_device_per_day:
        raise DeviceLimitReached()
    programme = link.programme
    return Invitation.objects.create(
        programme=programme,
        wave=wave_for(programme, timezone.localdate(now)),
        version=programme.version,
        unit=link.unit,
        token=new_token(),
        channel=Channel.OPEN_LINK,
        expires_at=now + timedelta(hours=12),
        open_link=link,
        device=key,
    )
