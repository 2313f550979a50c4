"""A programme of actions: the same figure acted on at many units after the same month
(HQ rolls one improvement out to every weak store). With ``CLUSTERED_FROM`` units or
more, their joint effect is judged by the difference in differences against the
comparable units, its error clustered by unit (CR1) and its interval and p-value from
Student's t with one less degree of freedom than units — many units' month-to-month
shocks are then in the error itself, which one unit's placebo range stands in for.
"""

from dataclasses import dataclass
from datetime import date

from django.utils import timezone

from manyi.improve.action_effect import comparable_units, windows
from manyi.improve.effect import CLUSTERED_FROM, Effect, effect_of
from manyi.improve.models import ActionPlan, ActionStatus
from manyi.stats.did import clustered_inference

LEVEL = 0.05  # the two-sided level at which a programme is credited


@dataclass(frozen=True)
class ProgrammeEffect:
    plans: int  # finished actions in the programme
    units: int
    comparison: int
    before: list[date]
    after: list[date]
    effect: Effect
    ci_low: float
    ci_high: float
    p: float
    credited: bool


def programme_effect(plan: ActionPlan, *, today: date | None = None) -> ProgrammeEffect | None:
    """The joint effect of the finished actions on ``plan``'s figure triggered by the
    same month, when they were taken at enough units to cluster; else None. The after
    window starts when the last of them was done."""
    if plan.status != ActionStatus.DONE or not plan.variable or plan.trigger_month is None:
        return None
    peers = ActionPlan.objects.filter(
        status=ActionStatus.DONE, programme_id=plan.programme_id, variable=plan.variable,
        trigger_month=plan.trigger_month,
    ).select_related("programme", "unit")  # fmt: skip
    units = sorted({peer.unit_id for peer in peers})
    if len(units) < CLUSTERED_FROM:
        return None
    last = max(peers, key=lambda peer: peer.done_at)
    before, after = windows(last, today or timezone.localdate())
    if not after:
        return None
    _siblings, network = comparable_units(plan, (before[0], after[-1]))
    comparison = [unit.pk for unit in network if unit.pk not in units]
    wanted = -1.0 if plan.expected_change is not None and plan.expected_change < 0 else 1.0
    try:
        found = effect_of(
            version_id=plan.programme.version_id, variable=plan.variable, treated=units,
            comparison=comparison, before=before, after=after, wanted=wanted, monthly=False,
        )  # fmt: skip
    except ValueError:  # a side has no answers in a window
        return None
    low, high, p = clustered_inference(found.result)
    credited = p < LEVEL and found.result.estimate * wanted > 0
    return ProgrammeEffect(
        len(peers), len(units), len(comparison), before, after, found, low, high, p, credited
    )
