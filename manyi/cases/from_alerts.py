"""Cases that open themselves from survey alerts — the loop low score → case →
deadline → re-survey:

- a hot alert (low score, detractor, keyword) opens a complaint linked to the response;
- the customer ticking "contact me" opens a request to call them back;
- a poor answer to the resolution survey reopens the resolved case and escalates it.

One response opens at most one case; its other alerts are noted on that case.
"""

from django.conf import settings
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _

from manyi.cases.escalation import case_escalate
from manyi.cases.models import (
    Case,
    CaseChannel,
    CaseKind,
    CaseStatus,
    EntryKind,
    Severity,
)
from manyi.cases.services import case_open, case_reopen
from manyi.cases.timeline import entry_add
from manyi.surveys.models import Alert, AlertRuleKind, AlertStatus
from manyi.surveys.said import what_was_said

BATCH = 200


def case_from_alert(*, alert: Alert) -> Case | None:
    """Act on the alert once: it is claimed (open → acknowledged) in the same
    transaction, so two workers never act twice. The case opened, or None."""
    with transaction.atomic():
        claimed = Alert.objects.filter(pk=alert.pk, status=AlertStatus.OPEN).update(
            status=AlertStatus.ACKNOWLEDGED
        )
        if not claimed:
            return None
        response = alert.response
        contact = alert.rule is not None and alert.rule.kind == AlertRuleKind.CONTACT_ME
        resolved = (
            Case.objects.filter(resurvey_id=response.invitation_id).first()
            if response.invitation_id
            else None
        )
        handled = (
            Alert.objects.filter(response=response, status=AlertStatus.ACKNOWLEDGED)
            .exclude(pk=alert.pk)
            .exclude(rule__kind=AlertRuleKind.CONTACT_ME)
            .exists()
        )
        if resolved is not None and not handled and not contact:
            poor_resolution(resolved, alert)
            return None
        earlier = resolved or Case.objects.filter(response=response).first()
        if earlier is not None:
            entry_add(
                earlier,
                EntryKind.NOTE,
                body=_("Also from the survey: %(reason)s") % {"reason": alert.reason},
            )
            return None
        contact = alert.rule is not None and alert.rule.kind == AlertRuleKind.CONTACT_ME
        subject, description = _in_their_words(alert, contact)
        return case_open(
            actor=None,
            kind=CaseKind.REQUEST if contact else CaseKind.COMPLAINT,
            unit=alert.unit,
            subject=subject,
            description=description,
            channel=CaseChannel.SURVEY,
            severity=Severity.NORMAL if contact else Severity.HIGH,
            customer=response.customer,
            response=response,
            opened_at=alert.created_at,
        )


def _in_their_words(alert: Alert, contact: bool) -> tuple[str, str]:
    """The case's subject and description from what the customer said: their comment
    first, then the answers that raised the alert, worded in the network's language."""
    with translation.override(settings.LANGUAGE_CODE):
        said = what_was_said(alert.response, settings.LANGUAGE_CODE)
        comment = " ".join(text for _item, text in said.comments)
        low = [f"{answer.item}: {answer.value}" for answer in said.answers if answer.low]
        if contact:
            subject = _("The customer asks to be contacted")
            if comment:
                subject = f"{subject}: {comment}"
        elif comment:
            subject = comment
        elif low:
            subject = _("Survey: %(answers)s") % {"answers": "; ".join(low)}
        else:
            subject = _("Survey alert: %(reason)s") % {"reason": alert.reason}
        lines = [f"“{text}”" for _item, text in said.comments]
        lines += [f"- {answer.item}: {answer.value}" for answer in said.answers]
    return _shortened(subject), "\n".join(lines)


def _shortened(text: str, most: int = 120) -> str:
    text = " ".join(text.split())
    return text if len(text) <= most else text[: most - 1] + "…"


def poor_resolution(case: Case, alert: Alert) -> None:
    """The customer is not satisfied with how the case was resolved: back to work,
    one level up the org tree, and the managers there are told."""
    reason = _("Poor resolution survey: %(reason)s") % {"reason": alert.reason}
    if case.status in (CaseStatus.RESOLVED, CaseStatus.CLOSED):
        case = case_reopen(actor=None, case=case, reason=reason)
    case_escalate(case=case, reason=reason, purpose="case_resurvey")


def alerts_to_cases(*, limit: int = BATCH) -> int:
    """Act on open alerts, oldest first; the number of cases opened."""
    opened = 0
    alerts = Alert.objects.filter(status=AlertStatus.OPEN).select_related(
        "response__customer", "unit", "rule"
    )
    for alert in alerts.order_by("created_at")[:limit]:
        if case_from_alert(alert=alert) is not None:
            opened += 1
    return opened
