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
    ApprovalLimit,
    Case,
    CaseEntry,
    CaseStatus,
    Compensation,
    CompensationKind,
    CompensationStatus,
    EntryKind,
    Step,
)
from manyi.errors import DomainError
from manyi.org.selectors import visible_unit_filter


class AboveLimitError(DomainError):
    """An amount beyond what the person acting may approve."""


def limit_of(person: Any) -> Decimal | None:
    """The most ``person`` may grant alone; None: no limit. Unknown roles: nothing."""
    if getattr(person, "is_superuser", False):
        return None
    row = ApprovalLimit.objects.filter(role=getattr(person, "role", "")).first()
    if row is None:
        return Decimal(0)
    return row.max_amount


def within_limit(person: Any, amount: Decimal) -> bool:
    limit = limit_of(person)
    return limit is None or amount <= limit


def _entry(case: Case, actor: Any, text: str, **changes: Any) -> None:
    CaseEntry.objects.create(
        case=case, kind=EntryKind.CHANGE, author=actor, body=text, changes=changes
    )


@transaction.atomic
def compensation_propose(
    *, actor: Any, case: Case, kind: str, amount: Decimal, description: str = ""
) -> Compensation:
    """Offer the customer something; approved at once when within the actor's limit,
    otherwise the case waits at the approval step."""
    if case.status == CaseStatus.CLOSED:
        raise DomainError(_("Case %(number)s is closed.") % {"number": case.number})
    if kind not in CompensationKind.values:
        raise DomainError(_("Unknown kind of compensation."))
    if amount < 0:
        raise DomainError(_("A compensation is worth zero or more."))
    compensation = Compensation.objects.create(
        case=case,
        unit=case.unit,
        kind=kind,
        amount=amount,
        description=description[:300],
        proposed_by=actor,
    )
    if within_limit(actor, amount):
        compensation.status = CompensationStatus.APPROVED
        compensation.decided_by, compensation.decided_at = actor, timezone.now()
        compensation.save()
        text = _("Compensation within own authority: %(what)s") % {"what": compensation}
    else:
        Case.objects.filter(pk=case.pk).update(step=Step.APPROVE)
        text = _("Compensation proposed, above own authority: %(what)s — awaiting approval.") % {
            "what": compensation
        }
    _entry(case, actor, text, compensation=[None, str(compensation)])
    audit_record(actor=actor, action="compensation.propose", obj=compensation, unit=case.unit)
    return compensation


def _locked(compensation: Compensation) -> Compensation:
    return (
        Compensation.objects.select_for_update(no_key=True)  # see services._locked
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
    if approve and compensation.proposed_by_id == getattr(actor, "pk", None):
        raise DomainError(_("Someone else approves what you proposed."))
    if approve and not within_limit(actor, compensation.amount):
        raise AboveLimitError(
            _("%(amount)s yuan is above your approval limit of %(limit)s yuan.")
            % {"amount": compensation.amount, "limit": limit_of(actor)}
        )
    compensation.status = CompensationStatus.APPROVED if approve else CompensationStatus.REJECTED
    compensation.decided_by, compensation.decided_at = actor, timezone.now()
    compensation.save()
    case = compensation.case
    if case.step == Step.APPROVE:
        Case.objects.filter(pk=case.pk).update(step=Step.CARRY_OUT if approve else Step.PROPOSE)
        if approve:
            CaseEntry.objects.create(
                case=case,
                kind=EntryKind.STEP,
                step=Step.APPROVE,
                author=actor,
                body=str(compensation),
            )
    _entry(
        case,
        actor,
        (_("Compensation approved: %(what)s") if approve else _("Compensation rejected: %(what)s"))
        % {"what": compensation},
        compensation=[CompensationStatus.PROPOSED, compensation.status],
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
    _entry(
        compensation.case,
        actor,
        _("Compensation given: %(what)s") % {"what": compensation},
        compensation=[CompensationStatus.APPROVED, CompensationStatus.GIVEN],
    )
    audit_record(
        actor=actor, action="compensation.give", obj=compensation, unit_id=compensation.unit_id
    )
    return compensation


def awaiting_approval(user: Any) -> QuerySet[Compensation]:
    """Proposals in the user's units that the user may approve."""
    pending = Compensation.objects.filter(
        visible_unit_filter(user), status=CompensationStatus.PROPOSED
    ).select_related("case", "unit", "proposed_by")
    limit = limit_of(user)
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
