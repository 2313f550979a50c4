"""Texts customers send back to our SMS. The gateway forwards each one; the first app
that recognises it acts on it — 回复TD退订 withdraws marketing consent, an answer to a
case reply goes onto that case. Apps register their readers when they load."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from django.db import IntegrityError, transaction

from manyi.notify.models import InboundText

# (sender in E.164, text, now) -> what was done, or "" when the text is not for this reader
Reader = Callable[[str, str, datetime], str]


@dataclass(frozen=True)
class _Registered:
    order: int
    read: Reader


READERS: list[_Registered] = []
UNREAD = "unread"


def on_sms_reply(order: int) -> Callable[[Reader], Reader]:
    """Register a reader of customers' texts; lower ``order`` reads first."""

    def register(read: Reader) -> Reader:
        READERS.append(_Registered(order, read))
        READERS.sort(key=lambda registered: registered.order)
        return read

    return register


def sms_reply_receive(*, sender: str, text: str, now: datetime, gateway_id: str = "") -> str:
    """Keep the text, hand it to the readers in order, and record what the first that
    took it did. A text the gateway sends again (the same id) is not read twice."""
    with transaction.atomic():
        try:
            with transaction.atomic():
                kept = InboundText.objects.create(gateway_id=gateway_id, sender=sender, text=text)
        except IntegrityError:  # sent again: the first has been read (or is being read)
            return InboundText.objects.get(gateway_id=gateway_id).done
        done = UNREAD
        for registered in READERS:
            done = registered.read(sender, text, now) or UNREAD
            if done != UNREAD:
                break
        kept.done = done
        kept.save(update_fields=["done"])
    return done
