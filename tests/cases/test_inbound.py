"""Li Ming writes to store A's mailbox; the mail gateway posts the message to manyi,
signed with the shared secret. A case opens for Li Ming; the same message delivered
twice opens one case; an unsigned, stale or malformed post opens nothing."""

import json
import time

import pytest

from manyi.cases.inbound import signature
from manyi.cases.models import Case

SECRET = "intake-test-secret"


@pytest.fixture(autouse=True)
def _secret(settings):
    settings.CASE_INTAKE_SECRET = SECRET


def _post(client, message, *, secret=SECRET, stamp=None):
    body = json.dumps(message).encode()
    stamp = str(int(time.time()) if stamp is None else stamp)
    return client.post(
        "/hooks/cases/",
        body,
        content_type="application/json",
        headers={"X-Manyi-Timestamp": stamp, "X-Manyi-Signature": signature(secret, stamp, body)},
    )


MAIL = {
    "id": "<20261124.1234@mail.example.com>",
    "to": "S-A@dealer.example.com",
    "from": "LiMing@example.com",
    "subject": "Still waiting for my car",
    "text": "I was promised it yesterday.",
}


def test_a_signed_mail_opens_a_case_for_the_customer(client, customer_a, network):
    answer = _post(client, MAIL)
    assert answer.status_code == 201, answer.content
    case = Case.objects.get()
    assert case.channel == "email" and case.unit == network.store_a
    assert case.customer == customer_a and case.number == answer.json()["number"]


def test_the_same_mail_twice_is_one_case(client, network):
    first, second = _post(client, MAIL), _post(client, MAIL)
    assert (first.status_code, second.status_code) == (201, 200)
    assert Case.objects.count() == 1 and second.json()["created"] is False


def test_an_unknown_sender_is_kept_in_the_text(client, network):
    _post(client, {**MAIL, "from": "stranger@example.com"})
    case = Case.objects.get()
    assert case.customer is None and "stranger@example.com" in case.description


@pytest.mark.parametrize(
    "secret, stamp, status",
    [("wrong-secret", None, 401), (SECRET, int(time.time()) - 3600, 401)],
)
def test_a_forged_or_replayed_post_opens_nothing(client, network, secret, stamp, status):
    assert _post(client, MAIL, secret=secret, stamp=stamp).status_code == status
    assert not Case.objects.exists()


def test_an_unknown_store_is_a_clear_error(client, network):
    answer = _post(client, {**MAIL, "to": "nobody@example.com"})
    assert answer.status_code == 400 and "unknown store" in answer.json()["detail"]


def test_the_endpoint_is_off_without_a_secret(client, settings, network):
    settings.CASE_INTAKE_SECRET = ""
    assert _post(client, MAIL).status_code == 404
