"""The personal data of invitations and responses: what the customer wrote in their own
words, and what a half-answered form and a phone call left behind. Ratings stay: they
name no one, and every figure is made of them."""

from datetime import datetime

from django.db import transaction
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from manyi.privacy.registry import Retention, Subject, declare, exempt
from manyi.surveys.models import InvitationStatus, QuestionnaireVersion, Response
from manyi.surveys.services.invitations import CLOSED
from manyi.surveys.versions import definition_of

BATCH = 1000


def _text_codes(version_id: int) -> list[str]:
    return [item.code for item in definition_of(version_id).items if item.type == "text"]


def _strip_text(rows: QuerySet) -> int:
    """Drop the free-text answers of ``rows``, keeping every scored one."""
    changed = 0
    for version_id in rows.order_by().values_list("version_id", flat=True).distinct():
        codes = _text_codes(version_id)
        if not codes:
            continue
        with_text = rows.filter(version_id=version_id, answers__has_any_keys=codes)
        while batch := list(with_text.only("pk", "answers")[:BATCH]):
            for response in batch:
                response.answers = {
                    code: value for code, value in response.answers.items() if code not in codes
                }
            Response.objects.bulk_update(batch, ["answers"])
            changed += len(batch)
    return changed


def answers_erase(rows: QuerySet, subject: Subject) -> int:
    return _strip_text(rows)


def answers_purge(cutoff: datetime) -> int:
    versions = QuestionnaireVersion.objects.values_list("pk", flat=True)
    changed = 0
    for version_id in versions:  # a transaction per version keeps each lock short
        with transaction.atomic():
            changed += _strip_text(
                Response.objects.filter(version_id=version_id, submitted_at__lt=cutoff)
            )
    return changed


declare(
    "surveys.Response",
    "answers",
    label=_("Survey answers: the comments in their own words (the ratings stay, anonymous)"),
    path="customer",
    erase=answers_erase,
    retention=Retention.FREE_TEXT,
    purge=answers_purge,
    exported=("submitted_at", "unit_id", "channel", "index", "nps", "overall"),
)


def invitations_erase(rows: QuerySet, subject: Subject) -> int:
    """Blank them; a link not yet answered answers nothing more."""
    rows.exclude(status__in=CLOSED).update(status=InvitationStatus.EXPIRED)
    return rows.exclude(progress={}, device="").update(progress={}, device="")


declare(
    "surveys.Invitation",
    "progress",
    "device",
    label=_("Survey invitations: a half-answered form, the device it was opened on"),
    path="customer",
    erase=invitations_erase,
    retention=Retention.FREE_TEXT,
    dated_by="created_at",
    exported=("programme_id", "channel", "status", "created_at", "completed_at"),
)
declare(
    "surveys.CallAttempt",
    "note",
    label=_("Notes of survey calls"),
    path="invitation__customer",
    retention=Retention.FREE_TEXT,
    dated_by="created_at",
    exported=("outcome", "created_at"),
)
exempt("surveys.Alert", "reason", why="item codes, scores and the rule's own keywords")
exempt("surveys.AlertRule", "keywords", why="words the programme watches for")
for model in ("surveys.Programme", "surveys.Questionnaire", "surveys.Wave"):
    exempt(model, "name", why="the name of a survey the network runs")
