"""The outbox: messages sent once through a gateway, delivery reports coming back."""

import json
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest

from manyi.notify.backends import DeliveryError, HttpSmsBackend
from manyi.notify.models import Message
from manyi.notify.services import message_queue, messages_send
from manyi.surveys.models import Invitation

GATEWAY_TOKEN = "gateway-secret-token"


class Gateway(BaseHTTPRequestHandler):
    """A stand-in SMS gateway: answers with a message id, or fails when told to."""

    received: list[dict] = []
    fail = False

    def do_POST(self) -> None:
        length = int(self.headers["Content-Length"])
        Gateway.received.append(
            {"auth": self.headers["Authorization"], **json.loads(self.rfile.read(length))}
        )
        self.send_response(503 if Gateway.fail else 200)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(json.dumps({"id": f"g-{len(Gateway.received)}"}).encode())

    def log_message(self, *args) -> None:
        pass


@pytest.fixture
def gateway(settings):
    server = HTTPServer(("127.0.0.1", 0), Gateway)
    Gateway.received, Gateway.fail = [], False
    threading.Thread(target=server.serve_forever, daemon=True).start()
    settings.SMS_BACKEND = "manyi.notify.backends.HttpSmsBackend"
    settings.SMS_GATEWAY_URL = f"http://127.0.0.1:{server.server_port}/send"
    settings.SMS_GATEWAY_TOKEN = GATEWAY_TOKEN
    yield Gateway
    server.shutdown()


def test_the_gateway_gets_the_text_the_template_and_the_token_and_answers_an_id(gateway):
    sent = HttpSmsBackend().send(
        "+8613812345678", "你好，王先生", template="greeting", params={"name": "王先生"}
    )
    assert sent == "g-1"
    assert gateway.received == [
        {
            "auth": f"Bearer {GATEWAY_TOKEN}",
            "to": "+8613812345678",
            "text": "你好，王先生",
            "template": "greeting",
            "params": {"name": "王先生"},
        }
    ]


def test_a_gateway_error_is_a_delivery_error(gateway):
    gateway.fail = True
    with pytest.raises(DeliveryError, match="503"):
        HttpSmsBackend().send("+8613812345678", "x")


def _report(client, body, token=GATEWAY_TOKEN):
    return client.post(
        "/notify/receipts/",
        json.dumps(body),
        content_type="application/json",
        headers={"Authorization": f"Bearer {token}"},
    )


def test_a_delivery_report_marks_the_invitation_delivered(
    client, gateway, no_quiet_hours, invitation
):
    messages_send()
    assert Message.objects.get().gateway_id == "g-1"
    answer = _report(client, {"id": "g-1", "status": "delivered"})
    assert answer.json() == {"updated": True}
    invitation.refresh_from_db()
    assert invitation.status == "delivered" and invitation.delivered_at is not None
    again = _report(client, {"id": "g-1", "status": "delivered"})
    assert again.json() == {"updated": False}  # a repeated report changes nothing


def test_an_undelivered_report_marks_the_invitation_failed(
    client, gateway, no_quiet_hours, invitation
):
    messages_send()
    _report(client, {"id": "g-1", "status": "failed", "error": "number not in service"})
    invitation.refresh_from_db()
    assert invitation.status == "failed"
    assert Message.objects.get().error == "number not in service"


def test_a_report_with_a_wrong_token_or_shape_is_refused(
    client, gateway, no_quiet_hours, invitation
):
    messages_send()
    assert _report(client, {"id": "g-1", "status": "delivered"}, token="guess").status_code == 401
    assert _report(client, {"id": "g-1"}).status_code == 400
    assert _report(client, {"id": "g-1", "status": "read"}).status_code == 400
    assert Invitation.objects.get().status == "sent"


def test_receipts_are_off_without_a_gateway_token(client, settings, db):
    settings.SMS_GATEWAY_TOKEN = ""
    assert _report(client, {"id": "g-1", "status": "delivered"}, token="").status_code == 404


def test_hq_reads_the_outbox_with_recipients_masked(client, hq_analyst, store_a_manager, db):
    message_queue(channel="sms", recipient="+8613812345678", body="hi", purpose="notice")
    client.force_login(hq_analyst)
    page = client.get("/notify/messages/")
    assert "+8613812345678" not in page.text and "5678" in page.text
    message_queue(channel="email", recipient="a@b.cn", body="x", purpose="inbox_digest")
    assert "Inbox digest" in client.get("/notify/messages/").text  # a purpose in words
    client.force_login(store_a_manager)
    assert client.get("/notify/messages/").status_code == 403
