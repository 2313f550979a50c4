"""What integrators and group chats are told about survey answers and hot alerts."""

from typing import Any

from django.urls import reverse

from manyi.notify.hooks import hooks_emit, public_url
from manyi.org.models import Unit
from manyi.surveys.models import Alert, Response


def _unit(unit_id: int | None) -> dict[str, str]:
    unit = Unit.objects.filter(pk=unit_id).values("code", "name").first() if unit_id else None
    return unit or {"code": "", "name": ""}


def response_stored(response: Response) -> None:
    """A response was stored: its figures, never its answers."""

    def payload() -> dict[str, Any]:
        return {
            "response": {
                "id": response.pk,
                "programme_id": response.programme_id,
                "channel": response.channel,
                "submitted_at": response.submitted_at.isoformat(),
                "index": response.index,
                "nps": response.nps,
            },
            "unit": _unit(response.unit_id),
            "url": public_url(reverse("surveys:response", args=[response.pk])),
        }

    hooks_emit("response.stored", payload)


def alert_raised(alert: Alert, response: Response) -> None:
    def payload() -> dict[str, Any]:
        return {
            "alert": {"id": alert.pk, "rule": alert.rule.kind, "reason": alert.reason},
            "response": {"id": response.pk},
            "unit": _unit(response.unit_id),
            "url": public_url(reverse("surveys:response", args=[response.pk])),
        }

    hooks_emit("alert.raised", payload)
