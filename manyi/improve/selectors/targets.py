"""Reads of targets and how far each unit is from its own, within what the reader sees."""

import contextlib
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import QuerySet
from django.utils.translation import get_language, gettext, gettext_lazy

from manyi.analytics.cells import variables
from manyi.analytics.periods import months_from
from manyi.analytics.selectors import unit_summaries
from manyi.improve.models import Standard, Target
from manyi.org.models import Unit
from manyi.org.selectors import visible_unit_filter
from manyi.surveys.versions import definition_of

SHOWN_TARGETS = 6  # target lines an analytics page shows at most


def target_list(user: Any) -> QuerySet[Target]:
    return Target.objects.filter(visible_unit_filter(user)).select_related(
        "unit", "programme", "set_by"
    )


@dataclass(frozen=True)
class TargetProgress:
    target: Target
    figure: float | None  # the mean over the months gone so far
    n: int
    min_n: int
    months: int  # of the period gone so far

    @property
    def distance(self) -> float | None:
        return None if self.figure is None else self.figure - float(self.target.value)

    @property
    def shortfall(self) -> float | None:
        """How far below the target the figure is (never negative)."""
        return None if self.distance is None else max(-self.distance, 0.0)

    @property
    def met(self) -> bool | None:
        """Whether the figure reaches the target — None with fewer answers than the
        programme's minimum n: too few to tell."""
        if self.figure is None or self.n < self.min_n:
            return None
        return self.figure >= float(self.target.value)


def target_progress(target: Target, *, today: date) -> TargetProgress:
    """The figure of the target's unit over the months of its period up to this one."""
    return targets_progress([target], today=today)[0]


def targets_progress(targets: list[Target], *, today: date) -> list[TargetProgress]:
    """``target_progress`` of many targets, with one rollup read for all the targets that
    share a questionnaire version and months (a home card reads dozens)."""
    periods = {
        target.pk: months_from(target.since, min(target.until, today.replace(day=1)))
        for target in targets
    }
    groups: dict[tuple, set[int]] = {}
    for target in targets:
        key = (target.programme.version_id, tuple(periods[target.pk]))
        groups.setdefault(key, set()).add(target.unit_id)
    sums = {
        key: unit_summaries(version_id=key[0], months=list(key[1]), unit_ids=sorted(units))
        for key, units in groups.items()
        if key[1]
    }
    progress = []
    for target in targets:
        months = periods[target.pk]
        version_id = target.programme.version_id
        names = variables(definition_of(version_id))
        figure, n = None, 0
        # A programme moved to a questionnaire without the figure has nothing to show.
        if months and target.variable in names:
            cells = sums[version_id, tuple(months)][target.unit_id]
            n, total, _squares = cells[:, names.index(target.variable)]
            figure = float(total / n) if n else None
        progress.append(
            TargetProgress(target, figure, int(n), target.programme.min_n_unit, len(months))
        )
    return progress


def figure_choices(version_id: int, language: str) -> list[tuple[str, str]]:
    """The figures of a questionnaire a target or an action can aim at, named in the
    reader's language: the index, NPS, each factor and each rated item."""
    definition = definition_of(version_id)
    names = variables(definition)
    choices = [("@index", gettext("Index")), ("@nps", gettext("NPS"))]
    choices += [
        (f"factor:{factor.code}", factor.name.get(language))
        for factor in definition.factors
        if f"factor:{factor.code}" in names
    ]
    choices += [
        (item.code, f"{item.code} · {item.text.get(language)}")
        for item in definition.items
        if item.code in names
    ]
    return choices


def figure_bounds(variable: str) -> tuple[float, float]:
    """The scale a figure lives on: NPS from −100 to 100, a SERVQUAL gap from −1,000 to
    1,000, the index, a factor or an item score from 0 to 1,000."""
    if variable == "@nps":
        return -100.0, 100.0
    if variable.startswith("gap:"):
        return -1000.0, 1000.0
    return 0.0, 1000.0


def figure_label(version_id: int, variable: str, language: str) -> str:
    return dict(figure_choices(version_id, language)).get(variable, variable)


def running_targets(
    user: Any, *, programme: Any, unit: Unit | None, first: date, last: date, today: date
) -> list[tuple[TargetProgress, str]]:
    """The targets of ``unit`` (the network's: the top unit's) on ``programme``'s figures
    whose period overlaps ``first``–``last``, each with its progress and its name: the
    target lines every analytics page shows."""
    if unit is None:
        unit = Unit.objects.filter(parent=None).order_by("pk").first()
    found = (
        target_list(user)
        .filter(programme=programme, unit=unit, since__lte=last, until__gte=first.replace(day=1))
        .order_by("variable", "since")[:SHOWN_TARGETS]
    )
    language = get_language() or "zh-hans"
    return [
        (target_progress(target, today=today),
         figure_label(programme.version_id, target.variable, language))
        for target in found
    ]  # fmt: skip


EVIDENCE = {
    "month": gettext_lazy("Month"),
    "variable": gettext_lazy("Figure"),
    "figure": gettext_lazy("Figure"),
    "gap": gettext_lazy("Gap to network"),
    "importance": gettext_lazy("Importance"),
    "cause": gettext_lazy("Cause"),
    "cases": gettext_lazy("Cases"),
    "inspection": gettext_lazy("Inspection"),
    "standard": gettext_lazy("Standard"),
    "version": gettext_lazy("Version of the standard"),
    "carried_out": gettext_lazy("Carried out"),
    "note": gettext_lazy("Note"),
}
HIDDEN = {"unit", "programme", "source"}  # shown elsewhere on the action


def evidence_rows(plan: Any, language: str) -> list[tuple[str, str]]:
    """An action's evidence in words: each known entry named, a figure by its name, an
    importance as a share."""
    rows = []
    for key, value in plan.evidence.items():
        if key in HIDDEN:
            continue
        text = str(value)
        if key in ("variable", "figure") and plan.programme_id:
            text = figure_label(plan.programme.version_id, text, language)
        elif key == "standard":
            found = Standard.objects.filter(code=text).prefetch_related("versions").first()
            text = found.versions.all()[0].title if found else text
        elif key == "inspection":
            text = f"#{text}"
        elif key == "importance":
            with contextlib.suppress(TypeError, ValueError):
                text = f"{float(value) * 100:.0f} %"
        rows.append((str(EVIDENCE.get(key, key)), text))
    return rows
