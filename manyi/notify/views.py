"""The outbox on screen, and the SMS gateway's delivery reports coming back."""

import hmac
import json

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from manyi.notify.models import Message, MessageStatus
from manyi.notify.services import message_delivery_report
from manyi.org.permissions import may_see_outbox, public, requires
from manyi.web.forms import paginate


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
        {"page": paginate(request, messages), "status": status, "statuses": MessageStatus.choices},
    )


@public
@csrf_exempt
@require_POST
def delivery_receipt(request: HttpRequest) -> HttpResponse:
    """``{"id": …, "status": "delivered" | "failed", "error": …}`` from the SMS gateway.

    The gateway authenticates with the same bearer token manyi sends it.
    """
    token = settings.SMS_GATEWAY_TOKEN
    if not token:
        raise Http404
    given = request.headers.get("Authorization", "").removeprefix("Bearer ").strip()
    if not hmac.compare_digest(given.encode(), token.encode()):
        return JsonResponse({"detail": "bad token"}, status=401)
    try:
        report = json.loads(request.body)
        gateway_id, status = str(report["id"]), report["status"]
    except (ValueError, KeyError, TypeError):
        return JsonResponse(
            {"detail": 'send {"id": …, "status": "delivered"|"failed"}'}, status=400
        )
    if status not in ("delivered", "failed"):
        return JsonResponse({"detail": "status must be delivered or failed"}, status=400)
    message = message_delivery_report(
        gateway_id=gateway_id[:64],
        delivered=status == "delivered",
        error=str(report.get("error", "")),
    )
    return JsonResponse({"updated": message is not None})
