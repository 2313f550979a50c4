"""Escalation up the org tree: the case's own unit first (its store manager), then the
region, then HQ — one level further each time. The deadline sweep escalates a batch at
once (sweep.py); a poor answer to the resolution survey escalates one case
(``case_escalate``). Both take their target and recipients from here.
"""

from datetime import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from manyi.audit.services import audit_record
from manyi.cases.hooks import case_event_of
from manyi.cases.models import Case, DeadlineWatch, EntryKind
from manyi.cases.timeline import entry_add
from manyi.notify.models import Message
from manyi.org.models import Role, Staff, Unit

# Who is told of an escalation to their unit.
ESCALATE_TO = (Role.STORE_MANAGER, Role.REGION_MANAGER, Role.HQ_ANALYST, Role.ADMIN)


def escalation_chain(unit: Unit) -> list[int]:
    """The unit, then each unit above it up to HQ."""
    return [unit.pk, *reversed(unit.ancestor_ids())]


def escalation_target(chain: list[int], level: int) -> int:
    """The unit a case at escalation ``level`` (0: not yet) goes to next; HQ at most."""
    return chain[min(level, len(chain) - 1)]


def managers_by_unit(unit_ids: set[int]) -> dict[int, list[str]]:
    """The e-mail addresses of those told of escalations, per unit."""
    found: dict[int, list[str]] = {}
    for unit_id, email in (
        Staff.objects.filter(unit_id__in=unit_ids, role__in=ESCALATE_TO, is_active=True)
        .exclude(email="")
        .values_list("unit_id", "email")
    ):
        found.setdefault(unit_id, []).append(email)
    return found


def escalation_recipients(
    target_id: int, owner_email: str | None, managers: dict[int, list[str]]
) -> list[str]:
    """Who hears of an escalation: the managers of the unit it goes to, and the case's
    owner, each once."""
    return list(
        dict.fromkeys([*managers.get(target_id, []), *([owner_email] if owner_email else [])])
    )


def notice(case: Any, recipient: str, text: str, *, purpose: str, at: datetime) -> dict[str, Any]:
    """An outbox message about the case (the values of one row)."""
    return {
        "channel": "email",
        "recipient": recipient,
        "subject": f"[{case.number}] {case.subject}"[:200],
        "body": text,
        "purpose": purpose,
        "ref": case.number,
        "send_after": at,
    }


@transaction.atomic
def case_escalate(
    *, case: Case, reason: str, actor: Any = None, purpose: str = "case_escalation"
) -> Unit:
    """Escalate one case a level up, outside the deadlines: the timeline says why and to
    whom, the managers there are told through the outbox, the audit row records it."""
    watch, _created = DeadlineWatch.objects.select_for_update().get_or_create(case=case)
    level = watch.escalation_level
    target = Unit.objects.get(pk=escalation_target(escalation_chain(case.unit), level))
    DeadlineWatch.objects.filter(pk=watch.pk).update(escalation_level=level + 1)
    text = _("%(reason)s — escalated to %(unit)s.") % {"reason": reason, "unit": target}
    entry_add(
        case,
        EntryKind.ESCALATION,
        actor,
        text,
        changes={"escalation_level": [level, level + 1]},
    )
    now = timezone.now()
    owner = case.owner.email if case.owner_id and case.owner.email else None
    recipients = escalation_recipients(target.pk, owner, managers_by_unit({target.pk}))
    Message.objects.bulk_create(
        Message(**notice(case, email, text, purpose=purpose, at=now)) for email in recipients
    )
    audit_record(
        actor=actor,
        action="case.escalate",
        obj=case,
        unit=target,
        changes={"escalation_level": [level, level + 1]},
    )
    case_event_of("case.escalated", case, escalated_to=target)
    return target
