"""An action's effect on its figure, measured honestly: the windows, the comparable
units and the verdict.

The before window is the ``WINDOW`` whole months ending the month *before* the one that
triggered the action — a store picked after a bad month recovers by itself (regression
to the mean) and that recovery is not the action's. The after window is the whole
months since the action was done, up to the last whole month, ``WINDOW`` at most. The
comparable units are the unit's siblings (the stores of its region) with no action on
the same figure over those months, when enough of them answered for a verdict
(``MIN_PLACEBOS``); else every such unit of its level in the network.
"""

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext

from manyi.analytics.periods import month_shift
from manyi.improve.effect import Effect, effect_of
from manyi.improve.models import ActionPlan, ActionStatus
from manyi.org.models import Unit
from manyi.stats.did import MIN_PLACEBOS
from manyi.surveys.services.invitations import covered_units

WINDOW = 6  # months before and after, at most


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
    before = [month_shift(trigger, -k) for k in range(WINDOW, 0, -1)]
    if plan.status != ActionStatus.DONE or plan.done_at is None:
        return before, []
    first = month_shift(timezone.localdate(plan.done_at).replace(day=1), 1)
    last = month_shift(today.replace(day=1), -1)
    after = []
    while first <= last and len(after) < WINDOW:
        after.append(first)
        first = month_shift(first, 1)
    return before, after


def comparable_units(plan: ActionPlan, span: tuple[date, date]) -> tuple[list[Unit], list[Unit]]:
    """Units of the action's level that its programme covers, with no action on the same
    figure over ``span``: its siblings (the stores of its region), and the network's."""
    start, end = span
    busy = (
        ActionPlan.objects.filter(programme_id=plan.programme_id, variable=plan.variable)
        .exclude(status=ActionStatus.CANCELLED)
        .filter(Q(done_at__isnull=True) | Q(done_at__date__gte=start))
        .filter(created_at__date__lt=month_shift(end, 1))
        .values("unit_id")
    )
    peers = (
        Unit.objects.filter(level=plan.unit.level, is_active=True,
                            pk__in=covered_units(plan.programme))
        .exclude(pk=plan.unit_id)
        .exclude(pk__in=busy)
        .order_by("path")
    )  # fmt: skip
    return list(peers.filter(parent_id=plan.unit.parent_id)), list(peers)


def action_effect(
    plan: ActionPlan, *, today: date | None = None, monthly: bool = True
) -> ActionEffect:
    """The difference in differences of ``plan``'s unit against its comparable units,
    from the months before the trigger to the months since it was done, with the
    placebo check — or why it cannot be measured yet. The siblings are the comparable
    units when enough of them answered to judge; else the network's."""
    today = today or timezone.localdate()
    before, after = windows(plan, today)
    if not plan.variable or plan.programme is None:
        return ActionEffect(plan, before, after, [], None, "no_figure")
    if plan.status != ActionStatus.DONE:
        return ActionEffect(plan, before, after, [], None, "not_done")
    if not after:
        return ActionEffect(plan, before, after, [], None, "no_after")
    siblings, network = comparable_units(plan, (before[0], after[-1]))
    wanted = -1.0 if plan.expected_change is not None and plan.expected_change < 0 else 1.0
    found, comparison = None, network
    for comparison in [siblings, network] if len(siblings) >= MIN_PLACEBOS else [network]:
        try:
            found = effect_of(
                version_id=plan.programme.version_id, variable=plan.variable,
                treated=[plan.unit_id], comparison=[unit.pk for unit in comparison],
                before=before, after=after, wanted=wanted, monthly=monthly,
            )  # fmt: skip
        except ValueError:  # the figure left the questionnaire, or a side has no answers
            found = None
            continue
        if found.verdict is not None:
            break
    if found is None:
        return ActionEffect(plan, before, after, comparison, None, "no_answers")
    return ActionEffect(plan, before, after, comparison, found)


def chart_data(found: ActionEffect, *, visible: set[int]) -> dict[str, Any]:
    """What the action's two charts draw: each comparable unit's placebo estimate with
    their 5–95 % band and the action's own estimate; the monthly means of the unit and
    of the comparable units from the first before month to the last after month."""
    effect = found.effect
    if effect is None:
        return {}
    # A unit outside the reader's part is not named: it is one of the comparable units.
    names = {
        unit.pk: str(unit) if unit.pk in visible
        else gettext("Comparable unit %(n)s") % {"n": number}
        for number, unit in enumerate(found.comparison, start=1)
    }  # fmt: skip
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
