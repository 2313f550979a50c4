"""Cases that open themselves: a hot alert from a survey response becomes a complaint
linked to that response (the loop low score → case → deadline → re-survey)."""

from django.db import transaction
from django.utils.translation import gettext as _

from manyi.cases.models import Case, CaseChannel, CaseKind, Severity
from manyi.cases.services import case_open
from manyi.surveys.models import Alert, AlertStatus

BATCH = 200


def case_from_alert(*, alert: Alert) -> Case | None:
    """Open the alert's case, once: the alert is claimed (open → acknowledged) in the
    same transaction, so two workers never open two cases for it."""
    with transaction.atomic():
        claimed = Alert.objects.filter(pk=alert.pk, status=AlertStatus.OPEN).update(
            status=AlertStatus.ACKNOWLEDGED
        )
        if not claimed:
            return None
        response = alert.response
        return case_open(
            actor=None,
            kind=CaseKind.COMPLAINT,
            unit=alert.unit,
            subject=_("Survey alert: %(reason)s") % {"reason": alert.reason},
            description=alert.reason,
            channel=CaseChannel.SURVEY,
            severity=Severity.HIGH,
            customer=response.customer,
            response=response,
            opened_at=alert.created_at,
        )


def alerts_to_cases(*, limit: int = BATCH) -> int:
    """Turn open alerts into cases, oldest first; the number opened."""
    opened = 0
    alerts = Alert.objects.filter(status=AlertStatus.OPEN).select_related(
        "response__customer", "unit"
    )
    for alert in alerts.order_by("created_at")[:limit]:
        if case_from_alert(alert=alert) is not None:
            opened += 1
    return opened
