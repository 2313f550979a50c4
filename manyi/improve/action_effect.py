"""An action's effect on its figure, measured honestly: the windows, the comparable
units and the verdict.

The before window is the ``WINDOW`` whole months ending the month *before* the one that
triggered the action — a store picked after a bad month recovers by itself (regression
to the mean) and that recovery is not the action's. The after window is the whole
months since the action was done, up to the last whole month, ``WINDOW`` at most. The
comparable units are the unit's siblings (the stores of its region) with no action on
the same figure over those months; with fewer than ``PLACEBOS_NEEDED`` of them, every
unit of its level in the network without one.
"""

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext

from manyi.improve.effect import Effect, effect_of
from manyi.improve.models import ActionPlan, ActionStatus
from manyi.org.models import Unit

WINDOW = 6  # months before and after, at most
PLACEBOS_NEEDED = 5


def month_add(month: date, months: int) -> date:
    index = month.year * 12 + month.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


@dataclass(frozen=True)
class ActionEffect:
    plan: ActionPlan
    before: list[date]
    after: list[date]
    comparison: list[Unit]
    effect: Effect | None
    # Why there is no estimate yet: "no_figure", "not_done", "no_after" (no whole month
    # since it was done), "no_answers" (a side has no answers in a window).
    pending: str = ""

    @property
    def credited(self) -> bool:
        """Whether the action moved its figure: beyond what the comparable units did
        by themselves (their placebo estimates' 5–95 % range), on the side it aimed."""
        return bool(self.effect and self.effect.verdict and self.effect.verdict.credited)


def windows(plan: ActionPlan, today: date) -> tuple[list[date], list[date]]:
    """The before and after months of ``plan`` (the after ones only once it is done)."""
    trigger = plan.trigger_month or timezone.localdate(plan.created_at).replace(day=1)
    before = [month_add(trigger, -k) for k in range(WINDOW, 0, -1)]
    if plan.status != ActionStatus.DONE or plan.done_at is None:
        return before, []
    first = month_add(timezone.localdate(plan.done_at).replace(day=1), 1)
    last = month_add(today.replace(day=1), -1)
    after = []
    while first <= last and len(after) < WINDOW:
        after.append(first)
        first = month_add(first, 1)
    return before, after


def comparable_units(plan: ActionPlan, span: tuple[date, date]) -> list[Unit]:
    """Units of the action's level with no action on the same figure over ``span``: its
    siblings, or the whole network's when the siblings are too few to judge by."""
    start, end = span
    busy = (
        ActionPlan.objects.filter(programme_id=plan.programme_id, variable=plan.variable)
        .exclude(status=ActionStatus.CANCELLED)
        .filter(Q(done_at__isnull=True) | Q(done_at__date__gte=start))
        .filter(created_at__date__lt=month_add(end, 1))
        .values("unit_id")
    )
    peers = Unit.objects.filter(level=plan.unit.level, is_active=True).exclude(pk=plan.unit_id)
    peers = peers.exclude(pk__in=busy).order_by("path")
    siblings = list(peers.filter(parent_id=plan.unit.parent_id))
    return siblings if len(siblings) >= PLACEBOS_NEEDED else list(peers)


def action_effect(
    plan: ActionPlan, *, today: date | None = None, monthly: bool = True
) -> ActionEffect:
    """The difference in differences of ``plan``'s unit against its comparable units,
    from the months before the trigger to the months since it was done, with the
    placebo check — or why it cannot be measured yet."""
    today = today or timezone.localdate()
    before, after = windows(plan, today)
    if not plan.variable or plan.programme is None:
        return ActionEffect(plan, before, after, [], None, "no_figure")
    if plan.status != ActionStatus.DONE:
        return ActionEffect(plan, before, after, [], None, "not_done")
    if not after:
        return ActionEffect(plan, before, after, [], None, "no_after")
    comparison = comparable_units(plan, (before[0], after[-1]))
    wanted = -1.0 if plan.expected_change is not None and plan.expected_change < 0 else 1.0
    try:
        found = effect_of(
            version_id=plan.programme.version_id, variable=plan.variable,
            treated=[plan.unit_id], comparison=[unit.pk for unit in comparison],
            before=before, after=after, wanted=wanted, monthly=monthly,
        )  # fmt: skip
    except ValueError:  # the figure left the questionnaire, or a side has no answers
        return ActionEffect(plan, before, after, comparison, None, "no_answers")
    return ActionEffect(plan, before, after, comparison, found)


def chart_data(found: ActionEffect) -> dict[str, Any]:
    """What the action's two charts draw: each comparable unit's placebo estimate with
    their 5–95 % band and the action's own estimate; the monthly means of the unit and
    of the comparable units from the first before month to the last after month."""
    effect = found.effect
    if effect is None:
        return {}
    names = {unit.pk: str(unit) for unit in found.comparison}
    verdict = effect.verdict
    months = [month for month, _unit, _others in effect.trend]

    def rounded(value: float | None) -> float | None:
        return None if value is None else round(value, 1)

    return {
        "placebos": [
            {"name": names.get(unit, str(unit)), "value": round(estimate, 1)}
            for unit, estimate in effect.placebos
        ],
        "estimate": round(effect.result.estimate, 1),
        "band": [round(verdict.low, 1), round(verdict.high, 1)] if verdict else None,
        "months": [f"{m:%Y-%m}" for m in months],
        "unit": [rounded(unit) for _month, unit, _others in effect.trend],
        "others": [rounded(others) for _month, _unit, others in effect.trend],
        "before": [f"{found.before[0]:%Y-%m}", f"{found.before[-1]:%Y-%m}"],
        "after": [f"{found.after[0]:%Y-%m}", f"{found.after[-1]:%Y-%m}"],
        "labels": {
            "unit": str(found.plan.unit),
            "others": gettext("Comparable units"),
            "placebo": gettext("Comparable unit, no action"),
            "estimate": gettext("This action"),
            "band": gettext("5–95 % of the comparable units"),
            "before": gettext("Before"),
            "after": gettext("After"),
        },
    }
