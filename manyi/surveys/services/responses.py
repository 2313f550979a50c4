"""Responses: progress saved as the customer goes, one submit stored once, scored, alerted."""

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from django.db import IntegrityError, connection, router, transaction
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from manyi.audit.services import audit_record
from manyi.bulk import insert_one
from manyi.surveys.alert_rules import active_rules
from manyi.surveys.answers import check_answers
from manyi.surveys.definition import Definition
from manyi.surveys.hooks import alert_raised, response_stored
from manyi.surveys.integrity import integrity_at_submit
from manyi.surveys.models import (
    Alert,
    AlertRule,
    AlertRuleKind,
    AlertStatus,
    IntegrityPolicy,
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
    values = {
        "version_id": version_id,
        "answers": answers,
        "scores": scores.as_dict(),
        "index": scores.index,
        "nps": scores.nps,
        "nps_class": scores.nps_class,
        "overall": _overall(definition, scores),
        "unit_id": unit_id,
        "channel": channel,
        "submitted_at": submitted_at,
        **dict(_column(name, value) for name, value in links.items()),
    }
    # One INSERT built once per process: the ORM's create() compiles it on every submit.
    response = Response(pk=insert_one(Response, values), **values)
    response._state.adding = False
    response._state.db = router.db_for_write(Response)
    return response


RELATED = {field.name for field in Response._meta.concrete_fields if field.is_relation}


def _column(name: str, value: Any) -> tuple[str, Any]:
    """``customer=<Customer>`` → ``("customer_id", pk)``; other values as they are."""
    if name in RELATED:
        if value is not None and value.pk is None:
            raise ValueError(f"{name} is not saved")  # as the ORM would refuse it
        return f"{name}_id", value.pk if value is not None else None
    return name, value


CLAIM_SQL = """
    UPDATE surveys_invitation
       SET status = %s, completed_at = %s, progress = '{{}}',
           opened_at = COALESCE(opened_at, %s), started_at = COALESCE(started_at, %s)
     WHERE token = %s AND status NOT IN ({closed}) AND expires_at > %s
 RETURNING id, programme_id, version_id, unit_id, customer_id, event_id, staff_id,
           channel, language, opened_at,
           (SELECT alert_rules_key FROM surveys_programme p WHERE p.id = programme_id),
           (SELECT exclude_flagged FROM surveys_integritypolicy WHERE id = 1),
           (SELECT exclude_straight_line FROM surveys_integritypolicy WHERE id = 1),
           (SELECT seconds_per_item FROM surveys_integritypolicy WHERE id = 1),
           (SELECT straight_line_items FROM surveys_integritypolicy WHERE id = 1)
"""
# What the integrity checks at submit read of the policy, read by the claim as well.
POLICY_FIELDS = (
    "exclude_flagged",
    "exclude_straight_line",
    "seconds_per_item",
    "straight_line_items",
)


def _claim(token: str, now: datetime) -> tuple[Invitation, str, IntegrityPolicy] | None:
    """Flip the invitation behind ``token`` to completed and read it, in one statement;
    None when it cannot be used (unknown, closed, expired). With the programme's rules
    key and the integrity policy. The row stays locked until the transaction ends."""
    closed = ", ".join(["%s"] * len(CLOSED))
    at = connection.ops.adapt_datetimefield_value(now)  # as the ORM would write it
    with connection.cursor() as cursor:
        cursor.execute(
            CLAIM_SQL.format(closed=closed),
            [InvitationStatus.COMPLETED, at, at, at, token, *CLOSED, at],
        )
        row = cursor.fetchone()
    if row is None:
        return None
    fields = ("id", "programme_id", "version_id", "unit_id", "customer_id", "event_id")
    invitation = Invitation(
        **dict(zip(fields, row[:6], strict=True)),
        staff_id=row[6],
        channel=row[7],
        language=row[8],
        token=token,
        status=InvitationStatus.COMPLETED,
    )
    invitation._state.adding = False
    # It was opened now if the claim stamped it now (the form never marked it opened).
    opened_at = row[9]
    if isinstance(opened_at, str):
        opened_at = parse_datetime(opened_at)
    if opened_at is not None and timezone.is_naive(opened_at):  # SQLite: UTC, no zone
        opened_at = timezone.make_aware(opened_at, UTC)
    invitation.opened_at = None if opened_at == now else opened_at
    policy = row[11:]
    if policy[0] is None:  # no policy saved yet: the defaults, made once (and joined after)
        return invitation, row[10], IntegrityPolicy.current()
    return invitation, row[10], IntegrityPolicy(**dict(zip(POLICY_FIELDS, policy, strict=True)))


def response_submit(
    *,
    token: str,
    answers: dict[str, Any] | Callable[[Definition], dict[str, Any]],
    version_id: int | None = None,
    language: str = "",
    recorded_by: Any = None,
    channel: str = "",
) -> Response:
    """Store, score and alert one response to an invitation, exactly once.

    One statement claims the invitation (flips it to completed, locking its row) and
    reads it; the answers (or, given a function, the answers it reads with the
    version's definition, as the public form does) are checked inside the same
    transaction, so a refused form leaves the invitation as it was. A response is
    unique per invitation: a double submit or a second tab stores one response, the
    later submit getting the one already stored. A response from the public form is
    its own record (its channel and time): it writes no separate audit row; one an
    agent recorded does.
    """
    now = timezone.now()
    try:
        with transaction.atomic():
            claimed = _claim(token, now)
            if claimed is None:
                response = None
            else:
                response = _store(
                    *claimed,
                    answers=answers,
                    version_id=version_id,
                    language=language,
                    recorded_by=recorded_by,
                    channel=channel,
                    now=now,
                )
    except IntegrityError:
        # Another request stored this invitation's response between our claim and insert.
        return Response.objects.get(invitation__token=token)
    return response or _unclaimed(token)


def _store(
    invitation: Invitation,
    rules_key: str,
    policy: IntegrityPolicy,
    *,
    answers: dict[str, Any] | Callable[[Definition], dict[str, Any]],
    version_id: int | None,
    language: str,
    recorded_by: Any,
    channel: str,
    now: datetime,
) -> Response:
    """Check, score, store and alert-check the response to a claimed invitation."""
    if version_id is not None and version_id != invitation.version_id:
        raise VersionChanged()
    definition = definition_of(invitation.version_id)
    given = answers(definition) if callable(answers) else answers
    clean = check_answers(definition, given)
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
        **integrity_at_submit(
            definition=definition,
            answers=clean,
            opened_at=invitation.opened_at,
            channel=channel or invitation.channel,
            now=now,
            policy=policy,
        ),
    )
    response_stored(response)
    alerts_check(
        response=response,
        definition=definition,
        rules=active_rules(invitation.programme_id, rules_key),
    )
    if recorded_by is not None:
        audit_record(
            actor=recorded_by,
            action="response_submit",
            obj=response,
            unit_id=invitation.unit_id,
            object_repr=f"invitation {invitation.pk}",
        )
    return response


def _unclaimed(token: str) -> Response:
    """The claim found nothing to claim: a double submit gets the stored response;
    otherwise the reason the invitation cannot be used (an expired one is marked so)."""
    response = Response.objects.filter(invitation__token=token).first()
    if response is not None:
        return response
    invitation_open(token=token, mark=False)  # raises the reason
    raise InvitationClosed("unknown")  # claimable a moment ago, gone now


def alerts_check(
    *,
    response: Response,
    definition: Definition | None = None,
    rules: list[AlertRule] | None = None,
) -> list[Alert]:
    """Open an alert for each of the programme's rules the response meets."""
    if response.programme_id is None:
        return []
    definition = definition or definition_of(response.version_id)
    if rules is None:
        rules = list(AlertRule.objects.filter(programme_id=response.programme_id, is_active=True))
    alerts = []
    for rule in rules:
        reason = rule_reason(rule, definition, response)
        if reason:
            alert = Alert.objects.create(
                response=response, rule=rule, unit_id=response.unit_id, reason=reason[:300]
            )
            alert_raised(alert, response)
            alerts.append(alert)
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
