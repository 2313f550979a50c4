"""Every change to surveys: questionnaires, programmes, invitations, responses."""

from manyi.surveys.services.invitations import (
    InvitationClosed,
    invitation_create,
    invitation_open,
    invitation_opt_out,
    invitations_remind_and_expire,
    invitations_trigger,
)
from manyi.surveys.services.programmes import ProgrammeError, programme_create, wave_for
from manyi.surveys.services.questionnaires import (
    DESIGN_ROLES,
    QuestionnaireError,
    draft_problems,
    has_unpublished_changes,
    questionnaire_create,
    questionnaire_publish,
    questionnaire_update_draft,
    template_codes,
    template_load,
)
from manyi.surveys.services.responses import (
    VersionChanged,
    alerts_check,
    response_save_progress,
    response_submit,
)

__all__ = [
    "DESIGN_ROLES",
    "InvitationClosed",
    "ProgrammeError",
    "QuestionnaireError",
    "VersionChanged",
    "alerts_check",
    "draft_problems",
    "has_unpublished_changes",
    "invitation_create",
    "invitation_open",
    "invitation_opt_out",
    "invitations_remind_and_expire",
    "invitations_trigger",
    "programme_create",
    "questionnaire_create",
    "questionnaire_publish",
    "questionnaire_update_draft",
    "response_save_progress",
    "response_submit",
    "template_codes",
    "template_load",
    "wave_for",
]
