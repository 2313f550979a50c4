"""Improvement (服务提升): targets, action plans, service standards and checks."""

from manyi.improve.models.actions import (
    ON_TIME,
    ActionDeadline,
    ActionNote,
    ActionPlan,
    ActionSource,
    ActionStatus,
    ActionTask,
)
from manyi.improve.models.checks import (
    Checklist,
    ChecklistItem,
    Competitor,
    Inspection,
    InspectionAnswer,
    InspectionKind,
    InspectionStatus,
    SurpriseDraw,
)
from manyi.improve.models.fixes import FixPolicy
from manyi.improve.models.standards import (
    ServiceStep,
    Standard,
    StandardClass,
    StandardKind,
    StandardVersion,
)
from manyi.improve.models.targets import Target

__all__ = [
    "ON_TIME",
    "ActionDeadline",
    "ActionNote",
    "ActionPlan",
    "ActionSource",
    "ActionStatus",
    "ActionTask",
    "Checklist",
    "ChecklistItem",
    "Competitor",
    "FixPolicy",
    "Inspection",
    "InspectionAnswer",
    "InspectionKind",
    "InspectionStatus",
    "ServiceStep",
    "Standard",
    "StandardClass",
    "StandardKind",
    "StandardVersion",
    "SurpriseDraw",
    "Target",
]
