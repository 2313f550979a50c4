"""Replies that reach the customer: a reply marked for the customer goes out by SMS or
e-mail with the case number and a signed link, where the customer sees where the case
stands and answers it; the answer lands on the case's timeline and restarts a clock
that waited on them. The customer may also answer by texting back to the reply's SMS."""

from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.core import signing
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from manyi.audit.services import audit_record
from manyi.cases.models import Case, CaseEntry, CaseStatus, EntryKind
from manyi.cases.timeline import entry_add
from manyi.customers.reach import customer_message_send
from manyi.errors import DomainError
from manyi.notify.inbound import on_sms_reply
from manyi.notify.models import Message, MessageChannel
from manyi.notify.wording import Wording, wording_register

SALT = "manyi.cases.status"
LINK_DAYS = 365  # a status link works for a year
REPLY_SHOWN = 300  # characters of the reply in the SMS; the link shows the rest
ANSWER_DAYS = 30  # a text back within this many days of a reply answers its case

CASE_REPLY = wording_register(
    Wording(
        code="case_reply",
        purpose="case_reply",
        text=gettext_lazy(
            "%(store)s about your case %(number)s: %(reply)s See where it stands and answer: "
            "%(link)s"
        ),
        subject=gettext_lazy("Your case %(number)s at %(store)s"),
        anytime=True,
    )
)


def status_link(case: Case) -> str:
    """The public address where the case's customer follows it (signed, no login). It
    names the case's customer too: a link given out before the case had one stops
    working when a handler links the customer."""
    token = signing.dumps([case.pk, case.customer_id or 0], salt=SALT, compress=True)
    return settings.PUBLIC_BASE_URL.rstrip("/") + reverse("case_status", args=[token])


def case_from_link(token: str) -> Case:
    """The case a status link names; ``Case.DoesNotExist`` for a forged, old or
    outdated one."""
    try:
        pk, customer_id = signing.loads(token, salt=SALT, max_age=LINK_DAYS * 86400)
    except (signing.BadSignature, TypeError, ValueError) as error:
        raise Case.DoesNotExist from error
    return Case.objects.select_related("unit").get(pk=pk, customer_id=customer_id or None)


def reply_send(*, case: Case, entry: CaseEntry) -> None:
    """Send a public reply to the case's customer (inside the reply's transaction) and
    note on the entry how it went out; a case with no reachable customer keeps the
    reply on its timeline only."""
    if case.customer is None:
        return
    reply = entry.body if len(entry.body) <= REPLY_SHOWN else entry.body[:REPLY_SHOWN] + "…"
    sent = customer_message_send(
        customer=case.customer,
        channels=["sms", "email"],
        wording=CASE_REPLY.code,
        params={
            "store": case.unit.name,
            "number": case.number,
            "reply": reply,
            "link": status_link(case),
        },
        ref=case.number,
    )
    entry.changes = {"sent": sent.message.channel if sent.message else "", "refused": sent.refused}
    entry.save(update_fields=["changes"])


@transaction.atomic
def case_customer_answer(*, case: Case, body: str) -> CaseEntry:
    """The customer answers through the status link: a line on the timeline, and a case
    that waited on them runs again."""
    from manyi.cases.services import case_locked, case_resume

    body = body.strip()
    if not body:
        raise DomainError(_("Write your answer first."))
    locked = case_locked(case)
    if locked.status == CaseStatus.CLOSED:
        raise DomainError(_("This case is closed; to raise something new, tell the store again."))
    entry = entry_add(locked, EntryKind.CUSTOMER, None, body)
    if locked.status == CaseStatus.WAITING:
        case_resume(actor=None, case=locked)
    audit_record(actor=None, action="case.customer_answer", obj=locked, unit_id=locked.unit_id)
    return entry


@on_sms_reply(order=20)
def _read_text(sender: str, text: str, now: datetime) -> str:
    """A text back answers a case when the last SMS we sent that number, within the
    month, was a reply on that case (an answer to anything else is not guessed at)."""
    last = (
        Message.objects.filter(
            channel=MessageChannel.SMS,
            recipient=sender,
            created_at__gte=now - timedelta(days=ANSWER_DAYS),
        )
        .order_by("-created_at", "-pk")
        .values_list("purpose", "ref")
        .first()
    )
    if last is None or last[0] != CASE_REPLY.purpose:
        return ""
    case = Case.objects.filter(number=last[1]).first()
    if case is None:
        return ""
    try:
        case_customer_answer(case=case, body=text)
    except DomainError:
        return "case_closed"
    return "case_answer"


def public_entries(case: Case) -> Any:
    """What the customer sees of the timeline: replies to them and their own answers."""
    return case.entries.filter(kind__in=(EntryKind.REPLY, EntryKind.CUSTOMER)).order_by(
        "created_at", "pk"
    )
