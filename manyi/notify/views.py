"""The outbox on screen, and what the SMS gateway sends back: delivery reports and the
customers' own texts."""

import hmac
import json

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from manyi.customers.contacts import normalise_phone
from manyi.notify.inbound import sms_reply_receive
from manyi.notify.models import InboundText, Message, MessageStatus
from manyi.notify.services import message_delivery_report
from manyi.org.permissions import may_see_outbox, public, requires
from manyi.web.forms import paginate

TEXTS_SHOWN = 30


@requires(may_see_outbox)
def message_list(request: HttpRequest) -> HttpResponse:
    """Every message the system queued, its recipient masked (HQ and admins)."""
    status = request.GET.get("status", "")
    messages = Message.objects.all()
    if status in MessageStatus.values:
        messages = messages.filter(status=status)
    return render(
        request,
        "notify/message_list.html",
        {
            "page": paginate(request, messages),
            "status": status,
            "statuses": MessageStatus.choices,
            "texts": InboundText.objects.all()[:TEXTS_SHOWN],
        },
    )


def _from_gateway(request: HttpRequest) -> JsonResponse | dict:
    """The JSON the gateway posted, or the answer that refuses it. The gateway
    authenticates with the same bearer token manyi sends it."""
    token = settings.SMS_GATEWAY_TOKEN
    if not token:
        raise Http404
    given = request.headers.get("Authorization", "").removeprefix("Bearer ").strip()
    if not hmac.compare_digest(given.encode(), token.encode()):
        return JsonResponse({"detail": "bad token"}, status=401)
    try:
        posted = json.loads(request.body)
    except ValueError:
        posted = None
    if not isinstance(posted, dict):
        return JsonResponse({"detail": "send a JSON object"}, status=400)
    return posted


@public
@csrf_exempt
@require_POST
def delivery_receipt(request: HttpRequest) -> HttpResponse:
    """``{"id": …, "status": "delivered" | "failed", "error": …}`` from the SMS gateway."""
    report = _from_gateway(request)
    if isinstance(report, JsonResponse):
        return report
    gateway_id, status = report.get("id"), report.get("status")
    if gateway_id is None or status not in ("delivered", "failed"):
        return JsonResponse(
            {"detail": 'send {"id": …, "status": "delivered"|"failed"}'}, status=400
        )
    message = message_delivery_report(
        gateway_id=str(gateway_id)[:64],
        delivered=status == "delivered",
        error=str(report.get("error", "")),
    )
    return JsonResponse({"updated": message is not None})


@public
@csrf_exempt
@require_POST
def sms_reply(request: HttpRequest) -> HttpResponse:
    """``{"from": "+8613812345678", "text": "TD", "id": "<the gateway's id>"}``: a
    customer's text back to one of our messages, kept and read once. Answers what was
    done: ``unsubscribed``, ``case_answer``, ``unread``…"""
    posted = _from_gateway(request)
    if isinstance(posted, JsonResponse):
        return posted
    text = posted.get("text")
    if not isinstance(text, str) or not text.strip():
        return JsonResponse({"detail": 'send {"from": phone, "text": …}'}, status=400)
    try:
        sender = normalise_phone(str(posted.get("from", "")))
    except ValueError as error:
        return JsonResponse({"detail": f"from: {error}"}, status=400)
    done = sms_reply_receive(
        sender=sender,
        text=text.strip()[:2000],
        now=timezone.now(),
        gateway_id=str(posted.get("id") or "")[:64],
    )
    return JsonResponse({"done": done})
