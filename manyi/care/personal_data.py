"""The personal data of care: notes of callbacks and win-back calls, and the churn-risk
profile. Callbacks, care messages and win-back tasks stay (without notes) for the
figures of care."""

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from manyi.care.models import CallbackStatus
from manyi.care.models.care import OPEN_STATUSES
from manyi.privacy.registry import Retention, Subject, declare, exempt


def callbacks_erase(rows: QuerySet, subject: Subject) -> int:
    """Nobody calls an erased customer: the open callbacks close."""
    return rows.filter(status__in=OPEN_STATUSES).update(
        status=CallbackStatus.DO_NOT_CALL, closed_at=timezone.now()
    )


declare(
    "care.Callback",
    label=_("Callbacks after visits"),
    path="customer",
    erase=callbacks_erase,
    exported=("event_id", "status", "reached_at", "closed_at"),
)
declare(
    "care.CallbackAttempt",
    "note",
    label=_("Notes of callbacks"),
    path="callback__customer",
    retention=Retention.FREE_TEXT,
    dated_by="created_at",
    exported=("callback_id", "outcome", "created_at"),
)
declare(
    "care.CareTouch",
    label=_("Care messages: reminders and greetings"),
    path="customer",
    exported=("rule_id", "due_on", "status"),
)
declare(
    "care.EventInvitation",
    label=_("Invitations to owner events"),
    path="customer",
    exported=("event_id", "status", "answered_at"),
)
declare(
    "care.ChurnRisk",
    "reasons",
    label=_("Churn risk and its reasons"),
    path="customer",
    erase="delete",
)
declare(
    "care.WinBack",
    label=_("Win-back tasks and the reason for loss"),
    path="customer",
    exported=("status", "reasons", "loss_reason", "opened_at", "closed_at", "came_back_at"),
)
declare(
    "care.WinBackCall",
    "note",
    label=_("Notes of win-back calls"),
    path="winback__customer",
    retention=Retention.FREE_TEXT,
    dated_by="created_at",
    exported=("winback_id", "outcome", "created_at"),
)
exempt("care.WinBack", "reasons", why="codes of the risk reasons, counted in the figures of loss")
exempt("care.CareTouch", "why_not", why="a code: why a care message was not sent")
exempt("care.ChurnRun", "params", why="the fitted model's parameters")
for model in ("care.CareRule", "care.OwnerEvent"):
    exempt(model, "name", why="the name of a care rule or an owner event")
