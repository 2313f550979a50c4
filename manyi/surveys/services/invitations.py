"""Invitations: who is asked (exclusions, sampling), sending, reminders, expiry, opt-out."""

import hashlib
import secrets
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy

from manyi.audit.services import audit_record
from manyi.customers.models import Contact, Customer, CustomerKind, ServiceEvent
from manyi.customers.reach import CONTACT_FOR, customer_message_queue, reachable_contacts
from manyi.errors import DomainError
from manyi.notify.models import Message
from manyi.notify.services import (
    DELIVERED,
    FAILED,
    SENT,
    UNDELIVERED,
    on_result,
)
from manyi.notify.wording import Wording, wording_register
from manyi.org.models import Unit
from manyi.privacy.consent import barred, may_use_health_data, require_health_consent
from manyi.surveys.models import (
    Invitation,
    InvitationStatus,
    Programme,
    Sampling,
    Trigger,
    Wave,
)
from manyi.surveys.services.programmes import wave_for
from manyi.surveys.timing import promised_minutes
from manyi.surveys.versions import definition_of

CLOSED = {
    InvitationStatus.COMPLETED,
    InvitationStatus.EXPIRED,
    InvitationStatus.OPTED_OUT,
    InvitationStatus.REFUSED,
    InvitationStatus.UNREACHABLE,
}


class InvitationClosed(DomainError):
    """The link cannot be answered; ``reason`` is unknown, expired, completed or opted_out."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


def new_token() -> str:
    """192 random bits, URL-safe: unguessable and never reused."""
    return secrets.token_urlsafe(24)


def survey_url(invitation: Any, name: str = "survey_form") -> str:
    """The public address of an invitation (or, with ``survey_open_link``, an open link)."""
    return settings.PUBLIC_BASE_URL.rstrip("/") + reverse(name, args=[invitation.token])


def open_link_url(link: Any) -> str:
    return survey_url(link, "survey_open_link")


def _in_sample(programme: Programme, event_id: int) -> bool:
    """A reproducible coin for simple random sampling: the same event always lands alike."""
    digest = hashlib.sha256(f"{programme.pk}:{event_id}".encode()).digest()
    return int.from_bytes(digest[:8], "big") / 2**64 * 100 < float(programme.sample_rate)


def covered_units(programme: Programme) -> list[int]:
    paths = Q()
    for unit in programme.units.all():
        paths |= Q(path__startswith=unit.path)
    return list(Unit.objects.filter(paths).values_list("pk", flat=True)) if paths else []


@dataclass
class TriggerResult:
    candidates: int = 0
    invited: int = 0
    excluded: dict[str, int] = field(default_factory=lambda: defaultdict(int))


INVITATION = wording_register(
    Wording(
        code="survey_invitation",
        purpose="invitation",
        text=gettext_lazy(
            "Thank you for visiting %(unit)s. How did we do? About %(minutes)s min: %(link)s"
            " To stop these messages: %(opt_out)s"
        ),
        subject=gettext_lazy("How was your visit to %(unit)s?"),
    )
)
REMINDER = wording_register(
    Wording(
        code="survey_reminder",
        purpose="invitation",
        text=gettext_lazy(
            "Reminder: how was your visit to %(unit)s? About %(minutes)s min: %(link)s"
            " To stop these messages: %(opt_out)s"
        ),
        subject=gettext_lazy("How was your visit to %(unit)s?"),
    )
)


def _message(
    invitation: Invitation, address: str, now: datetime, *, reminder: bool = False
) -> None:
    """The invitation's SMS or e-mail, by the rule every message to a customer follows."""
    customer_message_queue(
        customer=invitation.customer,
        channel=invitation.channel,
        address=address,
        wording=(REMINDER if reminder else INVITATION).code,
        params={
            "unit": invitation.unit.name,
            "minutes": promised_minutes(definition_of(invitation.version_id)),
            "link": survey_url(invitation),
            "opt_out": survey_url(invitation, "survey_opt_out"),
        },
        ref=str(invitation.pk),
        now=now,
    )


