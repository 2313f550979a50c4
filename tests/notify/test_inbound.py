"""Li Ming texts back. "TD" ends the greetings and offers (not the messages about his own
cases); an answer to Hui's case reply lands on that case; a text nobody reads changes
nothing. Only the gateway, with its token, may post these."""

import pytest

from manyi.audit.models import AuditEntry
from manyi.cases.models import Case, CaseStatus, EntryKind
from manyi.cases.services import case_open, case_reply, case_wait
from manyi.customers.models import Contact

GATEWAY_TOKEN = "gateway-secret-token"


@pytest.fixture(autouse=True)
def _gateway(settings):
    settings.SMS_GATEWAY_TOKEN = GATEWAY_TOKEN


def _text(client, body, token=GATEWAY_TOKEN):
    return client.post(
        "/notify/replies/",
        body,
        content_type="application/json",
        headers={"Authorization": f"Bearer {token}"},
    )


@pytest.fixture
def complaint(hui, network, customer_a):
    return case_open(
        actor=hui, kind="complaint", unit=network.store_a, subject="Noise",
        channel="phone", customer=customer_a,
    )  # fmt: skip


@pytest.mark.parametrize("said", ["TD", "td", " 退订 ", "TD退订。"])
def test_li_ming_texts_td_and_gets_no_more_marketing(client, customer_a, said):
    customer_a.contacts.update(marketing_consent=True)
    answer = _text(client, {"from": "13812345678", "text": said})
    assert answer.json() == {"done": "unsubscribed"}
    phone = customer_a.contacts.get(channel="phone")
    assert not phone.marketing_consent and phone.consent  # service messages still reach him
    assert customer_a.contacts.get(channel="email").marketing_consent  # only the phone texted
    audit = AuditEntry.objects.get(action="contact_marketing_no")
    assert audit.actor is None and audit.changes["via"] == "sms_reply"


def test_his_answer_to_a_case_reply_lands_on_the_case(client, hui, complaint):
    case_reply(actor=hui, case=complaint, body="When may we pick up the car?")
    case_wait(actor=hui, case=complaint)
    answer = _text(client, {"from": "+8613812345678", "text": "明天上午可以"})
    assert answer.json() == {"done": "case_answer"}
    case = Case.objects.get(pk=complaint.pk)
    assert case.entries.filter(kind=EntryKind.CUSTOMER, body="明天上午可以").exists()
    assert case.status == CaseStatus.OPEN  # no longer waiting on him


def test_cancel_in_answer_to_a_case_reply_is_an_answer_not_an_unsubscribe(
    client, hui, customer_a, complaint
):
    customer_a.contacts.update(marketing_consent=True)
    case_reply(actor=hui, case=complaint, body="Shall we pick up the car tomorrow?")
    assert _text(client, {"from": "+8613812345678", "text": "取消"}).json() == {
        "done": "case_answer"
    }
    assert Contact.objects.filter(marketing_consent=True).count() == 2


def test_a_text_after_another_message_is_not_taken_for_a_case_answer(
    client, hui, customer_a, complaint
):
    from manyi.customers.reach import customer_message_send
    from manyi.notify.wording import Wording, wording_register

    case_reply(actor=hui, case=complaint, body="We have ordered the part.")
    wording_register(Wording(code="test_event", purpose="care", text="Come on Friday!"))
    customer_message_send(customer=customer_a, channels=["sms"], wording="test_event",
                          params={})  # fmt: skip
    # "Yes, I'll come" answers the invitation, not the case.
    assert _text(client, {"from": "+8613812345678", "text": "好的"}).json() == {"done": "unread"}
    assert not complaint.entries.filter(kind=EntryKind.CUSTOMER).exists()


def test_a_text_the_gateway_sends_twice_is_read_once(client, hui, complaint):
    case_reply(actor=hui, case=complaint, body="When may we pick up the car?")
    text = {"from": "+8613812345678", "text": "明天", "id": "gw-77"}
    assert _text(client, text).json() == _text(client, text).json() == {"done": "case_answer"}
    assert complaint.entries.filter(kind=EntryKind.CUSTOMER).count() == 1


def test_every_text_is_kept_and_hq_reads_those_nobody_understood(client, hq_analyst, customer_a):
    _text(client, {"from": "+8613812345678", "text": "我的车什么时候好？"})
    client.force_login(hq_analyst)
    page = client.get("/notify/messages/").text
    assert "我的车什么时候好？" in page and "read it and answer by hand" in page
    assert "138****5678" in page  # the number masked like every other


def test_a_text_nobody_reads_changes_nothing(client, customer_a, complaint):
    customer_a.contacts.update(marketing_consent=True)
    answer = _text(client, {"from": "+8613812345678", "text": "你好"})  # no reply was sent
    assert answer.json() == {"done": "unread"}
    assert Contact.objects.filter(marketing_consent=True).count() == 2
    assert not complaint.entries.filter(kind=EntryKind.CUSTOMER).exists()


@pytest.mark.parametrize(
    ("body", "token", "status"),
    [
        ({"from": "+8613812345678", "text": "TD"}, "guess", 401),
        ({"from": "+8613812345678"}, GATEWAY_TOKEN, 400),
        ({"from": "not a phone", "text": "TD"}, GATEWAY_TOKEN, 400),
        (["TD"], GATEWAY_TOKEN, 400),
    ],
)
def test_a_text_without_the_token_or_in_the_wrong_shape_is_refused(
    client, customer_a, body, token, status
):
    customer_a.contacts.update(marketing_consent=True)
    assert _text(client, body, token).status_code == status
    assert Contact.objects.filter(marketing_consent=True).count() == 2


def test_without_a_gateway_token_there_is_no_such_address(client, settings):
    settings.SMS_GATEWAY_TOKEN = ""
    assert _text(client, {"from": "+8613812345678", "text": "TD"}).status_code == 404
