"""Questionnaires: create (blank or from a template), edit the draft, publish a version."""

import json
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from manyi.audit.services import audit_record
from manyi.errors import DomainError
from manyi.org.permissions import may_design_questionnaires
from manyi.surveys.builder import BuilderError
from manyi.surveys.definition import DefinitionError, parse
from manyi.surveys.models import Questionnaire, QuestionnaireVersion

LIBRARY = Path(__file__).resolve().parent.parent / "library"


class QuestionnaireError(DomainError):
    def __init__(self, message: str, problems: list[str] | None = None):
        super().__init__(message)
        self.problems = problems or []


def template_codes() -> list[str]:
    return sorted(path.stem for path in LIBRARY.glob("*.json"))


def template_load(code: str) -> dict[str, Any]:
    """The definition of a built-in template (a data file), read on demand."""
    if code not in template_codes():
        raise QuestionnaireError(_("There is no template %(code)s.") % {"code": code})
    return json.loads((LIBRARY / f"{code}.json").read_text(encoding="utf-8"))


def _check_designer(actor: Any) -> None:
    if actor is not None and not may_design_questionnaires(actor):
        raise QuestionnaireError(_("Only HQ may design questionnaires."))


@transaction.atomic
def questionnaire_create(*, actor: Any, code: str, name: str, template: str = "") -> Questionnaire:
    """Start a questionnaire, empty or as a copy of a built-in template's draft."""
    _check_designer(actor)
    if Questionnaire.objects.filter(code=code).exists():
        raise QuestionnaireError(
            _("A questionnaire with code %(code)s already exists.") % {"code": code}
        )
    draft = template_load(template) if template else {"items": []}
    questionnaire = Questionnaire.objects.create(
        code=code, name=name, template=template, draft=draft, created_by=actor
    )
    audit_record(
        actor=actor,
        action="questionnaire_create",
        obj=questionnaire,
        changes={"code": code, "template": template},
    )
    return questionnaire


def _draft_save(actor: Any, locked: Questionnaire, draft: dict[str, Any], edit: str) -> None:
    locked.draft = draft
    locked.draft_updated_at = timezone.now()
    locked.save(update_fields=["draft", "draft_updated_at"])
    audit_record(
        actor=actor, action="questionnaire_update_draft", obj=locked, changes={"edit": edit}
    )


@transaction.atomic
def questionnaire_update_draft(
    *,
    actor: Any,
    questionnaire: Questionnaire,
    draft: dict[str, Any],
    based_on: datetime | None = None,
) -> Questionnaire:
    """Replace the whole draft (it may be incomplete until it is published). ``based_on``
    is when the draft the designer edited was last saved: if someone saved it since,
    nothing is replaced, so nobody's change is lost."""
    _check_designer(actor)
    if not isinstance(draft, dict):
        raise QuestionnaireError(_("A draft must be a JSON object."))
    locked = Questionnaire.objects.select_for_update().get(pk=questionnaire.pk)
    if based_on is not None and locked.draft_updated_at != based_on:
        raise QuestionnaireError(
            _("Someone changed the draft since you opened it: reload it and edit again.")
        )
    _draft_save(actor, locked, draft, "whole draft")
    return locked


@transaction.atomic
def questionnaire_draft_edit(
    *, actor: Any, questionnaire: Questionnaire, edit: str, change: Callable[[dict], dict]
) -> Questionnaire:
    """Apply one builder operation (``builder.item_put`` and the like) to the draft as it
    is now, the row locked: two designers editing different items both keep theirs."""
    _check_designer(actor)
    locked = Questionnaire.objects.select_for_update().get(pk=questionnaire.pk)
    try:
        draft = change(locked.draft)
    except BuilderError as error:
        raise QuestionnaireError(str(error)) from error
    _draft_save(actor, locked, draft, edit)
    return locked


def draft_problems(questionnaire: Questionnaire) -> list[str]:
    """What stands between the draft and publishing; empty when it can be published."""
    try:
        parse(questionnaire.draft)
    except DefinitionError as error:
        return error.problems
    return []


def has_unpublished_changes(questionnaire: Questionnaire) -> bool:
    latest = questionnaire.latest_version()
    return latest is None or latest.definition != questionnaire.draft


@transaction.atomic
def questionnaire_publish(*, actor: Any, questionnaire: Questionnaire) -> QuestionnaireVersion:
    """Freeze the draft as the next version; responses will point to it for good."""
    _check_designer(actor)
    locked = Questionnaire.objects.select_for_update().get(pk=questionnaire.pk)
    problems = draft_problems(locked)
    if problems:
        raise QuestionnaireError(_("The draft cannot be published yet."), problems)
    if not has_unpublished_changes(locked):
        raise QuestionnaireError(_("The draft is the same as the latest version."))
    latest = locked.latest_version()
    version = QuestionnaireVersion.objects.create(
        questionnaire=locked,
        number=(latest.number if latest else 0) + 1,
        definition=locked.draft,
        published_by=actor,
    )
    audit_record(
        actor=actor,
        action="questionnaire_publish",
        obj=locked,
        changes={"version": version.number},
    )
    return version
