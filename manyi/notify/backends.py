"""Channel backends: e-mail through Django's mail backends, SMS through a pluggable gateway.

``SMS_BACKEND`` names a class with ``send(recipient, body, *, template, params) -> str``
that returns the gateway's message id ("" when it has none) and raises
``DeliveryError`` on failure. ``template`` and ``params`` are what providers in China
send (an approved template and its values); ``body`` is the same text rendered.
The default writes to the log (the message stays visible in the outbox screen);
``HttpSmsBackend`` posts JSON to a gateway URL, and the gateway's delivery reports
come back to ``/notify/receipts/``.
"""

import json
import logging
import urllib.request
from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.utils.module_loading import import_string

logger = logging.getLogger(__name__)


class DeliveryError(Exception):
    pass


class ConsoleSmsBackend:
    def send(self, recipient: str, body: str, *, template: str = "", params: Any = None) -> str:
        logger.info("SMS to %s (%s): %s", recipient, template or "no template", body)
        return ""


class HttpSmsBackend:
    """POST ``{"to": …, "text": …, "template": …, "params": {…}}`` to ``SMS_GATEWAY_URL``
    with a bearer ``SMS_GATEWAY_TOKEN``.

    The gateway answers ``{"id": …}``; its later delivery report names that id.
    """

    def send(self, recipient: str, body: str, *, template: str = "", params: Any = None) -> str:
        payload = {"to": recipient, "text": body, "template": template, "params": params or {}}
        request = urllib.request.Request(  # noqa: S310 - the URL is the operator's setting
            settings.SMS_GATEWAY_URL,
            data=json.dumps(payload, ensure_ascii=False).encode(),
            headers={
                "Content-Type": "application/json",
                "Authorization": f"Bearer {settings.SMS_GATEWAY_TOKEN}",
            },
            method="POST",
        )
        try:
            with urllib.request.urlopen(request, timeout=10) as answer:  # noqa: S310
                if answer.status >= 300:
                    raise DeliveryError(f"gateway answered {answer.status}")
                reply = answer.read()
        except OSError as error:
            raise DeliveryError(str(error)) from error
        try:
            return str(json.loads(reply or b"{}").get("id", ""))[:64]
        except (ValueError, AttributeError):
            return ""


def sms_backend() -> Any:
    return import_string(settings.SMS_BACKEND)()


def send_email(recipient: str, subject: str, body: str) -> None:
    try:
        send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [recipient])
    except OSError as error:
        raise DeliveryError(str(error)) from error
