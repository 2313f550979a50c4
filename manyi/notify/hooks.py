"""Telling other systems and staff group chats what happened: signed webhooks for
integrators, WeCom and DingTalk group robots for people.

An event is queued (``hooks_emit``) in the transaction of the change that caused it, one
delivery per active hook that asked for it, and sent after commit by the worker's sweep
(``hooks_deliver``), retried with back-off; each delivery is the log. Payloads carry ids,
numbers, units and statuses, never a customer's name, phone or words.

A webhook request is JSON signed like the case intake hook: ``X-Manyi-Signature:
sha256=<hex>`` of HMAC-SHA256 over ``"<timestamp>.<body>"`` with the hook's secret, the
timestamp in ``X-Manyi-Timestamp`` (seconds; receivers should refuse old ones).
"""

import base64
import hashlib
import hmac
import json
import logging
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation
from django.utils.crypto import get_random_string
from django.utils.translation import gettext_lazy as _

from manyi.errors import DomainError
from manyi.notify.models import DeliveryStatus, Hook, HookDelivery, HookEvent, HookKind
from manyi.org.permissions import may_manage_integrations

logger = logging.getLogger(__name__)


class HookError(DomainError):
    pass


MAX_ATTEMPTS = 8  # about four hours of back-off: 1, 2, 4 … 64 minutes
TIMEOUT = 10
_active: tuple[float, list[Hook]] = (0.0, [])
ACTIVE_SECONDS = 30  # a hook added or switched off takes effect within this


def _active_hooks() -> list[Hook]:
    """The active hooks, read at most every ``ACTIVE_SECONDS`` per process (events are
    emitted by every survey submit: most networks have no hook at all)."""
    global _active
    read_at, hooks = _active
    if time.monotonic() - read_at > ACTIVE_SECONDS:
        hooks = list(Hook.objects.filter(is_active=True))
        _active = (time.monotonic(), hooks)
    return hooks


def hooks_forget() -> None:
    """Read the hooks afresh at the next event (after a change in this process)."""
    global _active
    _active = (0.0, [])


def hooks_emit(event: str, payload: dict[str, Any] | Callable[[], dict[str, Any]]) -> int:
    """Queue ``event`` for every active hook that asked for it; call inside the
    transaction of the change, so an event is sent only if the change commits. A
    function as ``payload`` is called only when some hook wants the event."""
    wanted = [hook for hook in _active_hooks() if event in hook.events]
    if not wanted:
        return 0
    now = timezone.now()
    with translation.override(settings.LANGUAGE_CODE):  # labels in the site's language
        given = payload() if callable(payload) else payload
    body = {"event": event, "sent_at": now.isoformat(), **given}
    HookDelivery.objects.bulk_create(
        [HookDelivery(hook=hook, event=event, payload=body, send_after=now) for hook in wanted]
    )
    return len(wanted)


def signature(secret: str, timestamp: str, body: bytes) -> str:
    digest = hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256)
    return "sha256=" + digest.hexdigest()


LINES = {
    "case.opened": _("%(kind)s %(number)s opened at %(unit)s (%(severity)s)."),
    "case.escalated": _("%(kind)s %(number)s at %(unit)s is overdue: escalated to %(to)s."),
    "case.closed": _("%(kind)s %(number)s at %(unit)s closed."),
    "alert.raised": _("Hot alert at %(unit)s: %(reason)s."),
    "response.stored": _("Survey answered at %(unit)s."),
}


def robot_text(payload: dict[str, Any]) -> str:
    """The line a group chat reads, in the site's language, with the link to follow."""
    case = payload.get("case", {})
    values = {
        "kind": case.get("kind_label", ""),
        "number": case.get("number", ""),
        "severity": case.get("severity_label", ""),
        "unit": payload.get("unit", {}).get("name", ""),
        "to": payload.get("escalated_to", {}).get("name", ""),
        "reason": payload.get("alert", {}).get("reason", ""),
    }
    with translation.override(settings.LANGUAGE_CODE):
        line = str(LINES[payload["event"]]) % values
    link = payload.get("url", "")
    return f"[manyi] {line}" + (f"\n{link}" if link else "")


def _request(hook: Hook, payload: dict[str, Any], delivery: int) -> urllib.request.Request:
    url = hook.url
    if hook.kind == HookKind.WEBHOOK:
        body = json.dumps(payload, ensure_ascii=False, sort_keys=True).encode()
        stamp = str(int(time.time()))
        headers = {
            "X-Manyi-Event": payload["event"],
            "X-Manyi-Delivery": str(delivery),
            "X-Manyi-Timestamp": stamp,
            "X-Manyi-Signature": signature(hook.secret, stamp, body),
        }
    else:
        message = {"msgtype": "text", "text": {"content": robot_text(payload)}}
        body = json.dumps(message, ensure_ascii=False).encode()
        headers = {}
        if hook.kind == HookKind.DINGTALK and hook.secret:
            # DingTalk's signed robots: HMAC-SHA256 of "<ms timestamp>\n<secret>".
            stamp = str(int(time.time() * 1000))
            mac = hmac.new(hook.secret.encode(), f"{stamp}\n{hook.secret}".encode(), "sha256")
            sign = urllib.parse.quote_plus(base64.b64encode(mac.digest()))
            url += ("&" if "?" in url else "?") + f"timestamp={stamp}&sign={sign}"
    headers["Content-Type"] = "application/json; charset=utf-8"
    return urllib.request.Request(url, data=body, headers=headers, method="POST")  # noqa: S310


