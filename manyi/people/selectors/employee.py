"""Reads of employee satisfaction, never of fewer than the survey's smallest group.

Groups are the network, its regions and its stores (a department's answers count with
its store). A group is hidden when it has fewer answers than the smallest group, and
more are hidden until no difference of shown groups can reveal fewer: under every shown
group, the hidden ones — and the answers of the group's own unit, outside its children
— together hold none or at least the smallest group (complementary suppression). It is
decided over the whole network, whoever reads, so no two readers' views combine into
what neither may see.
"""

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from django.db.models import QuerySet

from manyi.analytics import cells
from manyi.analytics.periods import month_shift, months_from
from manyi.analytics.reports.csi import INDEX
from manyi.analytics.selectors import unit_summaries
from manyi.org.models import Unit, UnitLevel
from manyi.org.selectors import visible_units
from manyi.people.models import EmployeeAnswer, EmployeeSurvey
from manyi.people.selectors.training import coaching_programme
from manyi.stats.correlation import Correlation, pearson
from manyi.surveys.versions import definition_of


@dataclass
class Group:
    unit: Unit
    n: int = 0
    sums: dict[str, float] = field(default_factory=dict)  # "index", "factor:<code>"
    counts: dict[str, int] = field(default_factory=dict)
    shown: bool = False
    shown_figures: set[str] = field(default_factory=set)  # figures with enough answers

    def mean(self, key: str) -> float | None:
        """The figure's mean, or None when it is not shown (fewer answers to it than the
        threshold, here or by difference: an item skipped as not applicable)."""
        if not self.shown or key not in self.shown_figures or not self.counts.get(key):
            return None
        return self.sums[key] / self.counts[key]


def survey_list() -> QuerySet[EmployeeSurvey]:
    return EmployeeSurvey.objects.all()


def _levels() -> tuple[dict[int, Unit], dict[int, int | None]]:
    """Every HQ, region and store, and each one's parent among them."""
    units = {u.pk: u for u in Unit.objects.filter(
        level__in=(UnitLevel.HQ, UnitLevel.REGION, UnitLevel.STORE))}  # fmt: skip
    return units, {pk: unit.parent_id if unit.parent_id in units else None
                   for pk, unit in units.items()}  # fmt: skip


def hidden_groups(n: dict[int, int], parents: dict[int, int | None], k: int) -> set[int]:
    """The groups to hide: those with fewer than ``k`` answers; then, for every shown
    group, while the answers its largest shown descendants do not cover number from 1
    to ``k`` − 1 (a difference of shown figures would give them), the smallest of those
    descendants is hidden with everything under it."""
    children: dict[int, list[int]] = {}
    for unit, parent in parents.items():
        if parent is not None:
            children.setdefault(parent, []).append(unit)

    def subtree(unit: int) -> list[int]:
        found = [unit]
        for kid in children.get(unit, []):
            found += subtree(kid)
        return found

    def covering(unit: int) -> list[int]:
        """The shown descendants of ``unit`` with no shown group between."""
        found = []
        for kid in children.get(unit, []):
            if not n.get(kid):
                continue
            found += [kid] if kid not in hidden else covering(kid)
        return found

    hidden = {unit for unit in parents if 0 < n.get(unit, 0) < k}
    changed = True
    while changed:
        changed = False
        for unit in parents:
            if unit in hidden or not n.get(unit):
                continue
            cover = covering(unit)
            left = n[unit] - sum(n[kid] for kid in cover)
            if 0 < left < k and cover:
                smallest = min(cover, key=lambda kid: (n[kid], kid))
                hidden.update(kid for kid in subtree(smallest) if n.get(kid))
                changed = True
    return hidden


def _lines() -> dict[int, list[int]]:
    """Every unit's line from the top: its ancestors' ids and its own."""
    return {
        pk: [int(part) for part in path.strip("/").split("/") if part]
        for pk, path in Unit.objects.values_list("pk", "path")
    }


