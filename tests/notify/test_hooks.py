"""Ada (the administrator) connects the group's ticketing system by a signed webhook and
the after-sales managers' WeCom and DingTalk groups by their robots; a local fake
server stands in for each receiver and checks what arrives."""

import base64
import hashlib
import hmac
import json
import threading
import urllib.parse
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest
from django.utils import timezone

from manyi.audit.models import AuditEntry
from manyi.cases.services import case_open
from manyi.notify import hooks as hooks_module
from manyi.notify.hooks import HookError, hook_save, hook_toggle, hooks_deliver
from manyi.notify.models import DeliveryStatus, Hook, HookDelivery


class Receiver:
    """A local HTTP server recording each request; answers with ``reply`` (code, body)."""

    def __init__(self) -> None:
        self.requests: list[dict] = []
        self.reply = (200, b'{"errcode": 0}')
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers["Content-Length"]))
                receiver.requests.append(
                    {"path": self.path, "headers": dict(self.headers), "body": body}
                )
                code, text = receiver.reply
                self.send_response(code)
                self.end_headers()
                self.wfile.write(text)

            def log_message(self, *args) -> None:
                pass

        self.server = HTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/hook"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def receiver():
    found = Receiver()
    yield found
    found.close()


@pytest.fixture(autouse=True)
def _fresh_hooks():
    hooks_module.hooks_forget()
    yield
    hooks_module.hooks_forget()


def _open_case(network, hui):
    return case_open(
        actor=hui, kind="complaint", unit=network.store_a, subject="Li Ming's door scratched",
        channel="phone", owner=hui,
    )  # fmt: skip