def _send(hook: Hook, payload: dict[str, Any], delivery: int = 0) -> int:
    """POST one delivery; its HTTP status, or an error for a refusal."""
    request = _request(hook, payload, delivery)
    with urllib.request.urlopen(request, timeout=TIMEOUT) as answer:  # noqa: S310
        status, text = answer.status, answer.read(2000)
    if hook.kind != HookKind.WEBHOOK:
        # The robots answer 200 with an error code of their own in the body.
        code = json.loads(text or b"{}").get("errcode", 0)
        if code:
            raise urllib.error.URLError(f"robot refused: errcode {code}")
    return status


def _claim(worker: str, limit: int) -> list[HookDelivery]:
    now = timezone.now()
    due = list(
        HookDelivery.objects.filter(status=DeliveryStatus.QUEUED, send_after__lte=now)
        .order_by("send_after", "pk")
        .values_list("pk", flat=True)[:limit]
    )
    HookDelivery.objects.filter(pk__in=due, status=DeliveryStatus.QUEUED).update(
        status=DeliveryStatus.SENDING,
        claimed_by=worker,
        send_after=now,  # when claimed
    )
    return list(
        HookDelivery.objects.filter(pk__in=due, claimed_by=worker, status=DeliveryStatus.SENDING)
        .select_related("hook")
        .order_by("pk")
    )


def hooks_deliver(*, limit: int = 100) -> int:
    """Send the due deliveries; a failure is tried again later, up to ``MAX_ATTEMPTS``.
    Safe in several workers at once: each delivery is claimed by one."""
    worker = get_random_string(16)
    sent = 0
    for delivery in _claim(worker, limit):
        attempts = delivery.attempts + 1
        mine = HookDelivery.objects.filter(pk=delivery.pk, claimed_by=worker)
        try:
            code = _send(delivery.hook, delivery.payload, delivery.pk)
        except (urllib.error.URLError, OSError, ValueError) as error:
            code = getattr(error, "code", None)
            failed = attempts >= MAX_ATTEMPTS
            mine.update(
                status=DeliveryStatus.FAILED if failed else DeliveryStatus.QUEUED,
                attempts=attempts,
                response_code=code,
                error=((f"HTTP {code}: " if code else "") + str(getattr(error, "reason", error)))[
                    :300
                ],
                send_after=timezone.now() + timedelta(minutes=2 ** (attempts - 1)),
            )
            continue
        mine.update(
            status=DeliveryStatus.SENT,
            attempts=attempts,
            response_code=code,
            error="",
            sent_at=timezone.now(),
        )
        sent += 1
    return sent


def hooks_release_stuck(*, minutes: int = 10) -> int:
    """Deliveries a killed worker left "sending" go back to the queue (a receiver may
    then get one twice: it is told the delivery's id to tell)."""
    cutoff = timezone.now() - timedelta(minutes=minutes)
    return HookDelivery.objects.filter(
        status=DeliveryStatus.SENDING, send_after__lte=cutoff
    ).update(status=DeliveryStatus.QUEUED, claimed_by="")


@transaction.atomic
def delivery_retry(*, actor: Any, delivery: HookDelivery) -> HookDelivery:
    """Send a failed delivery again now."""
    from manyi.audit.services import audit_record

    HookDelivery.objects.filter(pk=delivery.pk).update(
        status=DeliveryStatus.QUEUED, send_after=timezone.now(), claimed_by=""
    )
    audit_record(actor=actor, action="hook_delivery_retry", obj=delivery.hook)
    delivery.refresh_from_db()
    return delivery


def public_url(path: str) -> str:
    return settings.PUBLIC_BASE_URL.rstrip("/") + path


@transaction.atomic
def hook_save(
    *,
    actor: Any,
    name: str,
    kind: str,
    url: str,
    events: list[str],
    secret: str = "",
    hook: Hook | None = None,
) -> Hook:
    """Add an integration or change one. A webhook without a secret is given one."""
    from manyi.audit.services import audit_record

    if not may_manage_integrations(actor):
        raise HookError(_("Only an administrator may set up integrations."))
    unknown = set(events) - set(HookEvent.values)
    if not events or unknown:
        raise HookError(_("Choose at least one event."))
    hook = hook or Hook(created_by=actor)
    if kind == HookKind.WEBHOOK and not (secret or hook.secret):
        secret = get_random_string(40)
    hook.name, hook.kind, hook.url, hook.events = name, kind, url, sorted(events)
    hook.secret = secret or hook.secret
    hook.save()
    audit_record(
        actor=actor,
        action="hook_save",
        obj=hook,
        changes={"name": name, "kind": kind, "events": hook.events},
    )
    transaction.on_commit(hooks_forget)
    return hook


@transaction.atomic
def hook_toggle(*, actor: Any, hook: Hook) -> Hook:
    from manyi.audit.services import audit_record

    if not may_manage_integrations(actor):
        raise HookError(_("Only an administrator may set up integrations."))
    hook.is_active = not hook.is_active
    hook.save(update_fields=["is_active"])
    audit_record(actor=actor, action="hook_toggle", obj=hook, changes={"active": hook.is_active})
    transaction.on_commit(hooks_forget)
    return hook
