"""Every change to surveys: questionnaires, programmes, invitations, calls, responses."""

from manyi.surveys.services.calls import CallError, call_record
from manyi.surveys.services.invitations import (
    InvitationClosed,
    invitation_create,
    invitation_open,
    invitation_opt_out,
    invitations_remind_and_expire,
    invitations_trigger,
    open_link_url,
    survey_url,
)
from manyi.surveys.services.open_links import (
    DeviceLimitReached,
    open_link_create,
    open_link_start,
)
from manyi.surveys.services.programmes import (
    ProgrammeError,
    alert_rule_save,
    alert_rule_toggle,
    programme_create,
    programme_update,
    wave_for,
)
from manyi.surveys.services.questionnaires import (
    QuestionnaireError,
    draft_problems,
    has_unpublished_changes,
    questionnaire_create,
    questionnaire_draft_edit,
    questionnaire_publish,
    questionnaire_update_draft,
    template_codes,
    template_load,
)
from manyi.surveys.services.recorded import RecordError, invitation_for_event, response_record
from manyi.surveys.services.responses import (
    VersionChanged,
    alert_acknowledge,
    alerts_check,
    response_save_progress,
    response_submit,
)
from manyi.surveys.services.waves import WaveResult, wave_draw, wave_invite

__all__ = [
    "CallError",
    "DeviceLimitReached",
    "InvitationClosed",
    "ProgrammeError",
    "QuestionnaireError",
    "RecordError",
    "VersionChanged",
    "WaveResult",
    "alert_acknowledge",
    "alert_rule_save",
    "alert_rule_toggle",
    "alerts_check",
    "call_record",
    "draft_problems",
    "has_unpublished_changes",
    "invitation_create",
    "invitation_for_event",
    "invitation_open",
    "invitation_opt_out",
    "invitations_remind_and_expire",
    "invitations_trigger",
    "open_link_create",
    "open_link_start",
    "open_link_url",
    "programme_create",
    "programme_update",
    "questionnaire_create",
    "questionnaire_draft_edit",
    "questionnaire_publish",
    "questionnaire_update_draft",
    "response_record",
    "response_save_progress",
    "response_submit",
    "survey_url",
    "template_codes",
    "template_load",
    "wave_draw",
    "wave_for",
    "wave_invite",
]
