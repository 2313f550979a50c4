"""People (人员): scorecards, points, training and employee satisfaction."""

from manyi.people.models.employee import (
    MIN_GROUP_FLOOR,
    EmployeeAnswer,
    EmployeeInvitation,
    EmployeeSurvey,
)
from manyi.people.models.points import (
    DEFAULT_RULES,
    AwardCategory,
    Nomination,
    NominationStatus,
    PointEntry,
    PointKind,
    PointRule,
)
from manyi.people.models.scorecards import (
    MeasureKind,
    PeriodKind,
    PeriodStatus,
    PeriodVersion,
    Scorecard,
    ScorecardLine,
    ScorecardMeasure,
    ScorecardPeriod,
    ScorecardTemplate,
    Subject,
)
from manyi.people.models.training import (
    OPEN_TRAINING,
    Course,
    TrainingAssignment,
    TrainingStatus,
)

__all__ = [
    "DEFAULT_RULES",
    "MIN_GROUP_FLOOR",
    "OPEN_TRAINING",
    "AwardCategory",
    "Course",
    "EmployeeAnswer",
    "EmployeeInvitation",
    "EmployeeSurvey",
    "MeasureKind",
    "Nomination",
    "NominationStatus",
    "PeriodKind",
    "PeriodStatus",
    "PeriodVersion",
    "PointEntry",
    "PointKind",
    "PointRule",
    "Scorecard",
    "ScorecardLine",
    "ScorecardMeasure",
    "ScorecardPeriod",
    "ScorecardTemplate",
    "Subject",
    "TrainingAssignment",
    "TrainingStatus",
]