@transaction.atomic
def invitation_create(
    *,
    programme: Programme,
    customer: Customer,
    channel: str,
    address: str,
    event: ServiceEvent | None = None,
    wave: Wave | None = None,
    unit: Unit | None = None,
    now: datetime | None = None,
) -> Invitation:
    """Create one invitation and queue its message (phone invitations go to the call list).
    It is the unit's (by default the event's, else the customer's home store's); a
    hospital's patient is invited only with their consent to the use of health data."""
    now = now or timezone.now()
    unit = unit or (event.unit if event else customer.unit)
    require_health_consent(customer.pk, unit.pk)
    invitation = Invitation.objects.create(
        programme=programme,
        wave=wave or wave_for(programme, timezone.localdate(now)),
        version=programme.version,
        customer=customer,
        event=event,
        unit=unit,
        staff=event.staff if event else None,
        token=new_token(),
        channel=channel,
        language=customer.language or "zh-hans",
        expires_at=now + timedelta(days=programme.expire_after_days),
        next_call_at=now if channel == "phone" else None,
    )
    if channel in ("sms", "email"):
        _message(invitation, address, now)
    return invitation


def invitations_trigger(*, now: datetime | None = None) -> dict[str, TriggerResult]:
    """Invite the customers of service events that closed ``delay_days`` ago.

    Each programme keeps the close time up to which it has looked (``triggered_until``),
    so a run reads only the events closed since, whatever the size of the history.
    """
    now = now or timezone.now()
    results = {}
    for programme in Programme.objects.filter(is_active=True, trigger=Trigger.AFTER_EVENT):
        with transaction.atomic():
            locked = Programme.objects.select_for_update().get(pk=programme.pk)
            results[locked.code] = _trigger_programme(locked, now)
    return results


def _trigger_programme(programme: Programme, now: datetime) -> TriggerResult:
    result = TriggerResult()
    until = now - timedelta(days=programme.delay_days)
    since = programme.triggered_until or (
        programme.created_at - timedelta(days=programme.delay_days)
    )
    if until <= since:
        return result
    events = ServiceEvent.objects.filter(
        closed_at__gt=since, closed_at__lte=until, unit_id__in=covered_units(programme)
    )
    if programme.event_kinds:
        events = events.filter(kind__in=programme.event_kinds)
    events = list(
        events.exclude(invitations__programme=programme)
        .select_related("customer", "unit", "staff")
        .order_by("closed_at")
    )
    result.candidates = len(events)
    customer_ids = {event.customer_id for event in events}
    recent = recently_invited(programme, customer_ids, now)
    reachable = reachable_contacts(customer_ids, programme.channels)
    no_consent = barred((event.customer_id, event.unit_id) for event in events)
    quota_used = _quota_used(programme, now)
    invited_now: set[int] = set()
    for event in events:
        reason = (
            NO_HEALTH_CONSENT
            if (event.customer_id, event.unit_id) in no_consent
            else excluded(programme, event.customer, recent | invited_now, reachable)
            or _sampled_out(programme, event, quota_used)
        )
        if reason:
            result.excluded[reason] += 1
            continue
        channel, address = reachable[event.customer_id]
        invitation_create(
            programme=programme,
            customer=event.customer,
            event=event,
            channel=channel,
            address=address,
            now=now,
        )
        invited_now.add(event.customer_id)
        quota_used[event.unit_id] += 1
        result.invited += 1
    programme.triggered_until = until
    programme.save(update_fields=["triggered_until"])
    if result.candidates:
        audit_record(
            actor=None,
            action="invitations_trigger",
            obj=programme,
            changes={"invited": result.invited, "excluded": dict(result.excluded)},
        )
    return result


def recently_invited(programme: Programme, customer_ids: set[int], now: datetime) -> set[int]:
    if not programme.exclude_recent_days:
        return set()
    return set(
        Invitation.objects.filter(
            customer_id__in=customer_ids,
            created_at__gte=now - timedelta(days=programme.exclude_recent_days),
        ).values_list("customer_id", flat=True)
    )


# A hospital's patient whose consent to the use of health data is not in force.
NO_HEALTH_CONSENT = "no_health_consent"


def excluded(
    programme: Programme,
    customer: Customer,
    recent: set[int],
    reachable: dict[int, tuple[str, str]],
) -> str | None:
    """Why a customer is not invited (internal, surveyed recently, no contact), or None."""
    if programme.exclude_internal and customer.kind == CustomerKind.INTERNAL:
        return "internal"
    if customer.pk in recent:
        return "surveyed_recently"
    if customer.pk not in reachable:
        return "no_contact"
    return None


def _sampled_out(
    programme: Programme, event: ServiceEvent, quota_used: dict[int, int]
) -> str | None:
    if programme.sampling == Sampling.RANDOM and not _in_sample(programme, event.pk):
        return "not_sampled"
    if (
        programme.sampling == Sampling.QUOTA
        and quota_used[event.unit_id] >= programme.quota_per_unit
    ):
        return "quota_full"
    return None


