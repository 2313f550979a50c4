"""Declaring a case a crisis (危机事件): by hand, or when a new case's words name the
press, a regulator or a lawyer (the crisis policy's words, data HQ edits). A crisis is
critical, so the SLA policy's shortest deadlines apply; HQ is told at once; the case
page shows the crisis checklist."""

from datetime import timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from manyi.audit.services import audit_record
from manyi.cases.escalation import escalation_chain, managers_by_unit, notice
from manyi.cases.models import Case, CrisisPolicy, EntryKind, Severity
from manyi.cases.services import case_locked, case_update
from manyi.cases.timeline import entry_add
from manyi.errors import DomainError
from manyi.notify.models import Message
from manyi.org.permissions import may_declare_crisis, may_manage_rules

FRESH = timedelta(days=1)


@transaction.atomic
def crisis_policy_set(*, actor: Any, keywords: str) -> CrisisPolicy:
    """HQ's words that make a new case a crisis."""
    if not may_manage_rules(actor):
        raise DomainError(_("Only HQ sets the crisis words."))
    policy = CrisisPolicy.current()
    words = ", ".join(CrisisPolicy(keywords=keywords).words())
    if words != policy.keywords:
        audit_record(
            actor=actor,
            action="crisis_policy.set",
            obj=policy,
            changes={"keywords": [policy.keywords, words]},
        )
        policy.keywords = words
        policy.save(update_fields=["keywords"])
    return policy


def crisis_words_in(text: str, policy: CrisisPolicy | None = None) -> list[str]:
    """The crisis policy's words that ``text`` holds, in the policy's order."""
    policy = policy or CrisisPolicy.current()
    lowered = text.lower()
    return [word for word in policy.words() if word.lower() in lowered]


@transaction.atomic
def case_crisis_declare(*, actor: Any, case: Case, reason: str) -> Case:
    """Make the case a crisis: critical (its deadlines shorten), on the timeline and in
    the audit log, and HQ's managers told by e-mail at once."""
    if actor is not None and not may_declare_crisis(actor):
        raise DomainError(_("Your role may not declare a crisis: ask the store manager."))
    reason = " ".join(reason.split())[:200]
    if not reason:
        raise DomainError(_("Say why the case is a crisis."))
    case = case_locked(case, editable=True)
    if case.crisis:
        raise DomainError(_("This case is already a crisis."))
    case.crisis, case.crisis_reason = True, reason
    case.save(update_fields=["crisis", "crisis_reason"])
    entry_add(case, EntryKind.CHANGE, actor, reason, changes={"crisis": [False, True]})
    if case.severity != Severity.CRITICAL:
        case = case_update(actor=actor, case=case, severity=Severity.CRITICAL)
    hq = escalation_chain(case.unit)[-1]
    text = _("Crisis at %(unit)s: case %(number)s, %(subject)s. Why: %(reason)s") % {
        "unit": case.unit,
        "number": case.number,
        "subject": case.subject,
        "reason": reason,
    }
    now = timezone.now()
    Message.objects.bulk_create(
        Message(**notice(case, email, text, purpose="case_crisis", at=now))
        for email in managers_by_unit({hq}).get(hq, [])
    )
    audit_record(
        actor=actor, action="case.crisis", obj=case, unit_id=case.unit_id, changes={"crisis": True}
    )
    return case


def crisis_check(case: Case) -> Case:
    """A new case whose words name the press, a regulator or a lawyer is a crisis (one
    recorded long after it was opened — a back-filled history — is not news to tell)."""
    if case.opened_at < timezone.now() - FRESH:
        return case
    found = crisis_words_in(f"{case.subject}\n{case.description}")
    if not found:
        return case
    return case_crisis_declare(
        actor=None,
        case=case,
        reason=_("The case mentions %(words)s.") % {"words": "、".join(found)},
    )
