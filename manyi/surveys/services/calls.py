"""Phone interviews (CATI): an agent calls, records how the call ended, and the answers."""

from datetime import datetime, timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from manyi.audit.services import audit_record
from manyi.errors import DomainError
from manyi.surveys.models import CallAttempt, CallOutcome, Invitation, InvitationStatus
from manyi.surveys.services.invitations import CLOSED
from manyi.surveys.services.responses import response_submit

RETRY = {CallOutcome.NO_ANSWER, CallOutcome.BUSY}


class CallError(DomainError):
    pass


@transaction.atomic
def call_record(
    *,
    agent: Any,
    invitation: Invitation,
    outcome: str,
    answers: dict[str, Any] | None = None,
    call_back_at: datetime | None = None,
    note: str = "",
    now: datetime | None = None,
) -> CallAttempt:
    """Record one call of a phone interview and schedule the next one.

    Retry rules: no answer or busy → try again after the programme's retry interval,
    until its maximum number of attempts (then the customer is unreachable); call back
    → at the time the customer named; refused or wrong number → no more calls;
    completed → the answers are stored as a phone response (all or nothing).
    """
    now = now or timezone.now()
    locked = (
        Invitation.objects.select_for_update().select_related("programme").get(pk=invitation.pk)
    )
    if locked.status in CLOSED:
        raise CallError(
            _("This interview is closed (%(status)s).") % {"status": locked.get_status_display()}
        )
    if outcome not in CallOutcome.values:
        raise CallError(_("Unknown call outcome."))
    if outcome == CallOutcome.CALL_BACK and (call_back_at is None or call_back_at <= now):
        raise CallError(_("Give a time in the future to call back."))
    programme = locked.programme
    attempts = locked.call_attempts + 1
    status, next_call_at = locked.status, None
    if outcome == CallOutcome.COMPLETED:
        response_submit(
            token=locked.token, answers=answers or {}, recorded_by=agent, channel="phone"
        )
        status = InvitationStatus.COMPLETED
    elif outcome in RETRY:
        if attempts >= programme.max_call_attempts:
            status = InvitationStatus.UNREACHABLE
        else:
            next_call_at = now + timedelta(minutes=programme.call_retry_minutes)
    elif outcome == CallOutcome.CALL_BACK:
        next_call_at = call_back_at
    elif outcome == CallOutcome.REFUSED:
        status = InvitationStatus.REFUSED
    else:
        status = InvitationStatus.UNREACHABLE
    Invitation.objects.filter(pk=locked.pk).update(
        status=status,
        call_attempts=attempts,
        next_call_at=next_call_at,
        last_outcome=outcome,
        opened_at=locked.opened_at or now,
    )
    call = CallAttempt.objects.create(
        invitation=locked, agent=agent, outcome=outcome, call_back_at=call_back_at, note=note
    )
    audit_record(
        actor=agent,
        action="call_record",
        obj=locked,
        unit=locked.unit,
        changes={"outcome": outcome, "attempt": attempts},
    )
    return call
