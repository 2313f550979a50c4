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

    def mean(self, key: str) -> float | None:
        return self.sums[key] / self.counts[key] if self.counts.get(key) else None


def survey_list() -> QuerySet[EmployeeSurvey]:
    return EmployeeSurvey.objects.all()


def _levels() -> tuple[dict[int, Unit], dict[int, int | None]]:
    """Every HQ, region and store, and each one's parent among them."""
    units = {u.pk: u for u in Unit.objects.filter(
        level__in=(UnitLevel.HQ, UnitLevel.REGION, UnitLevel.STORE))}  # fmt: skip
    return units, {pk: unit.parent_id if unit.parent_id in units else None
                   for pk, unit in units.items()}  # fmt: skip


def hidden_groups(n: dict[int, int], parents: dict[int, int | None], k: int) -> set[int]:
    """The groups to hide: fewer than ``k`` answers, and then the smallest shown sibling
    (or the parent) until, under every shown group, what is hidden — children and the
    group's own answers — holds none or at least ``k``."""
    children: dict[int, list[int]] = {}
    for unit, parent in parents.items():
        if parent is not None:
            children.setdefault(parent, []).append(unit)
    hidden = {unit for unit in parents if 0 < n.get(unit, 0) < k}
    changed = True
    while changed:
        changed = False
        for parent, kids in children.items():
            if parent in hidden or not n.get(parent):
                continue
            own = n[parent] - sum(n.get(kid, 0) for kid in kids)  # answers at the unit itself
            secret = own + sum(n.get(kid, 0) for kid in kids if kid in hidden)
            if 0 < secret < k:
                shown = sorted((kid for kid in kids if kid not in hidden and n.get(kid)),
                               key=lambda kid: (n[kid], kid))  # fmt: skip
                hidden.add(shown[0] if shown else parent)
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
    hidden = hidden_groups({pk: g.n for pk, g in groups.items()}, parents, survey.min_group)
    for pk, group in groups.items():
        group.shown = group.n >= survey.min_group and pk not in hidden
    return groups


def survey_results(user: Any, survey: EmployeeSurvey) -> list[Group]:
    """The groups the user may read — the network, and those of their part — shown
    ones with their figures, network first, then in the tree's order."""
    groups = survey_groups(survey)
    mine = set(visible_units(user).values_list("pk", flat=True))
    top = [g for g in groups.values() if g.unit.parent_id is None]
    return top + sorted((g for pk, g in groups.items() if pk in mine and g.unit.parent_id),
                        key=lambda g: g.unit.path)  # fmt: skip


def survey_comments(
    user: Any, survey: EmployeeSurvey, *, limit: int = 200
) -> list[tuple[str, int]]:
    """The free text of the answers of shown stores of the user's part, with no unit or
    day: the same words counted together, the most said first, then in the order of
    the words (never of their arrival)."""
    groups = survey_groups(survey)
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


@dataclass(frozen=True)
class ThreeS:
    points: list[tuple[Unit, float, float, int]]  # store, employee index, CSI, answers
    correlation: Correlation | None
    csi_label: str


def three_s(user: Any, survey: EmployeeSurvey) -> ThreeS:
    """Employee satisfaction beside customer satisfaction per shown store of the user's
    part — the customers' index over the three months up to the survey's close — and
    Pearson's r with its Fisher-z interval."""
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
    return ThreeS(points, correlation, str(programme))
