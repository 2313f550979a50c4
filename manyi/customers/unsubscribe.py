"""A customer says no to marketing: by texting TD (回复TD退订) back to any of our SMS, or
from the link at the foot of a marketing e-mail. Either withdraws the marketing consent
of that phone or address wherever it is a contact; service messages still reach it."""

import re
from datetime import datetime

from django.conf import settings
from django.core import signing
from django.db import transaction
from django.urls import reverse

from manyi.audit.services import audit_record
from manyi.customers.models import Contact, ContactChannel
from manyi.notify.inbound import on_sms_reply

SALT = "manyi.customers.unsubscribe"
# What Chinese carriers and customers use to say "stop": 退订, TD, T, N, 取消, STOP.
KEYWORDS = {"TD", "T", "N", "退订", "取消", "STOP", "UNSUBSCRIBE"}
UNSUBSCRIBED = "unsubscribed"


@transaction.atomic
def contacts_unsubscribe(*, channel: str, value: str, via: str) -> int:
    """Withdraw the marketing consent of every contact with this phone or address; how
    many said yes before. The customer asked, so there is no acting user."""
    contacts = list(
        Contact.objects.select_for_update()
        .filter(channel=channel, value=value, marketing_consent=True)
        .select_related("customer__unit")
    )
    for contact in contacts:
        contact.marketing_consent = False
        contact.save(update_fields=["marketing_consent"])
        audit_record(
            actor=None,
            action="contact_marketing_no",
            obj=contact.customer,
            unit=contact.customer.unit,
            changes={"channel": contact.channel, "via": via},
        )
    return len(contacts)


@on_sms_reply(order=10)
def _read_text(sender: str, text: str, now: datetime) -> str:
    if re.sub(r"[\s\W_]+", "", text).upper() not in KEYWORDS:
        return ""
    contacts_unsubscribe(channel=ContactChannel.PHONE, value=sender, via="sms_reply")
    return UNSUBSCRIBED


def unsubscribe_link(address: str) -> str:
    """The signed address at the foot of a marketing e-mail (no login; never expires)."""
    token = signing.dumps(address, salt=SALT, compress=True)
    return settings.PUBLIC_BASE_URL.rstrip("/") + reverse("unsubscribe", args=[token])


def address_from_link(token: str) -> str | None:
    """The e-mail address a link names; None for a forged one."""
    try:
        return str(signing.loads(token, salt=SALT))
    except signing.BadSignature:
        return None
