"""Replies reach the customer: Hui's reply to Li Ming goes out by SMS with the case
number and a signed link; Li Ming reads where the case stands there and answers, and a
case that waited on him runs again."""

import re

import pytest

from manyi.cases.models import Case, CaseStatus, EntryKind
from manyi.cases.services import case_open, case_reply, case_wait
from manyi.notify.models import Message


@pytest.fixture
def complaint(hui, network, customer_a):
    return case_open(
        actor=hui,
        kind="complaint",
        unit=network.store_a,
        subject="Noise after the repair",
        channel="phone",
        customer=customer_a,
    )


def _link(message: Message) -> str:
    return re.search(r"http://\S+/tell/case/\S+/", message.body).group(0).split("8000", 1)[1]


def test_a_reply_to_the_customer_goes_out_by_sms_with_a_status_link(hui, complaint):
    entry = case_reply(actor=hui, case=complaint, body="A technician will call you at 3 pm.")
    message = Message.objects.get(purpose="case_reply")
    assert message.recipient == "+8613812345678" and message.template == "case_reply"
    assert complaint.number in message.body and "A technician will call you" in message.body
    assert "/tell/case/" in message.body
    assert entry.changes == {"sent": "sms", "refused": ""}


def test_a_private_note_stays_inside(hui, complaint):
    case_reply(actor=hui, case=complaint, body="Check the parts order.", public=False)
    assert not Message.objects.filter(purpose="case_reply").exists()


def test_the_customer_reads_the_case_and_answers_and_the_clock_runs_again(client, hui, complaint):
    case_reply(actor=hui, case=complaint, body="When may we pick up the car?")
    case_wait(actor=hui, case=complaint)
    link = _link(Message.objects.get(purpose="case_reply"))
    page = client.get(link)
    assert page.status_code == 200 and "When may we pick up the car?" in page.text
    assert 'data-testid="case-state"' in page.text
    assert "Noise after the repair" not in page.text  # the subject staff wrote stays inside
    answer = client.post(link, {"body": "Tomorrow morning, please."})
    assert answer.status_code == 302
    case = Case.objects.get(pk=complaint.pk)
    assert case.status == CaseStatus.OPEN  # no longer waiting on him
    assert case.entries.filter(kind=EntryKind.CUSTOMER, body="Tomorrow morning, please.").exists()


def test_a_forged_or_altered_link_finds_nothing(client, hui, complaint):
    case_reply(actor=hui, case=complaint, body="Hello")
    link = _link(Message.objects.get(purpose="case_reply"))
    assert client.get(link[:-3] + "xx/").status_code == 404
    assert client.get("/tell/case/1/").status_code == 404


def test_a_typed_phone_does_not_make_anyone_the_cases_customer(client, customer_a):
    """Anybody may type Li Ming's number: the case keeps it in its text for a handler to
    match, but is not his, and the store does not come to see him by it."""
    answer = client.post(
        "/tell/S-B/",
        {"kind": "complaint", "subject": "Oil", "description": "Spots.", "phone": "138 1234 5678"},
    )
    case = Case.objects.get()
    assert case.customer is None and "+8613812345678" in case.description
    assert not customer_a.served_by.filter(unit__code="S-B").exists()
    assert 'data-testid="status-link"' in answer.text
    bad = client.post(
        "/tell/S-A/", {"kind": "complaint", "subject": "x", "description": "y", "phone": "12"}
    )
    assert "does not look like a phone number" in bad.text and Case.objects.count() == 1
