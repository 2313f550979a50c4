"""The morning inbox digest: Hui asked for it in English, Amy did not ask; each gets at
most one a day, in their own language, and none on a day when nothing waits."""

from datetime import datetime

import pytest
from django.utils import timezone

from manyi.cases.services import case_open
from manyi.notify.digest import inbox_digests_send
from manyi.notify.models import InboxDigest, Message
from manyi.org.services import staff_preferences_set


def _morning(hour=8, minute=30):
    today = timezone.localdate()
    return timezone.make_aware(datetime(today.year, today.month, today.day, hour, minute))


@pytest.fixture
def hui_wants_it(hui):
    hui.email = "hui@example.com"
    hui.save(update_fields=["email"])
    return staff_preferences_set(actor=hui, language="en", inbox_digest=True)


def _complaint(hui):
    return case_open(
        actor=hui,
        kind="complaint",
        unit=hui.unit,
        subject="Noise after repair",
        channel="phone",
        owner=hui,
    )


def test_hui_gets_one_digest_a_morning_listing_her_case(hui_wants_it, store_a_manager):
    case = _complaint(hui_wants_it)
    assert inbox_digests_send(now=_morning(7, 59)) == 0  # not before the working day
    assert inbox_digests_send(now=_morning()) == 1
    assert inbox_digests_send(now=_morning(9)) == 0  # once a day
    message = Message.objects.get(purpose="inbox_digest")
    assert message.recipient == "hui@example.com"
    assert message.subject == "manyi: 1 thing waits for you"
    assert "Cases assigned to me (1)" in message.body and case.number in message.body
    assert f"/cases/{case.pk}/" in message.body


def test_the_digest_is_written_in_the_recipients_language(hui_wants_it):
    staff_preferences_set(actor=hui_wants_it, language="zh-hans", inbox_digest=True)
    _complaint(hui_wants_it)
    inbox_digests_send(now=_morning())
    assert "分配给我的工单 (1)" in Message.objects.get(purpose="inbox_digest").body


def test_nothing_waiting_sends_nothing_but_counts_the_day_as_done(hui_wants_it):
    assert inbox_digests_send(now=_morning()) == 0
    assert InboxDigest.objects.get().waiting == 0
    assert not Message.objects.filter(purpose="inbox_digest").exists()


def test_a_staff_member_sets_their_language_and_digest_on_their_settings_page(client, hui):
    client.force_login(hui)
    answer = client.post("/me/", {"language": "en", "inbox_digest": "on"})
    assert answer.status_code == 302 and answer.cookies["django_language"].value == "en"
    hui.refresh_from_db()
    assert (hui.language, hui.inbox_digest) == ("en", True)
    assert client.post("/me/", {"language": "klingon"}).status_code == 200
    hui.refresh_from_db()
    assert hui.language == "en"


def test_once_sent_the_outbox_keeps_no_copy_of_what_the_digest_quoted(hui_wants_it):
    from manyi.notify.services import messages_send

    _complaint(hui_wants_it)
    inbox_digests_send(now=_morning())
    assert messages_send() == 1
    message = Message.objects.get(purpose="inbox_digest")
    assert message.status == "sent" and "Noise after repair" not in message.body
    assert message.subject == "manyi: 1 thing waits for you"
