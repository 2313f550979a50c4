"""People (人员): scorecards, points, training and employee satisfaction."""

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

__all__ = [
    "MeasureKind",
    "PeriodKind",
    "PeriodStatus",
    "PeriodVersion",
    "Scorecard",
    "ScorecardLine",
    "ScorecardMeasure",
    "ScorecardPeriod",
    "ScorecardTemplate",
    "Subject",
]