def test_a_signed_webhook_tells_the_ticketing_system_of_a_new_case(
    admin, hui, network, receiver, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        hook = hook_save(
            actor=admin, name="Ticketing", kind="webhook", url=receiver.url,
            events=["case.opened", "case.closed"],
        )  # fmt: skip
    case = _open_case(network, hui)
    assert hooks_deliver() == 1
    [request] = receiver.requests
    headers, body = request["headers"], request["body"]
    expected = hmac.new(
        hook.secret.encode(), headers["X-Manyi-Timestamp"].encode() + b"." + body, hashlib.sha256
    ).hexdigest()
    assert headers["X-Manyi-Signature"] == f"sha256={expected}"
    assert headers["X-Manyi-Event"] == "case.opened"
    payload = json.loads(body)
    assert payload["case"]["number"] == case.number and payload["unit"]["code"] == "S-A"
    assert "Li Ming" not in body.decode()  # no customer's words leave
    delivery = HookDelivery.objects.get()
    assert delivery.status == DeliveryStatus.SENT and delivery.response_code == 200
    assert headers["X-Manyi-Delivery"] == str(delivery.pk)


def test_an_event_nobody_asked_for_is_not_queued(admin, hui, network, receiver):
    hook_save(actor=admin, name="Closed only", kind="webhook", url=receiver.url,
              events=["case.closed"])  # fmt: skip
    hooks_module.hooks_forget()
    _open_case(network, hui)
    assert not HookDelivery.objects.exists()


def test_a_refused_delivery_is_retried_with_back_off_then_given_up(admin, hui, network, receiver):
    hook_save(actor=admin, name="Ticketing", kind="webhook", url=receiver.url,
              events=["case.opened"])  # fmt: skip
    hooks_module.hooks_forget()
    _open_case(network, hui)
    receiver.reply = (503, b"busy")
    assert hooks_deliver() == 0
    delivery = HookDelivery.objects.get()
    assert delivery.status == DeliveryStatus.QUEUED and delivery.attempts == 1
    assert delivery.response_code == 503 and "HTTP 503" in delivery.error
    assert delivery.send_after > timezone.now()  # not before its back-off
    assert hooks_deliver() == 0 and len(receiver.requests) == 1
    for _attempt in range(hooks_module.MAX_ATTEMPTS):
        HookDelivery.objects.update(send_after=timezone.now() - timedelta(seconds=1))
        hooks_deliver()
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.FAILED
    assert delivery.attempts == hooks_module.MAX_ATTEMPTS
    receiver.reply = (200, b"ok")
    hooks_module.delivery_retry(actor=admin, delivery=delivery)
    assert hooks_deliver() == 1


def test_the_wecom_group_reads_one_line_with_the_link(admin, hui, network, receiver, settings):
    settings.LANGUAGE_CODE = "zh-hans"
    hook_save(actor=admin, name="After-sales group", kind="wecom", url=receiver.url,
              events=["case.opened"])  # fmt: skip
    hooks_module.hooks_forget()
    case = _open_case(network, hui)
    hooks_deliver()
    message = json.loads(receiver.requests[0]["body"])
    assert message["msgtype"] == "text"
    text = message["text"]["content"]
    assert case.number in text and "Store A" in text and "投诉" in text
    assert f"/cases/{case.pk}/" in text


def test_a_robot_that_answers_an_error_code_counts_as_failed(admin, hui, network, receiver):
    hook_save(actor=admin, name="Group", kind="wecom", url=receiver.url, events=["case.opened"])
    hooks_module.hooks_forget()
    _open_case(network, hui)
    receiver.reply = (200, b'{"errcode": 93000, "errmsg": "invalid webhook url"}')
    hooks_deliver()
    assert "93000" in HookDelivery.objects.get().error


def test_a_dingtalk_robot_is_called_with_its_signature(admin, hui, network, receiver):
    secret = "SEC0123456789abcdef"
    hook_save(actor=admin, name="Group", kind="dingtalk", url=receiver.url + "?access_token=t",
              events=["case.opened"], secret=secret)  # fmt: skip
    hooks_module.hooks_forget()
    _open_case(network, hui)
    hooks_deliver()
    query = urllib.parse.parse_qs(urllib.parse.urlsplit(receiver.requests[0]["path"]).query)
    stamp = query["timestamp"][0]
    mac = hmac.new(secret.encode(), f"{stamp}\n{secret}".encode(), hashlib.sha256).digest()
    assert query["sign"][0] == base64.b64encode(mac).decode()
    assert query["access_token"] == ["t"]


def test_a_switched_off_hook_is_told_nothing(admin, hui, network, receiver):
    hook = hook_save(actor=admin, name="Ticketing", kind="webhook", url=receiver.url,
                     events=["case.opened"])  # fmt: skip
    hook_toggle(actor=admin, hook=hook)
    hooks_module.hooks_forget()
    _open_case(network, hui)
    assert not HookDelivery.objects.exists()
    assert AuditEntry.objects.filter(action="hook_toggle").exists()


def test_only_an_administrator_sets_up_integrations(hq_analyst, client, receiver):
    with pytest.raises(HookError):
        hook_save(actor=hq_analyst, name="Mine", kind="webhook", url=receiver.url,
                  events=["case.opened"])  # fmt: skip
    client.force_login(hq_analyst)
    assert client.get("/notify/integrations/").status_code == 403


def test_the_administrator_adds_a_robot_on_screen_and_reads_its_log(
    admin, client, hui, network, receiver
):
    client.force_login(admin)
    saved = client.post(
        "/notify/integrations/new/",
        {"name": "After-sales group", "kind": "wecom", "url": receiver.url,
         "events": ["case.opened", "case.escalated"]},
    )  # fmt: skip
    assert saved.status_code == 302
    hooks_module.hooks_forget()
    _open_case(network, hui)
    hooks_deliver()
    page = client.get(saved.url)
    assert "After-sales group" in page.text and "Case opened" in page.text
    assert 'data-testid="delivery-table"' in page.text and "Sent" in page.text
    refused = client.post(
        "/notify/integrations/new/",
        {"name": "x", "kind": "webhook", "url": "ftp://x", "events": []},
    )
    assert refused.status_code == 200 and refused.text.count("invalid-feedback") == 2
    assert Hook.objects.count() == 1
