"""A case's timeline: its entries (replies, notes, steps, changes) and what the sweep
did about its deadlines, in order — written by ``entry_add`` alone, read by ``timeline``.

The sweep records each warning and breach once, as a ``DeadlineAction``; the timeline
words it when shown, in the reader's language, rather than storing a second row of
text in whatever language the worker ran in.
"""

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.core.exceptions import FieldDoesNotExist
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from manyi.cases.models import (
    Case,
    CaseEntry,
    CaseKind,
    CaseStatus,
    CompensationStatus,
    ComplainantType,
    Deadline,
    DeadlineAction,
    EntryKind,
    Severity,
    Step,
)
from manyi.customers.models import Tier

# Entries keep codes (the language of whoever reads them is not known when written);
# the timeline words them for its reader.
FIELDS = {
    "crisis": _("crisis"),
    "compensation": _("compensation"),
    "escalation_level": _("escalation level"),
}
WORDS = {
    "status": CaseStatus,
    "severity": Severity,
    "kind": CaseKind,
    "step": Step,
    "tier": Tier,
    "compensation": CompensationStatus,
    "complainant_type": ComplainantType,
}


def entry_add(
    case: Case,
    kind: str,
    actor: Any = None,
    body: str = "",
    *,
    step: str = "",
    changes: dict[str, Any] | None = None,
) -> CaseEntry:
    """Write one line of the case's timeline (inside the caller's transaction); a
    system's action (the sweep, a survey, the public form) has no author."""
    return CaseEntry.objects.create(
        case=case,
        kind=kind,
        author=actor if getattr(actor, "is_authenticated", False) else None,
        body=body,
        step=step,
        changes=changes or {},
    )


def worded(changes: dict[str, Any]) -> list[tuple[str, str, str]]:
    """A change record as words: the field's name and each value's label ("Status: In
    hand → Resolved"), never a column name or a code."""
    lines = []
    for name, values in changes.items():
        pair = isinstance(values, list) and len(values) == 2
        old, new = values if pair else (None, values)
        lines.append((_field_label(name), _value_label(name, old), _value_label(name, new)))
    return lines


def _field_label(name: str) -> str:
    if name in FIELDS:
        return str(FIELDS[name])
    try:
        return str(Case._meta.get_field(name).verbose_name).capitalize()
    except FieldDoesNotExist:  # a field since removed: its name is all there is
        return name


def _value_label(name: str, value: Any) -> str:
    if value in (None, ""):
        return "—"
    if isinstance(value, bool):
        return str(_("Yes") if value else _("No"))
    choices = WORDS.get(name)
    if choices is not None and str(value) in choices.values:
        return str(choices(str(value)).label)
    return str(value)


WARNING_TEXT = _("%(deadline)s due at %(due)s: only a fifth of the time is left.")
BREACH_TEXT = _("%(deadline)s overdue since %(due)s: escalated to %(unit)s.")


def action_text(template: str, deadline: str, due_at: datetime, unit: Any = None) -> str:
    """The words for a warning or a breach (``template`` already in the reader's language)."""
    due = f"{timezone.localtime(due_at):%Y-%m-%d %H:%M}"
    return template % {"deadline": Deadline(deadline).label, "due": due, "unit": unit}


@dataclass
class Line:
    at: datetime
    kind: str  # an EntryKind value: it colours the line
    kind_label: str
    body: str = ""
    step_label: str = ""
    author: Any = None
    changes: list[tuple[str, str, str]] = field(default_factory=list)  # what, from, to
    delivery: str = ""  # how a reply reached the customer, or why it did not


def _delivery(entry: CaseEntry) -> str:
    """A reply's way to the customer, as ``cases.replies.reply_send`` noted it."""
    if entry.kind != EntryKind.REPLY or "sent" not in entry.changes:
        return ""
    channel = entry.changes["sent"]
    if channel == "email":
        return str(_("Sent to the customer by e-mail"))
    if channel:
        return str(_("Sent to the customer by SMS"))
    return str(_("Not sent: the customer has no contact that may be used"))


def timeline(case: Case) -> list[Line]:
    lines = [
        Line(
            at=entry.created_at,
            kind=entry.kind,
            kind_label=entry.get_kind_display(),
            body=entry.body,
            step_label=entry.get_step_display() if entry.step else "",
            author=entry.author,
            changes=[] if entry.kind == EntryKind.REPLY else worded(entry.changes),
            delivery=_delivery(entry),
        )
        for entry in case.entries.select_related("author")
    ]
    warning, breach = str(WARNING_TEXT), str(BREACH_TEXT)
    for action in case.deadline_actions.select_related("escalated_to"):
        if action.action == DeadlineAction.Action.WARNING:
            kind, text = EntryKind.WARNING, action_text(warning, action.deadline, action.due_at)
        else:
            kind = EntryKind.ESCALATION
            unit = action.escalated_to or "—"
            text = action_text(breach, action.deadline, action.due_at, unit)
        lines.append(Line(at=action.created_at, kind=kind, kind_label=kind.label, body=text))
    lines.sort(key=lambda line: line.at)  # stable: entries before actions of the same moment
    return lines
