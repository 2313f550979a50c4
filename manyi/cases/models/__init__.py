"""The cases app's models, one module per concept."""

from manyi.cases.models.attachments import Attachment
from manyi.cases.models.calendars import (
    BusinessCalendar,
    CalendarDay,
    DayKind,
    SlaPolicy,
    WordOfMouth,
)
from manyi.cases.models.cases import (
    Case,
    CaseChannel,
    CaseEntry,
    CaseKind,
    CaseStatus,
    Cause,
    CauseSide,
    Deadline,
    DeadlineAction,
    DeadlineWatch,
    EntryKind,
    Pause,
    Severity,
    Step,
)
from manyi.cases.models.compensation import (
    ApprovalLimit,
    Compensation,
    CompensationKind,
    CompensationStatus,
)
from manyi.cases.models.crisis import (
    CRISIS_CHECKLIST,
    HANDLING_GUIDES,
    ComplainantType,
    CrisisPolicy,
)
from manyi.cases.models.resurvey import ResurveyChannel, ResurveySetting

__all__ = [
    "CRISIS_CHECKLIST",
    "HANDLING_GUIDES",
    "ApprovalLimit",
    "Attachment",
    "BusinessCalendar",
    "CalendarDay",
    "Case",
    "CaseChannel",
    "CaseEntry",
    "CaseKind",
    "CaseStatus",
    "Cause",
    "CauseSide",
    "Compensation",
    "CompensationKind",
    "CompensationStatus",
    "ComplainantType",
    "CrisisPolicy",
    "DayKind",
    "Deadline",
    "DeadlineAction",
    "DeadlineWatch",
    "EntryKind",
    "Pause",
    "ResurveyChannel",
    "ResurveySetting",
    "Severity",
    "SlaPolicy",
    "Step",
    "WordOfMouth",
]
