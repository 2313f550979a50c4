"""Queue messages inside a business transaction; send them after commit, exactly once."""

from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.crypto import get_random_string

from manyi.notify.backends import DeliveryError, send_email, sms_backend
from manyi.notify.models import Message, MessageChannel, MessageStatus

MAX_ATTEMPTS = 5
CLAIM_TIMEOUT = timedelta(minutes=10)
# What a message's sender learns: sent, failed (gave up), delivered or undelivered.
SENT, FAILED, DELIVERED, UNDELIVERED = "sent", "failed", "delivered", "undelivered"
# purpose -> function(message, outcome) run when a message of that purpose is sent,
# gives up, or the gateway reports its delivery
RESULT_HANDLERS: dict[str, Callable[[Message, str], None]] = {}


def on_result(purpose: str) -> Callable[[Callable[[Message, str], None]], Any]:
    """Register what happens when a message of ``purpose`` is sent, fails or is delivered."""

    def register(handler: Callable[[Message, str], None]) -> Any:
        RESULT_HANDLERS[purpose] = handler
        return handler

    return register


def message_queue(
    *,
    channel: str,
    recipient: str,
    body: str,
    purpose: str,
    ref: str = "",
    subject: str = "",
    send_after: datetime | None = None,
    template: str = "",
    params: dict[str, Any] | None = None,
    customer_id: int | None = None,
    marketing: bool = False,
) -> Message:
    """Put a message in the outbox (call inside the caller's transaction). Messages to
    customers come through ``customers.reach``, which decides whether they may go."""
    return Message.objects.create(
        channel=channel,
        recipient=recipient,
        subject=subject,
        body=body,
        purpose=purpose,
        ref=ref,
        send_after=send_after or timezone.now(),
        template=template,
        params=params or {},
        customer_id=customer_id,
        marketing=marketing,
    )


def _claim(worker: str, limit: int) -> list[Message]:
    """Claim due messages with a conditional UPDATE, so two workers never send one twice.

    A claim older than ``CLAIM_TIMEOUT`` (a worker killed mid-send) may be taken again.
    """
    now = timezone.now()
    due = Q(status=MessageStatus.QUEUED, send_after__lte=now) | Q(
        status=MessageStatus.SENDING, claimed_at__lt=now - CLAIM_TIMEOUT
    )
    ids = list(
        Message.objects.filter(due).order_by("send_after").values_list("pk", flat=True)[:limit]
    )
    claimed = []
    for pk in ids:
        taken = Message.objects.filter(due, pk=pk).update(
            status=MessageStatus.SENDING,
            claimed_by=worker,
            claimed_at=now,
            attempts=F("attempts") + 1,
        )
        if taken:
            claimed.append(pk)
    return list(Message.objects.filter(pk__in=claimed, claimed_by=worker))


def messages_send(*, limit: int = 200) -> int:
    """Send due messages; failures are retried with back-off, up to ``MAX_ATTEMPTS``."""
    worker = get_random_string(16)
    sent = 0
    for message in _claim(worker, limit):
        try:
            gateway_id = ""
            if message.channel == MessageChannel.SMS:
                gateway_id = (
                    sms_backend().send(
                        message.recipient,
                        message.body,
                        template=message.template,
                        params=message.params,
                    )
                    or ""
                )
            else:
                send_email(message.recipient, message.subject, message.body)
        except DeliveryError as error:
            failed = message.attempts >= MAX_ATTEMPTS
            Message.objects.filter(pk=message.pk, claimed_by=worker).update(
                status=MessageStatus.FAILED if failed else MessageStatus.QUEUED,
                error=str(error)[:500],
                send_after=timezone.now() + timedelta(minutes=2**message.attempts),
            )
            if failed and message.purpose in RESULT_HANDLERS:
                RESULT_HANDLERS[message.purpose](message, FAILED)
            continue
        with transaction.atomic():
            Message.objects.filter(pk=message.pk, claimed_by=worker).update(
                status=MessageStatus.SENT, sent_at=timezone.now(), error="", gateway_id=gateway_id
            )
            if message.purpose in RESULT_HANDLERS:
                RESULT_HANDLERS[message.purpose](message, SENT)
        sent += 1
    return sent


@transaction.atomic
def message_delivery_report(*, gateway_id: str, delivered: bool, error: str = "") -> Message | None:
    """The gateway says whether a sent message reached the phone; None for an unknown id.

    A report repeated by the gateway changes nothing the second time.
    """
    message = (
        Message.objects.select_for_update()
        .filter(gateway_id=gateway_id, status=MessageStatus.SENT)
        .exclude(gateway_id="")
        .first()
    )
    if message is None:
        return None
    now = timezone.now()
    if delivered:
        message.status, message.delivered_at = MessageStatus.DELIVERED, now
    else:
        message.status, message.error = MessageStatus.FAILED, error[:500] or "undelivered"
    message.save(update_fields=["status", "delivered_at", "error"])
    if message.purpose in RESULT_HANDLERS:
        RESULT_HANDLERS[message.purpose](message, DELIVERED if delivered else UNDELIVERED)
    return message
