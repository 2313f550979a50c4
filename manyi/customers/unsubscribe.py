"""A customer says no to marketing: by texting TD (回复TD退订) back to any of our SMS, or
from the link at the foot of a marketing e-mail. Either withdraws the marketing consent
of that phone or address wherever it is a contact; service messages still reach it."""

import re
from datetime import datetime

from django.conf import settings
from django.core import signing
from django.db import transaction
from django.urls import reverse

from manyi.customers.models import Contact, ContactChannel
from manyi.customers.services import marketing_record
from manyi.notify.inbound import on_sms_reply

SALT = "manyi.customers.unsubscribe"
# What customers text to say "stop" (回复TD退订). Not 取消 or N: those answer a
# question ("cancel my booking") more often than they unsubscribe.
KEYWORDS = {"TD", "退订", "TD退订", "STOP", "UNSUBSCRIBE"}
UNSUBSCRIBED = "unsubscribed"


@transaction.atomic
def contacts_unsubscribe(*, channel: str, value: str, via: str) -> int:
    """Withdraw the marketing consent of every contact with this phone or address; how
    many said yes before. The customer asked, so there is no acting user."""
    contacts = list(
        Contact.objects.select_for_update(of=("self",))
        .filter(channel=channel, value=value, marketing_consent=True)
        .order_by("pk")
    )
    for contact in contacts:
        marketing_record(actor=None, contact=contact, consent=False, via=via)
    return len(contacts)


@on_sms_reply(order=10)
def _read_text(sender: str, text: str, now: datetime) -> str:
    if re.sub(r"[\s\W_]+", "", text).upper() not in KEYWORDS:
        return ""
    contacts_unsubscribe(channel=ContactChannel.PHONE, value=sender, via="sms_reply")
    return UNSUBSCRIBED


def unsubscribe_link(contact_id: int) -> str:
    """The signed address at the foot of a marketing e-mail (no login; never expires).
    It names the contact by its number, so the e-mail address is not in the link."""
    token = signing.dumps(contact_id, salt=SALT)
    return settings.PUBLIC_BASE_URL.rstrip("/") + reverse("unsubscribe", args=[token])


def contact_from_link(token: str) -> Contact | None:
    """The e-mail contact a link names; None for a forged one or a contact since gone."""
    try:
        contact_id = int(signing.loads(token, salt=SALT))
    except (signing.BadSignature, TypeError, ValueError):
        return None
    return Contact.objects.filter(pk=contact_id, channel=ContactChannel.EMAIL).first()
