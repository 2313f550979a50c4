"""Whether a message may reach Li Ming: one rule for every sender — consent per channel
and purpose, the quiet hours and the monthly cap for marketing, the unsubscribe line."""

from datetime import datetime, time, timedelta

import pytest

from manyi.customers.models import ContactPolicy
from manyi.customers.reach import (
    NO_CONTACT,
    OVER_CAP,
    after_quiet_hours,
    customer_message_send,
)
from manyi.notify.models import Message
from manyi.notify.wording import Wording, wording_register
from tests.conftest import SHANGHAI

SERVICE = wording_register(Wording(code="test_service", purpose="case_reply", text="%(text)s"))
REPLY = wording_register(
    Wording(code="test_reply", purpose="case_reply", text="%(text)s", anytime=True)
)
MARKETING = wording_register(
    Wording(code="test_marketing", purpose="care", text="%(text)s", marketing=True)
)
NOON = datetime(2026, 3, 4, 12, 0, tzinfo=SHANGHAI)
LATE = datetime(2026, 3, 4, 22, 30, tzinfo=SHANGHAI)


def _send(customer, code, now=NOON, channels=("sms", "email")):
    return customer_message_send(
        customer=customer, channels=list(channels), wording=code, params={"text": "你好"}, now=now
    )


def test_a_service_message_goes_to_the_phone_with_its_template(customer_a):
    sent = _send(customer_a, SERVICE.code)
    message = sent.message
    assert message.recipient == "+8613812345678" and message.channel == "sms"
    assert (message.template, message.params) == ("test_service", {"text": "你好"})
    assert message.customer_id == customer_a.pk and not message.marketing


def test_an_opted_out_phone_falls_back_to_e_mail_and_none_is_refused(customer_a):
    customer_a.contacts.filter(channel="phone").update(opted_out_at=NOON)
    assert _send(customer_a, SERVICE.code).message.recipient == "liming@example.com"
    customer_a.contacts.update(consent=False)
    assert _send(customer_a, SERVICE.code).refused == NO_CONTACT


def test_marketing_needs_its_own_consent(customer_a):
    assert _send(customer_a, MARKETING.code).refused == NO_CONTACT
    customer_a.contacts.update(marketing_consent=True)
    message = _send(customer_a, MARKETING.code).message
    assert message.marketing and message.body == "你好 回复TD退订"


def test_in_the_quiet_hours_only_a_reply_the_customer_waits_for_goes_out(customer_a):
    customer_a.contacts.update(marketing_consent=True)
    morning = datetime(2026, 3, 5, 8, 0, tzinfo=SHANGHAI)
    assert _send(customer_a, MARKETING.code, now=LATE).message.send_after == morning
    assert _send(customer_a, SERVICE.code, now=LATE).message.send_after == morning
    reply = _send(customer_a, REPLY.code, now=LATE).message
    assert reply.send_after == LATE  # a reply to a complaint does not wait


def test_the_monthly_cap_counts_survey_invitations_too(customer_a):
    customer_a.contacts.update(marketing_consent=True)
    Message.objects.create(
        channel="sms", recipient="x", body="survey", purpose="invitation",
        customer_id=customer_a.pk, send_after=NOON,
    )  # fmt: skip
    for _ in range(3):
        assert _send(customer_a, MARKETING.code).message is not None
    assert _send(customer_a, MARKETING.code).refused == OVER_CAP
    assert _send(customer_a, SERVICE.code).message is not None  # service is never capped


@pytest.mark.parametrize(
    ("quiet_from", "quiet_until", "at", "expected"),
    [
        (time(21), time(8), time(23, 0), (1, time(8))),
        (time(21), time(8), time(7, 30), (0, time(8))),
        (time(21), time(8), time(8, 0), (0, time(8, 0))),  # open again: now
        (time(12), time(14), time(13, 0), (0, time(14))),
        (time(9), time(9), time(3, 0), (0, time(3, 0))),  # no quiet hours
    ],
)
def test_quiet_hours_across_midnight_and_within_a_day(db, quiet_from, quiet_until, at, expected):
    policy = ContactPolicy(quiet_from=quiet_from, quiet_until=quiet_until)
    now = datetime.combine(NOON.date(), at, tzinfo=SHANGHAI)
    days, hour = expected
    assert after_quiet_hours(policy, now) == datetime.combine(
        NOON.date() + timedelta(days=days), hour, tzinfo=SHANGHAI
    )