def survey_groups(survey: EmployeeSurvey) -> dict[int, Group]:
    """Every group of the network with its sums, and whether it may be shown."""
    units, parents = _levels()
    line_of = _lines()
    groups = {pk: Group(unit) for pk, unit in units.items()}
    for unit_id, scores in EmployeeAnswer.objects.filter(survey=survey).values_list(
        "unit_id", "scores"
    ):
        figures = {"index": scores.get("index")}
        figures |= {f"factor:{code}": value for code, value in scores.get("factors", {}).items()}
        for pk in line_of.get(unit_id, []):
            group = groups.get(pk)
            if group is None:
                continue
            group.n += 1
            for key, value in figures.items():
                if value is not None:
                    group.sums[key] = group.sums.get(key, 0.0) + value
                    group.counts[key] = group.counts.get(key, 0) + 1
    k = survey.min_group
    hidden = hidden_groups({pk: g.n for pk, g in groups.items()}, parents, k)
    for pk, group in groups.items():
        group.shown = group.n >= k and pk not in hidden
    for key in {key for group in groups.values() for key in group.counts}:
        counts = {pk: group.counts.get(key, 0) for pk, group in groups.items()}
        apart = hidden_groups(counts, parents, k) | hidden
        for pk, group in groups.items():
            if counts[pk] >= k and pk not in apart:
                group.shown_figures.add(key)
    return groups


def survey_results(
    user: Any, survey: EmployeeSurvey, groups: dict[int, Group] | None = None
) -> list[Group]:
    """The groups of the user's part, in the tree's order (HQ sees the network's total
    first), shown ones with their figures; nothing until the survey has closed."""
    if not survey.is_closed:
        return []
    groups = groups or survey_groups(survey)
    mine = set(visible_units(user).values_list("pk", flat=True))
    return sorted((g for pk, g in groups.items() if pk in mine), key=lambda g: g.unit.path)


def survey_comments(
    user: Any, survey: EmployeeSurvey, *, limit: int = 200,
    groups: dict[int, Group] | None = None,
) -> list[tuple[str, int]]:  # fmt: skip
    """The free text of the answers of shown stores of the user's part, with no unit or
    day: the same words counted together, the most said first, then in the order of
    the words (never of their arrival). Nothing until the survey has closed."""
    if not survey.is_closed:
        return []
    groups = groups or survey_groups(survey)
    mine = set(visible_units(user).values_list("pk", flat=True))
    definition = definition_of(survey.version_id)
    codes = [item.code for item in definition.items if item.type == "text"]
    shown_stores = {pk for pk, g in groups.items() if g.shown and pk in mine
                    and g.unit.level == UnitLevel.STORE}  # fmt: skip
    texts, line_of = [], _lines()
    for unit_id, answers in EmployeeAnswer.objects.filter(survey=survey).values_list(
        "unit_id", "answers"
    ):
        if shown_stores & set(line_of.get(unit_id, [])):
            texts += [str(answers[code]) for code in codes if answers.get(code)]
    counted = Counter(text.strip() for text in texts if text.strip())
    return sorted(counted.items(), key=lambda pair: (-pair[1], pair[0]))[:limit]


@dataclass
class ThreeS:
    points: list[tuple[Unit, float, float, int]]  # store, employee index, CSI, answers
    correlation: Correlation | None
    csi_label: str
    fit: list[tuple[float, float]] = field(default_factory=list)  # least squares, two ends


def three_s(user: Any, survey: EmployeeSurvey) -> ThreeS:
    """Employee satisfaction beside customer satisfaction per shown store of the user's
    part — the customers' index over the three months up to the survey's close — and
    Pearson's r with its Fisher-z interval. Nothing until the survey has closed."""
    if not survey.is_closed:
        return ThreeS([], None, "")
    groups = survey_groups(survey)
    mine = set(visible_units(user).values_list("pk", flat=True))
    stores = {pk: g for pk, g in groups.items()
              if g.shown and pk in mine and g.unit.level == UnitLevel.STORE}  # fmt: skip
    programme = coaching_programme()
    if programme is None or not stores:
        return ThreeS([], None, "")
    names = cells.variables(definition_of(programme.version_id))
    column = names.index(INDEX)
    last = survey.closes_on.replace(day=1)
    months = months_from(month_shift(last, -2), last)
    sums = unit_summaries(version_id=programme.version_id, months=months, unit_ids=list(stores))
    points = [
        (group.unit, group.mean("index"), float(sums[pk][1, column] / sums[pk][0, column]),
         group.n)
        for pk, group in stores.items()
        if sums[pk][0, column] and group.mean("index") is not None
    ]  # fmt: skip
    correlation = None
    if len(points) >= 4:
        try:
            correlation = pearson(np.array([p[1] for p in points]),
                                  np.array([p[2] for p in points]))  # fmt: skip
        except ValueError:
            correlation = None
    xs = [es for _unit, es, _cs, _n in points]
    fit = []
    if len(set(xs)) > 1:
        slope, intercept = np.polyfit(xs, [cs for _u, _es, cs, _n in points], 1)
        fit = [(x, float(slope * x + intercept)) for x in (min(xs), max(xs))]
    return ThreeS(points, correlation, str(programme), fit)
