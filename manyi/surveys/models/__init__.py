"""The surveys app's models, one module per concept."""

from manyi.surveys.models.integrity import IntegrityFlag, IntegrityPolicy
from manyi.surveys.models.invitations import (
    CallAttempt,
    CallOutcome,
    Channel,
    Invitation,
    InvitationStatus,
    OpenLink,
)
from manyi.surveys.models.programmes import (
    AlertRule,
    AlertRuleKind,
    Programme,
    Sampling,
    Trigger,
    Wave,
)
from manyi.surveys.models.questionnaires import Questionnaire, QuestionnaireVersion
from manyi.surveys.models.responses import Alert, AlertStatus, NpsClass, Response

__all__ = [
    "Alert",
    "AlertRule",
    "AlertRuleKind",
    "AlertStatus",
    "CallAttempt",
    "CallOutcome",
    "Channel",
    "IntegrityFlag",
    "IntegrityPolicy",
    "Invitation",
    "InvitationStatus",
    "NpsClass",
    "OpenLink",
    "Programme",
    "Questionnaire",
    "QuestionnaireVersion",
    "Response",
    "Sampling",
    "Trigger",
    "Wave",
]