def _quota_used(programme: Programme, now: datetime) -> dict[int, int]:
    wave = wave_for(programme, timezone.localdate(now))
    counts = (
        Invitation.objects.filter(wave=wave)
        .values("unit_id")
        .annotate(n=Count("id"))
        .values_list("unit_id", "n")
    )
    return defaultdict(int, counts)


@on_result("invitation")
def invitation_message_result(message: Message, outcome: str) -> None:
    """The outbox reports on an invitation's message: sent, failed, delivered or not."""
    now = timezone.now()
    invitation = Invitation.objects.filter(pk=int(message.ref))
    if outcome == SENT:
        invitation.filter(status=InvitationStatus.CREATED).update(
            status=InvitationStatus.SENT, sent_at=now
        )
    elif outcome == DELIVERED:
        invitation.filter(status=InvitationStatus.SENT).update(
            status=InvitationStatus.DELIVERED, delivered_at=now
        )
    elif outcome in (FAILED, UNDELIVERED):
        invitation.filter(status__in=[InvitationStatus.CREATED, InvitationStatus.SENT]).update(
            status=InvitationStatus.FAILED, failed_at=now
        )


def invitation_open(*, token: str, mark: bool = True) -> Invitation:
    """The invitation behind a link, marked opened; ``InvitationClosed`` when it cannot be used.

    A form being submitted is not marked here (``mark=False``): the submit records
    the opening with the completion, in one write.
    """
    try:
        invitation = Invitation.objects.select_related("unit").get(token=token)
    except Invitation.DoesNotExist as missing:
        raise InvitationClosed("unknown") from missing
    if invitation.status in CLOSED:
        raise InvitationClosed(invitation.status)
    if invitation.expires_at <= timezone.now():
        Invitation.objects.filter(pk=invitation.pk).exclude(status__in=CLOSED).update(
            status=InvitationStatus.EXPIRED
        )
        raise InvitationClosed(InvitationStatus.EXPIRED)
    if mark and invitation.opened_at is None:
        now = timezone.now()
        Invitation.objects.filter(pk=invitation.pk, opened_at=None).update(
            opened_at=now, status=InvitationStatus.OPENED
        )
        invitation.opened_at, invitation.status = now, InvitationStatus.OPENED
    return invitation


@transaction.atomic
def invitation_opt_out(*, token: str) -> Invitation:
    """The customer refuses: this invitation closes and the channel is opted out everywhere."""
    invitation = Invitation.objects.select_for_update().filter(token=token).first()
    if invitation is None:
        raise InvitationClosed("unknown")
    now = timezone.now()
    if invitation.status != InvitationStatus.COMPLETED:
        invitation.status = InvitationStatus.OPTED_OUT
    invitation.opted_out_at = now
    invitation.save(update_fields=["status", "opted_out_at"])
    contact_channel = CONTACT_FOR.get(invitation.channel)
    if contact_channel:
        Contact.objects.filter(
            customer_id=invitation.customer_id, channel=contact_channel, opted_out_at=None
        ).update(opted_out_at=now)
    audit_record(
        actor=None,
        action="invitation_opt_out",
        obj=invitation,
        unit=invitation.unit,
        changes={"channel": invitation.channel},
    )
    return invitation


def invitations_remind_and_expire(*, now: datetime | None = None) -> tuple[int, int]:
    """Send one reminder to those who have not answered; close invitations past expiry."""
    now = now or timezone.now()
    expired = (
        Invitation.objects.filter(expires_at__lte=now)
        .exclude(status__in=CLOSED)
        .update(status=InvitationStatus.EXPIRED)
    )
    waiting = (
        Invitation.objects.filter(
            status__in=[InvitationStatus.SENT, InvitationStatus.DELIVERED, InvitationStatus.OPENED],
            reminded_at=None,
            expires_at__gt=now,
        )
        .exclude(channel="phone")
        .select_related("programme", "unit")
    )
    reminded = 0
    for invitation in waiting.iterator(chunk_size=500):
        if (invitation.sent_at or invitation.created_at) > now - timedelta(
            days=invitation.programme.reminder_after_days
        ):
            continue
        with transaction.atomic():
            claimed = Invitation.objects.filter(pk=invitation.pk, reminded_at=None).update(
                reminded_at=now
            )
            if not claimed:
                continue
            address = reachable_contacts({invitation.customer_id}, [invitation.channel])
            consented = may_use_health_data(invitation.customer_id, invitation.unit_id)
            if consented and invitation.customer_id in address:
                _message(invitation, address[invitation.customer_id][1], now, reminder=True)
                reminded += 1
    return reminded, expired
