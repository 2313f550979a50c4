"""Improvement (服务提升): targets, action plans, service standards."""

from manyi.improve.models.actions import (
    ON_TIME,
    ActionDeadline,
    ActionNote,
    ActionPlan,
    ActionSource,
    ActionStatus,
    ActionTask,
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
    "FixPolicy",
    "ServiceStep",
    "Standard",
    "StandardClass",
    "StandardKind",
    "StandardVersion",
    "Target",
]
