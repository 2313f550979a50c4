"""The personal data of messages: the address each went to, what it said, and the texts
customers sent back. Which message went when, and whether it arrived, stays."""

from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from manyi.notify.models import InboundText, Message, MessageStatus
from manyi.privacy.registry import Retention, Subject, declare, exempt

ERASED = "personal data erased"


def messages_of(subject: Subject) -> QuerySet:
    where = Q(customer_id=subject.customer.pk)
    if subject.addresses:  # sent to one of their addresses for no one in particular
        where |= Q(recipient__in=subject.addresses, customer_id__isnull=True)
    return Message.objects.filter(where)


def messages_erase(rows: QuerySet, subject: Subject) -> int:
    """Blank them; one not sent yet never will be."""
    rows.filter(status__in=(MessageStatus.QUEUED, MessageStatus.SENDING)).update(
        status=MessageStatus.FAILED, error=ERASED
    )
    return rows.exclude(recipient="", body="").update(recipient="", subject="", body="", params={})


declare(
    "notify.Message",
    "recipient",
    "subject",
    "body",
    "params",
    label=_("Messages sent: the address and the text"),
    rows=messages_of,
    erase=messages_erase,
    retention=Retention.CONTACT,
    dated_by="created_at",
    exported=("channel", "purpose", "status", "created_at", "sent_at"),
)
declare(
    "notify.InboundText",
    "sender",
    "text",
    label=_("Texts the customer sent back"),
    rows=lambda subject: InboundText.objects.filter(sender__in=subject.phones),
    retention=Retention.CONTACT,
    dated_by="received_at",
    exported=("received_at", "done"),
)
exempt("notify.Hook", "name", why="the name of an integration")
exempt(
    "notify.HookDelivery",
    "payload",
    why="figures and ids only, never the customer or their words (cases/hooks.py)",
)
