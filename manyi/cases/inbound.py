"""Cases arriving by e-mail or from another system: a mail gateway (or any system)
posts the message to ``/hooks/cases/`` signed with the shared secret.

The body is JSON: ``{"id": Message-ID, "store": store code (or "to": the store's
address, whose local part is the code), "from": the sender's e-mail, "subject",
"text", "kind": optional}``. The signature is ``X-Manyi-Signature: sha256=<hex>`` of
HMAC-SHA256 over ``"<X-Manyi-Timestamp>.<body>"``; a timestamp more than five minutes
off is refused, so a captured request cannot be replayed later. The same id delivered
twice opens one case.
"""

import hashlib
import hmac
import json
import re
import time
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.http import Http404, HttpRequest, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from manyi.cases.models import Case, CaseChannel, CaseKind
from manyi.cases.services import case_open
from manyi.customers.models import Contact, ContactChannel
from manyi.errors import DomainError
from manyi.org.models import Unit, UnitLevel
from manyi.org.permissions import public

MAX_SKEW = 300  # seconds
MAX_BODY = 64 * 1024


def signature(secret: str, timestamp: str, body: bytes) -> str:
    digest = hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256)
    return "sha256=" + digest.hexdigest()


def _error(detail: str, status: int = 400) -> JsonResponse:
    return JsonResponse({"detail": detail}, status=status)


def case_from_message(message: dict[str, Any]) -> tuple[Case, bool]:
    """Open the case a message asks for; (case, created). DomainError when the
    message names no known store or has nothing to say."""
    code = str(message.get("store") or str(message.get("to") or "").split("@")[0]).strip()
    store = Unit.objects.filter(code__iexact=code, level=UnitLevel.STORE, is_active=True).first()
    if store is None:
        raise DomainError(f"unknown store {code!r}")
    external_id = str(message.get("id") or "").strip()[:200] or None
    if external_id and (known := Case.objects.filter(external_id=external_id).first()):
        return known, False
    sender = str(message.get("from") or "").strip()
    contact = (
        Contact.objects.filter(channel=ContactChannel.EMAIL, value__iexact=sender)
        .select_related("customer")
        .first()
        if sender
        else None
    )
    kind = str(message.get("kind") or CaseKind.COMPLAINT)
    if kind not in CaseKind.values:
        raise DomainError(f"kind must be one of {', '.join(CaseKind.values)}")
    text = str(message.get("text") or "")[:10000]
    try:
        with transaction.atomic():
            case = case_open(
                actor=None,
                kind=kind,
                unit=store,
                subject=str(message.get("subject") or "").strip()[:200] or text[:80],
                description=text if contact else f"{text}\n\n{sender}".strip(),
                channel=CaseChannel.EMAIL,
                customer=contact.customer if contact else None,
            )
            if external_id:
                Case.objects.filter(pk=case.pk).update(external_id=external_id)
    except IntegrityError:  # the same message, delivered twice at once
        return Case.objects.get(external_id=external_id), False
    return case, True


@public
@csrf_exempt
@require_POST
def case_hook(request: HttpRequest) -> JsonResponse:
    secret = settings.CASE_INTAKE_SECRET
    if not secret:
        raise Http404
    body = request.body
    if len(body) > MAX_BODY:
        return _error("body larger than 64 KiB", 413)
    stamp = request.headers.get("X-Manyi-Timestamp", "")
    given = request.headers.get("X-Manyi-Signature", "")
    if not re.fullmatch(r"[0-9]{1,12}", stamp) or abs(time.time() - int(stamp)) > MAX_SKEW:
        return _error("X-Manyi-Timestamp missing or more than 5 minutes off", 401)
    if not hmac.compare_digest(given.encode(), signature(secret, stamp, body).encode()):
        return _error("bad signature", 401)
    try:
        message = json.loads(body)
        if not isinstance(message, dict):
            raise ValueError
    except ValueError:
        return _error('send a JSON object: {"id", "store" or "to", "from", "subject", "text"}')
    try:
        case, created = case_from_message(message)
    except DomainError as error:
        return _error(str(error))
    return JsonResponse({"number": case.number, "created": created}, status=201 if created else 200)
