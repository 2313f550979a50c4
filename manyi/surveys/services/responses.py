"""Responses: progress saved as the customer goes, one submit stored once, scored, alerted."""

from datetime import datetime
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from manyi.audit.services import audit_record
from manyi.surveys.answers import check_answers
from manyi.surveys.definition import Definition
from manyi.surveys.models import (
    Alert,
    AlertRuleKind,
    AlertStatus,
    Invitation,
    InvitationStatus,
    QuestionnaireVersion,
    Response,
)
from manyi.surveys.scoring import Scores, score
from manyi.surveys.services.invitations import CLOSED, InvitationClosed, invitation_open


class VersionChanged(InvitationClosed):
    """The form was filled in for another version than the invitation's."""

    def __init__(self) -> None:
        super().__init__("version_changed")


def response_save_progress(*, token: str, answers: dict[str, Any]) -> Invitation:
    """Keep what the customer has answered so far (checked, but nothing is required yet)."""
    invitation = invitation_open(token=token)
    clean = check_answers(invitation.version.parsed(), answers, final=False)
    now = timezone.now()
    Invitation.objects.filter(pk=invitation.pk).exclude(status__in=CLOSED).update(
        progress=clean, status=InvitationStatus.STARTED, started_at=invitation.started_at or now
    )
    invitation.progress = clean
    return invitation


def _overall(definition: Definition, scores: Scores) -> float | None:
    item = definition.role("overall")
    return scores.items.get(item.code) if item else None


def create_scored(
    *,
    version: QuestionnaireVersion,
    answers: dict[str, Any],
    unit_id: int,
    channel: str,
    submitted_at: datetime,
    **links: Any,
) -> Response:
    definition = version.parsed()
    scores = score(definition, answers)
    return Response.objects.create(
        version=version,
        answers=answers,
        scores=scores.as_dict(),
        index=scores.index,
        nps=scores.nps,
        nps_class=scores.nps_class,
        overall=_overall(definition, scores),
        unit_id=unit_id,
        channel=channel,
        submitted_at=submitted_at,
        **links,
    )


def response_submit(
    *,
    token: str,
    answers: dict[str, Any],
    version_id: int | None = None,
    language: str = "",
    recorded_by: Any = None,
    channel: str = "",
) -> Response:
    """Store, score and alert one response to an invitation, exactly once.

    The invitation row is locked while the response is written, and a response is
    unique per invitation, so a double submit or a second tab stores one response:
    the later submit gets the response already stored.
    """
    try:
        invitation = invitation_open(token=token)
    except InvitationClosed as closed:
        if closed.reason == InvitationStatus.COMPLETED:
            return Response.objects.get(invitation__token=token)
        raise
    if version_id is not None and version_id != invitation.version_id:
        raise VersionChanged()
    clean = check_answers(invitation.version.parsed(), answers)
    try:
        with transaction.atomic():
            locked = Invitation.objects.select_for_update().get(pk=invitation.pk)
            if locked.status == InvitationStatus.COMPLETED:
                return Response.objects.get(invitation=locked)
            if locked.status in CLOSED:
                raise InvitationClosed(locked.status)
            now = timezone.now()
            response = create_scored(
                version=invitation.version,
                answers=clean,
                unit_id=locked.unit_id,
                channel=channel or locked.channel,
                submitted_at=now,
                invitation=locked,
                programme_id=locked.programme_id,
                customer_id=locked.customer_id,
                event_id=locked.event_id,
                staff_id=locked.staff_id,
                language=language or locked.language,
                recorded_by=recorded_by,
            )
            locked.status, locked.completed_at, locked.progress = (
                InvitationStatus.COMPLETED,
                now,
                {},
            )
            locked.started_at = locked.started_at or now
            locked.save(update_fields=["status", "completed_at", "progress", "started_at"])
            alerts_check(response=response)
            audit_record(
                actor=recorded_by,
                action="response_submit",
                obj=response,
                unit=locked.unit,
                object_repr=str(locked),
            )
    except IntegrityError:
        # Another request stored this invitation's response between our check and insert.
        return Response.objects.get(invitation_id=invitation.pk)
    return response


def alerts_check(*, response: Response) -> list[Alert]:
    """Open an alert for each of the programme's rules the response meets."""
    if response.programme_id is None:
        return []
    definition = response.version.parsed()
    alerts = []
    for rule in response.programme.alert_rules.filter(is_active=True):
        reason = rule_reason(rule, definition, response)
        if reason:
            alerts.append(
                Alert.objects.create(
                    response=response, rule=rule, unit_id=response.unit_id, reason=reason[:300]
                )
            )
    return alerts


def rule_reason(rule: Any, definition: Definition, response: Response) -> str:
    """Why ``response`` meets ``rule`` (shown on the alert), or "" when it does not."""
    answers = response.answers
    if rule.kind == AlertRuleKind.OVERALL_AT_MOST:
        item = definition.role("overall")
        value = answers.get(item.code) if item else None
        if isinstance(value, int) and rule.threshold is not None and value <= rule.threshold:
            return f"{item.code} = {value} (≤ {rule.threshold})"
    elif rule.kind == AlertRuleKind.NPS_DETRACTOR and response.nps_class == "detractor":
        return f"NPS = {response.nps}"
    elif rule.kind == AlertRuleKind.ANY_ITEM_AT_MOST and rule.threshold is not None:
        low = [
            f"{code} = {answers[code]}"
            for code in answers
            if definition.item(code).type == "rating"
            and isinstance(answers[code], int)
            and answers[code] <= rule.threshold
        ]
        if low:
            return ", ".join(low)
    elif rule.kind == AlertRuleKind.KEYWORD and rule.keywords:
        words = [word.strip() for word in rule.keywords.split(",") if word.strip()]
        texts = " ".join(str(v) for c, v in answers.items() if definition.item(c).type == "text")
        found = [word for word in words if word in texts]
        if found:
            return "“" + "”, “".join(found) + "”"
    elif rule.kind == AlertRuleKind.CONTACT_ME:
        item = definition.role("contact_me")
        if item and answers.get(item.code) is True:
            return item.code
    return ""


@transaction.atomic
def alert_acknowledge(*, actor: Any, alert: Alert) -> Alert:
    """Someone has seen the alert and will follow up (the cases part opens the case)."""
    if alert.status == AlertStatus.OPEN:
        alert.status = AlertStatus.ACKNOWLEDGED
        alert.save(update_fields=["status"])
        audit_record(actor=actor, action="alert_acknowledge", obj=alert, unit=alert.unit)
    return alert
