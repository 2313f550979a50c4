"""What integrators and group chats are told about cases: the payload of the case events."""

from typing import Any

from django.urls import reverse

from manyi.cases.models import CaseKind, Severity
from manyi.notify.hooks import hooks_emit, public_url
from manyi.org.models import Unit


def _unit(unit: Unit) -> dict[str, str]:
    return {"code": unit.code, "name": unit.name}


def case_event(
    event: str,
    *,
    case_id: int,
    number: str,
    kind: str,
    severity: str,
    status: str,
    unit: Unit,
    escalated_to: Unit | None = None,
) -> None:
    """Queue ``event`` about a case for the hooks that want it (ids, labels and units
    only: never the customer or their words)."""

    def payload() -> dict[str, Any]:
        return _payload(case_id, number, kind, severity, status, unit, escalated_to)

    hooks_emit(event, payload)


def _payload(
    case_id: int,
    number: str,
    kind: str,
    severity: str,
    status: str,
    unit: Unit,
    escalated_to: Unit | None,
) -> dict[str, Any]:
    payload: dict[str, Any] = {
        "case": {
            "id": case_id,
            "number": number,
            "kind": kind,
            "kind_label": str(CaseKind(kind).label),
            "severity": severity,
            "severity_label": str(Severity(severity).label),
            "status": status,
        },
        "unit": _unit(unit),
        "url": public_url(reverse("cases:detail", args=[case_id])),
    }
    if escalated_to is not None:
        payload["escalated_to"] = _unit(escalated_to)
    return payload


def case_event_of(event: str, case: Any, *, escalated_to: Unit | None = None) -> None:
    case_event(
        event,
        case_id=case.pk,
        number=case.number,
        kind=case.kind,
        severity=case.severity,
        status=case.status,
        unit=case.unit,
        escalated_to=escalated_to,
    )
