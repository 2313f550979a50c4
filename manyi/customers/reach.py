"""Whether and how a customer may be contacted: one rule for every sender.

Survey invitations, case replies, reminders and care messages all come here. A contact
may be used when the customer consented to that channel and has not opted out of it.
Nothing but a reply the customer waits for goes out in the quiet hours: the rest waits
for the morning. Marketing (birthdays, festivals, events) needs its own consent besides,
ends with the unsubscribe line, and stops at the monthly cap — counting survey
invitations, which are contacts too. A message is rendered from its
template code in the customer's language.
"""

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from manyi.customers.models import Contact, ContactChannel, ContactPolicy, Customer
from manyi.customers.unsubscribe import unsubscribe_link
from manyi.notify.models import Message, MessageChannel
from manyi.notify.services import message_queue
from manyi.notify.wording import WORDINGS, wording_render

# The contact each sending channel needs.
CONTACT_FOR = {
    "sms": ContactChannel.PHONE,
    "phone": ContactChannel.PHONE,
    "email": ContactChannel.EMAIL,
}
NO_CONTACT, OVER_CAP = "no_contact", "over_cap"


def usable(*, marketing: bool = False) -> Q:
    """The contacts a message may go to: consented and not opted out, and for
    marketing with the customer's consent to marketing too."""
    where = Q(consent=True, opted_out_at=None)
    return where & Q(marketing_consent=True) if marketing else where


def reachable_contacts(
    customer_ids: set[int], channels: list[str], *, marketing: bool = False
) -> dict[int, tuple[str, str]]:
    """For each customer, the first of ``channels`` they may be reached on, with the
    address (the primary contact first)."""
    wanted = {CONTACT_FOR[channel] for channel in channels}
    found: dict[int, dict[str, str]] = defaultdict(dict)
    contacts = (
        Contact.objects.filter(usable(marketing=marketing), customer_id__in=customer_ids)
        .filter(channel__in=wanted)
        .order_by("-is_primary", "id")
        .values_list("customer_id", "channel", "value")
    )
    for customer_id, channel, value in contacts:
        found[customer_id].setdefault(channel, value)
    reachable = {}
    for customer_id, addresses in found.items():
        for channel in channels:
            if CONTACT_FOR[channel] in addresses:
                reachable[customer_id] = (channel, addresses[CONTACT_FOR[channel]])
                break
    return reachable


@dataclass(frozen=True)
class Sent:
    """What became of a message to a customer: queued, or why not."""

    message: Message | None
    refused: str = ""


def contacts_this_month(customer_id: int, now: datetime) -> int:
    """Marketing messages and survey invitations the customer got in the last 30 days."""
    return Message.objects.filter(
        Q(marketing=True) | Q(purpose="invitation"),
        customer_id=customer_id,
        created_at__gte=now - timedelta(days=30),
    ).count()


def after_quiet_hours(policy: ContactPolicy, now: datetime) -> datetime:
    """``now``, or the end of the quiet hours it falls in (local time)."""
    if policy.quiet_from == policy.quiet_until:
        return now
    local = timezone.localtime(now)
    moment = local.time()
    crosses_midnight = policy.quiet_from > policy.quiet_until
    quiet = (
        moment >= policy.quiet_from or moment < policy.quiet_until
        if crosses_midnight
        else policy.quiet_from <= moment < policy.quiet_until
    )
    if not quiet:
        return now
    ends = local.replace(
        hour=policy.quiet_until.hour,
        minute=policy.quiet_until.minute,
        second=0,
        microsecond=0,
    )
    return ends + timedelta(days=1) if ends <= local else ends


def customer_message_queue(
    *,
    customer: Customer,
    channel: str,
    address: str,
    wording: str,
    params: dict[str, Any],
    ref: str = "",
    now: datetime | None = None,
) -> Sent:
    """Queue template ``wording`` to ``address`` (a contact already chosen), after the
    quiet hours unless the customer waits for it, with the marketing rules when it is
    marketing. Call inside the sender's transaction."""
    now = now or timezone.now()
    found = WORDINGS[wording]
    policy = ContactPolicy.current()
    if found.marketing and contacts_this_month(customer.pk, now) >= policy.marketing_per_month:
        return Sent(None, OVER_CAP)
    send_after = now if found.anytime else after_quiet_hours(policy, now)
    language = customer.language or "zh-hans"
    subject, body = wording_render(wording, params, language)
    if found.marketing:
        with translation.override(language):
            if channel == "email":
                foot = _("To receive no more of these: %(link)s")
                contact = Contact.objects.filter(
                    customer=customer, channel=ContactChannel.EMAIL, value=address
                ).first()
                if contact is not None:
                    body = f"{body}\n\n" + foot % {"link": unsubscribe_link(contact.pk)}
            else:
                body = f"{body} " + _("Reply TD to unsubscribe.")
    message = message_queue(
        channel=MessageChannel.EMAIL if channel == "email" else MessageChannel.SMS,
        recipient=address,
        subject=subject,
        body=body,
        purpose=found.purpose,
        ref=ref,
        send_after=send_after,
        template=found.code,
        params=params,
        customer_id=customer.pk,
        marketing=found.marketing,
    )
    return Sent(message)


def customer_message_send(
    *,
    customer: Customer,
    channels: list[str],
    wording: str,
    params: dict[str, Any],
    ref: str = "",
    now: datetime | None = None,
) -> Sent:
    """Send template ``wording`` on the first of ``channels`` the customer may be
    reached on for its purpose; nothing (and why) when there is none."""
    marketing = WORDINGS[wording].marketing
    found = reachable_contacts({customer.pk}, channels, marketing=marketing).get(customer.pk)
    if found is None:
        return Sent(None, NO_CONTACT)
    channel, address = found
    return customer_message_queue(
        customer=customer,
        channel=channel,
        address=address,
        wording=wording,
        params=params,
        ref=ref,
        now=now,
    )
