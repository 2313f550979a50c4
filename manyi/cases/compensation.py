"""The satisfaction guarantee: proposing, approving and giving compensation, each
within the authority of the person acting, and the register of what was given."""

from datetime import datetime
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import Count, QuerySet, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from manyi.audit.services import audit_record
from manyi.cases.models import (
    Case,
    Compensation,
    CompensationKind,
    CompensationStatus,
    EntryKind,
    Step,
)
from manyi.cases.services import case_locked
from manyi.cases.timeline import entry_add
from manyi.errors import DomainError
from manyi.org.permissions import approval_limit, may_approve
from manyi.org.selectors import visible_unit_filter

MAX_AMOUNT = 10**9  # yuan; more is a typing error (the column holds under 10**10)


class AboveLimitError(DomainError):
    """An amount beyond what the person acting may approve."""


@transaction.atomic
def compensation_propose(
    *, actor: Any, case: Case, kind: str, amount: Decimal, description: str = ""
) -> Compensation:
    """Offer the customer something; approved at once when within the actor's limit,
    otherwise the case waits at the approval step."""
    case = case_locked(case, editable=True)
    if kind not in CompensationKind.values:
        raise DomainError(_("Unknown kind of compensation."))
    if not amount.is_finite() or amount < 0:
        raise DomainError(_("A compensation is worth zero or more."))
    if amount >= MAX_AMOUNT:
        raise DomainError(
            _("A compensation is worth less than %(most)s yuan.") % {"most": f"{MAX_AMOUNT:,}"}
        )
    compensation = Compensation.objects.create(
        case=case,
        unit=case.unit,
        kind=kind,
        amount=amount,
        description=description[:300],
        proposed_by=actor,
    )
    if may_approve(actor, amount):
        compensation.status = CompensationStatus.APPROVED
        compensation.decided_by, compensation.decided_at = actor, timezone.now()
        compensation.save()
        text = _("Compensation within own authority: %(what)s") % {"what": compensation}
    else:
        Case.objects.filter(pk=case.pk).update(step=Step.APPROVE)
        text = _("Compensation proposed, above own authority: %(what)s — awaiting approval.") % {
            "what": compensation
        }
    entry_add(
        case, EntryKind.CHANGE, actor, text, changes={"compensation": [None, str(compensation)]}
    )
    audit_record(actor=actor, action="compensation.propose", obj=compensation, unit=case.unit)
    return compensation


def _locked(compensation: Compensation) -> Compensation:
    return (
        Compensation.objects.select_for_update(no_key=True)  # see services.case_locked
        .select_related("case")
        .get(pk=compensation.pk)
    )


@transaction.atomic
def compensation_decide(*, actor: Any, compensation: Compensation, approve: bool) -> Compensation:
    """Approve or reject a proposal; approving needs authority for the amount, and
    nobody approves their own proposal."""
    compensation = _locked(compensation)
    if compensation.status != CompensationStatus.PROPOSED:
        raise DomainError(_("This compensation is already decided."))
    if approve and _own(actor, compensation):
        raise DomainError(_("Someone else approves what you proposed."))
    if approve and not may_approve(actor, compensation.amount):
        raise AboveLimitError(
            _("%(amount)s yuan is above your approval limit of %(limit)s yuan.")
            % {"amount": compensation.amount, "limit": approval_limit(actor)}
        )
    compensation.status = CompensationStatus.APPROVED if approve else CompensationStatus.REJECTED
    compensation.decided_by, compensation.decided_at = actor, timezone.now()
    compensation.save()
    case = compensation.case
    if case.step == Step.APPROVE:
        Case.objects.filter(pk=case.pk).update(step=Step.CARRY_OUT if approve else Step.PROPOSE)
        if approve:
            entry_add(case, EntryKind.STEP, actor, str(compensation), step=Step.APPROVE)
    entry_add(
        case,
        EntryKind.CHANGE,
        actor,
        (_("Compensation approved: %(what)s") if approve else _("Compensation rejected: %(what)s"))
        % {"what": compensation},
        changes={"compensation": [CompensationStatus.PROPOSED, compensation.status]},
    )
    audit_record(
        actor=actor,
        action="compensation.approve" if approve else "compensation.reject",
        obj=compensation,
        unit_id=compensation.unit_id,
    )
    return compensation


@transaction.atomic
def compensation_give(*, actor: Any, compensation: Compensation) -> Compensation:
    """Record that the customer received it: it enters the register."""
    compensation = _locked(compensation)
    if compensation.status != CompensationStatus.APPROVED:
        raise DomainError(_("Only an approved compensation can be given."))
    compensation.status, compensation.given_at = CompensationStatus.GIVEN, timezone.now()
    compensation.save()
    entry_add(
        compensation.case,
        EntryKind.CHANGE,
        actor,
        _("Compensation given: %(what)s") % {"what": compensation},
        changes={"compensation": [CompensationStatus.APPROVED, CompensationStatus.GIVEN]},
    )
    audit_record(
        actor=actor, action="compensation.give", obj=compensation, unit_id=compensation.unit_id
    )
    return compensation


def _own(user: Any, compensation: Compensation) -> bool:
    return compensation.proposed_by_id == getattr(user, "pk", None)


def may_approve_proposal(user: Any, compensation: Compensation) -> bool:
    """Whether ``user`` may approve this proposal: still proposed, someone else's, and
    within the user's approval limit (the rule ``compensation_decide`` enforces)."""
    return (
        compensation.status == CompensationStatus.PROPOSED
        and not _own(user, compensation)
        and may_approve(user, compensation.amount)
    )


def awaiting_approval(user: Any) -> QuerySet[Compensation]:
    """Proposals in the user's units that the user may approve (never their own)."""
    pending = (
        Compensation.objects.filter(visible_unit_filter(user), status=CompensationStatus.PROPOSED)
        .exclude(proposed_by=user)
        .select_related("case", "unit", "proposed_by")
    )
    limit = approval_limit(user)
    return pending if limit is None else pending.filter(amount__lte=limit)


def register(user: Any, *, since: datetime, until: datetime) -> list[dict[str, Any]]:
    """What was given, per unit and kind, in [since, until), in the user's units."""
    return list(
        Compensation.objects.filter(
            visible_unit_filter(user),
            status=CompensationStatus.GIVEN,
            given_at__gte=since,
            given_at__lt=until,
        )
        .values("unit__name", "kind")
        .annotate(count=Count("id"), total=Sum("amount"))
        .order_by("unit__name", "kind")
    )
