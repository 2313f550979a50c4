"""Responses: progress saved as the customer goes, one submit stored once, scored, alerted."""

from datetime import datetime
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from manyi.audit.services import audit_record
from manyi.surveys.answers import check_answers
from manyi.surveys.definition import Definition
from manyi.surveys.integrity import integrity_at_submit
from manyi.surveys.models import (
    Alert,
    AlertRule,
    AlertRuleKind,
    AlertStatus,
    Invitation,
    InvitationStatus,
    Response,
)
from manyi.surveys.scoring import Scores, score
from manyi.surveys.services.invitations import CLOSED, InvitationClosed, invitation_open
from manyi.surveys.versions import definition_of


class VersionChanged(InvitationClosed):
    """The form was filled in for another version than the invitation's."""

    def __init__(self) -> None:
        super().__init__("version_changed")


def response_save_progress(*, token: str, answers: dict[str, Any]) -> Invitation:
    """Keep what the customer has answered so far (checked, but nothing is required yet)."""
    invitation = invitation_open(token=token)
    clean = check_answers(definition_of(invitation.version_id), answers, final=False)
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
    version_id: int,
    answers: dict[str, Any],
    unit_id: int,
    channel: str,
    submitted_at: datetime,
    **links: Any,
) -> Response:
    definition = definition_of(version_id)
    scores = score(definition, answers)
    return Response.objects.create(
        version_id=version_id,
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
    opened: Invitation | None = None,
) -> Response:
    """Store, score and alert one response to an invitation, exactly once.

    The invitation row is locked while the response is written, and a response is
    unique per invitation, so a double submit or a second tab stores one response:
    the later submit gets the response already stored. ``opened`` is the invitation
    when the caller has just opened it by this token (saves reading it twice).
    """
    try:
        invitation = opened if opened is not None else invitation_open(token=token)
    except InvitationClosed as closed:
        if closed.reason == InvitationStatus.COMPLETED:
            return Response.objects.get(invitation__token=token)
        raise
    if version_id is not None and version_id != invitation.version_id:
        raise VersionChanged()
    definition = definition_of(invitation.version_id)
    clean = check_answers(definition, answers)
    now = timezone.now()
    integrity = integrity_at_submit(
        definition=definition,
        answers=clean,
        opened_at=invitation.opened_at,
        channel=channel or invitation.channel,
        now=now,
    )
    try:
        with transaction.atomic():
            # The claim: one conditional write flips the invitation to completed. A second
            # submit waits on the row lock, then finds nothing left to claim.
            claimed = (
                Invitation.objects.filter(pk=invitation.pk)
                .exclude(status__in=CLOSED)
                .update(
                    status=InvitationStatus.COMPLETED,
                    completed_at=now,
                    progress={},
                    opened_at=Coalesce("opened_at", Value(now)),
                    started_at=Coalesce("started_at", Value(now)),
                )
            )
            if not claimed:
                return _already_closed(invitation.pk)
            response = create_scored(
                version_id=invitation.version_id,
                answers=clean,
                unit_id=invitation.unit_id,
                channel=channel or invitation.channel,
                submitted_at=now,
                invitation_id=invitation.pk,
                programme_id=invitation.programme_id,
                customer_id=invitation.customer_id,
                event_id=invitation.event_id,
                staff_id=invitation.staff_id,
                language=language or invitation.language,
                recorded_by=recorded_by,
                **integrity,
            )
            alerts_check(response=response, definition=definition)
            audit_record(
                actor=recorded_by,
                action="response_submit",
                obj=response,
                unit_id=invitation.unit_id,
                object_repr=f"invitation {invitation.pk}",
            )
    except IntegrityError:
        # Another request stored this invitation's response between our claim and insert.
        return Response.objects.get(invitation_id=invitation.pk)
    return response


def _already_closed(invitation_id: int) -> Response:
    """The claim found the invitation closed: a double submit gets the stored response."""
    response = Response.objects.filter(invitation_id=invitation_id).first()
    if response is None:
        status = Invitation.objects.values_list("status", flat=True).get(pk=invitation_id)
        raise InvitationClosed(status)
    return response


def alerts_check(*, response: Response, definition: Definition | None = None) -> list[Alert]:
    """Open an alert for each of the programme's rules the response meets."""
    if response.programme_id is None:
        return []
    definition = definition or definition_of(response.version_id)
    alerts = []
    for rule in AlertRule.objects.filter(programme_id=response.programme_id, is_active=True):
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
