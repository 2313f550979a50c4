"""The inbox digest: each morning, to those who asked for it, an e-mail in their own
language of what waits in their inbox. Sent once a person a day, however many workers
run the sweep and wherever one stops."""

from datetime import datetime, time

from django.conf import settings
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import ngettext

from manyi.notify.models import InboxDigest, Message, MessageChannel, MessageStatus
from manyi.notify.services import FAILED, SENT, message_queue, on_result
from manyi.org.models import Staff
from manyi.web.registry import inbox_for

SEND_FROM = time(8, 0)  # local time: the digest waits for the start of the working day


@on_result("inbox_digest")
def digest_sent(message: Message, outcome: str) -> None:
    """A digest quotes what waits — customers' names, the subjects of their cases — and
    is found by no customer: once it is out, the outbox keeps its subject only."""
    if outcome in (SENT, FAILED):  # the last word on it: no retry will need the text
        Message.objects.filter(
            pk=message.pk, status__in=(MessageStatus.SENT, MessageStatus.FAILED)
        ).update(body="")


def inbox_digests_send(*, now: datetime | None = None) -> int:
    """Queue today's digests not yet queued; how many were queued. Nobody gets an empty
    one: a day with nothing waiting is recorded as done without a message."""
    now = timezone.localtime(now or timezone.now())
    if now.time() < SEND_FROM:
        return 0
    day = now.date()
    done = InboxDigest.objects.filter(day=day).values("staff_id")
    people = (
        Staff.objects.filter(inbox_digest=True, is_active=True)
        .exclude(email="")
        .exclude(pk__in=done)
        .select_related("unit")
    )
    queued = 0
    for person in people.iterator(chunk_size=200):
        queued += _digest(person, day)
    return queued


def _digest(person: Staff, day: object) -> int:
    with translation.override(person.language or settings.LANGUAGE_CODE):
        sections = [section for section in inbox_for(person, limit=10) if section.count]
        waiting = sum(section.count for section in sections)
        subject = ngettext(
            "manyi: %(n)s thing waits for you", "manyi: %(n)s things wait for you", waiting
        ) % {"n": waiting}
        body = render_to_string(
            "notify/inbox_digest.txt",
            {
                "person": person,
                "sections": sections,
                "base": settings.PUBLIC_BASE_URL.rstrip("/"),
            },
        )
    try:
        with transaction.atomic():
            digest = InboxDigest.objects.create(staff=person, day=day, waiting=waiting)
            if not waiting:
                return 0
            digest.message = message_queue(
                channel=MessageChannel.EMAIL,
                recipient=person.email,
                subject=subject,
                body=body,
                purpose="inbox_digest",
                ref=f"digest:{person.pk}:{day}",
            )
            digest.save(update_fields=["message"])
    except IntegrityError:
        return 0  # another worker queued this one a moment ago
    return 1
