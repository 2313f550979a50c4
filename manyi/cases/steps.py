"""The seven steps of handling a complaint as a guided workflow (DOMAIN.md): listen and
record → acknowledge and apologise → analyse the cause → propose a solution → approve
→ carry it out → review with root cause and prevention.

``case.step`` is the step the case is at, the next one to do. Each step done is a
timeline entry of kind STEP naming who did it and when. A solution that costs more
than the handler may grant waits at the approval step for someone with the authority
(compensation.py); only then can it be carried out.
"""

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from manyi.audit.services import audit_record
from manyi.cases import compensation, services
from manyi.cases.models import (
    Case,
    CaseEntry,
    CaseStatus,
    Cause,
    CompensationStatus,
    EntryKind,
    Step,
)
from manyi.cases.timeline import entry_add
from manyi.errors import DomainError

ORDER = list(Step.values)


@dataclass(frozen=True)
class StepDone:
    step: str
    label: str
    by: Any
    at: datetime | None
    current: bool


def progress(case: Case) -> list[StepDone]:
    """The seven steps, each with who did it and when. A reopened case analyses
    again: from step 3 on only what was done since the reopening counts."""
    done: dict[str, CaseEntry] = {}
    for entry in case.entries.exclude(step="").select_related("author"):
        if ORDER.index(entry.step) < ORDER.index(Step.ANALYSE):
            done.setdefault(entry.step, entry)
        elif entry.created_at >= case.clock_started_at:
            done[entry.step] = entry
    labels = dict(Step.choices)
    active = case.status != CaseStatus.CLOSED
    return [
        StepDone(
            step=step,
            label=str(labels[step]),
            by=done[step].author if step in done else None,
            at=done[step].created_at if step in done else None,
            current=active and case.step == step and step not in done,
        )
        for step in ORDER
    ]


def _advance(case: Case, to: str) -> None:
    if ORDER.index(to) > ORDER.index(case.step):
        case.step = to


@transaction.atomic
def case_analyse(
    *, actor: Any, case: Case, cause: Cause | None, body: str, asset: Any = None, part: str = ""
) -> Case:
    """Step 3: the cause, company side or customer side, and what was found; for a
    product cause, the customer's vehicle (or product) and the part at fault."""
    case = services.case_locked(case, editable=True)
    if cause is None:
        raise DomainError(_("Choose the cause."))
    if not body.strip():
        raise DomainError(_("Say what the analysis found."))
    if asset is not None and asset.customer_id != case.customer_id:
        raise DomainError(_("That vehicle is not the customer's."))
    changes = {}
    if case.cause_id != cause.pk:
        changes["cause"] = [str(case.cause or ""), str(cause)]
        case.cause = cause
    part = part.strip()[:80]
    if (asset is not None and asset.pk != case.asset_id) or part != case.part:
        changes["part"] = [case.part, part]
        case.asset, case.part = asset or case.asset, part
    _advance(case, Step.PROPOSE)
    case.save()
    services.step_record(case, actor, Step.ANALYSE, body)
    if changes:
        entry_add(case, EntryKind.CHANGE, actor, changes=changes)
    audit_record(actor=actor, action="case.analyse", obj=case, unit_id=case.unit_id)
    return case


@transaction.atomic
def case_propose(
    *,
    actor: Any,
    case: Case,
    solution: str,
    kind: str = "",
    amount: Decimal | None = None,
    description: str = "",
) -> Case:
    """Step 4: the solution, with what the customer is given if anything. Within the
    handler's approval limit it is approved at once (step 5 by the handler);
    above it, the case waits at step 5 for someone with the authority."""
    case = services.case_locked(case, editable=True)
    if not solution.strip():
        raise DomainError(_("Describe the solution."))
    if kind and amount is None:
        raise DomainError(_("Give the value of the compensation."))
    case.solution = solution
    offer = None
    if kind:
        offer = compensation.compensation_propose(
            actor=actor, case=case, kind=kind, amount=amount or Decimal(0), description=description
        )
    services.step_record(case, actor, Step.PROPOSE, solution)
    if offer is None or offer.status == CompensationStatus.APPROVED:
        services.step_record(case, actor, Step.APPROVE, _("Within own authority."))
        _advance(case, Step.CARRY_OUT)
    else:
        case.step = Step.APPROVE
    case.save()
    audit_record(actor=actor, action="case.propose", obj=case, unit_id=case.unit_id)
    return case


@transaction.atomic
def case_review(*, actor: Any, case: Case, root_cause: str, prevention: str) -> Case:
    """Step 7: after the solution is carried out, the root cause and what prevents it
    from happening again; the case is then closed."""
    case = services.case_locked(case, editable=True)
    if case.status != CaseStatus.RESOLVED:
        raise DomainError(_("Carry out the solution (resolve the case) before the review."))
    if not root_cause.strip() or not prevention.strip():
        raise DomainError(_("The review names the root cause and the prevention."))
    case.root_cause, case.prevention = root_cause, prevention
    case.save()
    services.step_record(case, actor, Step.REVIEW, f"{root_cause}\n{prevention}")
    audit_record(actor=actor, action="case.review", obj=case, unit_id=case.unit_id)
    return services.case_close(actor=actor, case=case)
