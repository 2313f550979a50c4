"""Win-back (挽留): a task opened from the risk list, the calls made, the reason a
customer gives for leaving, and the result — retained when they come back or say they
stay, lost with the reason for loss."""

from datetime import datetime, timedelta
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.translation import gettext as _

from manyi.audit.services import audit_record
from manyi.care.churn import visit_kinds
from manyi.care.models import (
    OPEN_WINBACK,
    ChurnPolicy,
    ChurnRisk,
    LossReason,
    WinBack,
    WinBackCall,
    WinBackOutcome,
    WinBackStatus,
)
from manyi.customers.models import ServiceEvent
from manyi.errors import DomainError
from manyi.org.permissions import may_work_winbacks
from manyi.org.selectors import visible_units

UNANSWERED = (WinBackOutcome.NO_ANSWER, WinBackOutcome.WRONG_NUMBER)

# What a call that reached the customer decides.
DECIDED = {
    WinBackOutcome.BOOKED: WinBackStatus.BOOKED,
    WinBackOutcome.STAYING: WinBackStatus.RETAINED,
    WinBackOutcome.LOST: WinBackStatus.LOST,
    WinBackOutcome.REFUSED: WinBackStatus.LOST,
}


class WinBackError(DomainError):
    """A win-back task or call that cannot be recorded."""


def _check(actor: Any, unit_id: int) -> None:
    if not may_work_winbacks(actor):
        raise WinBackError(_("You may not work win-back calls."))
    if not visible_units(actor).filter(pk=unit_id).exists():
        raise WinBackError(_("That customer is outside your part of the network."))


@transaction.atomic
def winback_open(*, actor: Any, risk: ChurnRisk, assignee: Any = None) -> WinBack:
    """Open a win-back task for a customer on the risk list, with the reasons they are on
    it; a customer has one open task at a time."""
    _check(actor, risk.unit_id)
    if assignee is not None and not (
        may_work_winbacks(assignee) and visible_units(assignee).filter(pk=risk.unit_id).exists()
    ):
        raise WinBackError(_("That colleague cannot call this customer."))
    try:
        with transaction.atomic():
            winback = WinBack.objects.create(
                customer_id=risk.customer_id,
                asset_id=risk.asset_id,
                unit_id=risk.unit_id,
                reasons=list(risk.reasons),
                p_alive=risk.p_alive,
                assignee=assignee or actor,
                opened_by=actor,
            )
    except IntegrityError:
        raise WinBackError(_("A win-back task for this customer is already open.")) from None
    audit_record(
        actor=actor,
        action="winback.open",
        obj=winback,
        unit_id=risk.unit_id,
        changes={"customer": risk.customer_id, "reasons": list(risk.reasons)},
    )
    return winback


@transaction.atomic
def winback_call_record(
    *,
    actor: Any,
    winback: WinBack,
    outcome: str,
    loss_reason: str = "",
    note: str = "",
    now: datetime | None = None,
) -> WinBack:
    """Record one call. Booked waits for the visit (then retained; the task reopens if
    they do not come within the policy's days); staying is retained by the customer's
    word; lost needs the reason for loss; a customer who refuses to talk is lost, for a
    reason the caller may give; no answer or a wrong number is tried again, and after
    the policy's unanswered calls in a row the task closes as unreachable (a booked
    customer's task stays: they are expected)."""
    now = now or timezone.now()
    locked = WinBack.objects.select_for_update().get(pk=winback.pk)
    _check(actor, locked.unit_id)
    if locked.status not in OPEN_WINBACK:
        raise WinBackError(
            _("This task is finished: %(status)s.") % {"status": locked.get_status_display()}
        )
    if outcome not in WinBackOutcome.values:
        raise WinBackError(_("Choose how the call ended."))
    if outcome == WinBackOutcome.LOST and loss_reason not in LossReason.values:
        raise WinBackError(_("Say why the customer left: the reasons for loss are counted."))
    if DECIDED.get(outcome) != WinBackStatus.LOST or loss_reason not in LossReason.values:
        loss_reason = ""
    note = note.strip()
    if loss_reason == LossReason.OTHER and not note:
        raise WinBackError(_("Say in the note what the other reason is."))
    WinBackCall.objects.create(
        winback=locked,
        caller=actor,
        outcome=outcome,
        loss_reason=loss_reason,
        note=note,
        created_at=now,
    )
    locked.attempts += 1
    policy = ChurnPolicy.current()
    if outcome in DECIDED:
        locked.status = DECIDED[outcome]
        locked.loss_reason = loss_reason
        locked.booked_until = (
            now + timedelta(days=policy.booked_days) if outcome == WinBackOutcome.BOOKED else None
        )
    elif locked.status == WinBackStatus.OPEN and _unanswered_in_a_row(locked) >= policy.attempts:
        locked.status = WinBackStatus.UNREACHABLE
    if locked.status not in OPEN_WINBACK:
        locked.closed_at = now
    locked.save()
    audit_record(
        actor=actor,
        action="winback.call",
        obj=locked,
        unit_id=locked.unit_id,
        changes={"outcome": outcome, "status": locked.status, "loss_reason": loss_reason},
    )
    return locked


def _unanswered_in_a_row(winback: WinBack) -> int:
    outcomes = winback.calls.order_by("-created_at", "-pk").values_list("outcome", flat=True)
    count = 0
    for outcome in outcomes:
        if outcome not in UNANSWERED:
            break
        count += 1
    return count


def winbacks_mark_returned(*, now: datetime | None = None) -> int:
    """Close as retained every open or booked task whose customer has visited since it
    was opened: coming back is the proof. Safe in several workers (a conditional update
    per task)."""
    now = now or timezone.now()
    visits = ServiceEvent.objects.filter(kind__in=visit_kinds())
    came = visits.filter(customer_id=OuterRef("customer_id"), opened_at__gt=OuterRef("opened_at"))
    done = 0
    for winback in WinBack.objects.filter(Exists(came), status__in=OPEN_WINBACK):
        first = (
            visits.filter(customer_id=winback.customer_id, opened_at__gt=winback.opened_at)
            .order_by("opened_at")
            .first()
        )
        if first is None:  # the visit was taken back since
            continue
        with transaction.atomic():
            changed = WinBack.objects.filter(pk=winback.pk, status__in=OPEN_WINBACK).update(
                status=WinBackStatus.RETAINED,
                came_back_at=first.opened_at,
                closed_at=now,
                booked_until=None,
            )
            if changed:
                audit_record(
                    actor=None,
                    action="winback.came_back",
                    obj=winback,
                    unit_id=winback.unit_id,
                    changes={"event": first.external_id},
                )
        done += changed
    return done


def winbacks_reopen_unkept(*, now: datetime | None = None) -> int:
    """A booked customer who has not come by the day set goes back on the caller's list
    (the task opens again, audited), once per booking."""
    now = now or timezone.now()
    done = 0
    for winback in WinBack.objects.filter(status=WinBackStatus.BOOKED, booked_until__lt=now).only(
        "pk", "unit_id"
    ):
        with transaction.atomic():
            changed = WinBack.objects.filter(
                pk=winback.pk, status=WinBackStatus.BOOKED, booked_until__lt=now
            ).update(status=WinBackStatus.OPEN, booked_until=None)
            if changed:
                audit_record(
                    actor=None, action="winback.not_come", obj=winback, unit_id=winback.unit_id
                )
        done += changed
    return done
