"""Points: each fact of a period that the rules count — a praise case, a breached
deadline, a repeat complaint, a failed standard, a target met or a top-fifth place on
the period's card — becomes one entry naming it, written with the period's cards (so a
closed period's points are locked with them), capped per person and rule."""

import math
from collections import defaultdict
from datetime import timedelta
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from manyi.audit.services import audit_record
from manyi.cases.reports import breach_facts, praise_facts, repeat_facts
from manyi.errors import DomainError
from manyi.improve.selectors.inspection_results import failed_answer_facts
from manyi.org.models import Staff
from manyi.org.permissions import may_set_scorecards
from manyi.org.selectors import store_managers
from manyi.people.measures import Window
from manyi.people.models import (
    DEFAULT_RULES,
    PointEntry,
    PointKind,
    PointRule,
    Scorecard,
    ScorecardLine,
    ScorecardPeriod,
    Subject,
)

TOP_FIFTH_FROM = 5  # ranked cards below which a "top fifth" means nothing
LATE = {"first_response": PointKind.FIRST_RESPONSE_LATE, "resolution": PointKind.RESOLUTION_LATE}


class PointRuleError(DomainError):
    """A point rule that cannot be set."""


def point_rules() -> dict[str, PointRule]:
    """The rules in force, the usual ones made on first use."""
    rules = {rule.kind: rule for rule in PointRule.objects.all()}
    for kind, (points, cap) in DEFAULT_RULES.items():
        if kind not in rules:
            rules[kind], _made = PointRule.objects.get_or_create(
                kind=kind, defaults={"points": points, "cap": cap}
            )
    return rules


@transaction.atomic
def point_rule_set(*, actor: Any, kind: str, points: int, cap: int | None,
                   is_active: bool) -> PointRule:  # fmt: skip
    """Change one rule; it counts from the next computation of an open period."""
    if not may_set_scorecards(actor):
        raise PointRuleError(_("You may not set the point rules."))
    if kind not in PointKind.values:
        raise PointRuleError(_("Unknown kind of points."))
    if not -100 <= points <= 100 or points == 0:
        raise PointRuleError(_("Points are from −100 to 100, and not 0."))
    if cap is not None and not 1 <= cap <= 1000:
        raise PointRuleError(_("A cap is from 1 to 1000 points."))
    rule = point_rules()[kind]
    changes = {"points": [rule.points, points], "cap": [rule.cap, cap],
               "is_active": [rule.is_active, is_active]}  # fmt: skip
    rule.points, rule.cap, rule.is_active = points, cap, is_active
    rule.save()
    audit_record(actor=actor, action="points.rule_set", obj=rule, changes=changes)
    return rule


def _facts(period: ScorecardPeriod, version: int, window: Window) -> list[dict[str, Any]]:
    """Every fact of the period the rules count, with whom it is for, oldest first."""
    since, until = window.moments
    facts: list[dict[str, Any]] = []
    for case, staff, unit, at in praise_facts(since=since, until=until):
        facts.append({"kind": PointKind.PRAISE, "staff": staff, "unit": unit, "at": at,
                      "fact": f"case:{case}", "case_id": case})  # fmt: skip
    for case, staff, unit, deadline, due in breach_facts(since=since, until=until):
        # A deadline moved (a pause, a new rule) may be breached again: each counts.
        facts.append({"kind": LATE[deadline], "staff": staff, "unit": unit, "at": due,
                      "fact": f"case:{case}:{deadline[0]}:{int(due.timestamp())}",
                      "case_id": case})  # fmt: skip
    for case, owner, unit, at in repeat_facts(since=since, until=until):
        facts.append({"kind": PointKind.REPEAT_COMPLAINT, "staff": owner, "unit": unit,
                      "at": at, "fact": f"case:{case}", "case_id": case})  # fmt: skip
    failed = failed_answer_facts(since=window.first, until=window.last)
    managers = store_managers({unit for _answer, unit, _at in failed})
    for answer, unit, at in failed:
        for staff in managers.get(unit, []):
            facts.append({"kind": PointKind.FAILED_STANDARD, "staff": staff, "unit": unit,
                          "at": at, "fact": f"answer:{answer}", "answer_id": answer})  # fmt: skip
    cards = Scorecard.objects.filter(period=period, version=version,
                                     template__subject=Subject.STAFF)  # fmt: skip
    at = window.moments[1] - timedelta(seconds=1)  # the period's last moment
    for card in cards.filter(rank__isnull=False, ranked__gte=TOP_FIFTH_FROM):
        if card.rank <= math.ceil(card.ranked / 5):
            facts.append({"kind": PointKind.TOP_FIFTH, "staff": card.staff_id,
                          "unit": card.unit_id, "at": at, "fact": f"card:{card.pk}",
                          "card_id": card.pk})  # fmt: skip
    met = ScorecardLine.objects.filter(card__in=cards, met=True).values_list(
        "pk", "card_id", "card__staff_id", "card__unit_id"
    )
    for line, card, staff, unit in met:
        facts.append({"kind": PointKind.TARGET_MET, "staff": staff, "unit": unit, "at": at,
                      "fact": f"line:{line}", "line_id": line, "card_id": card})  # fmt: skip
    return sorted(facts, key=lambda fact: (fact["at"], fact["fact"]))


def points_award(*, period: ScorecardPeriod, version: int, window: Window) -> int:
    """Write a month's point entries for ``version`` afresh (inside the computation of
    its cards; a quarter's points are its months'); past a rule's cap an entry keeps
    its place with no points."""
    PointEntry.objects.filter(period=period, version=version).delete()
    rules = point_rules()
    # An entry belongs to its person's unit (not the fact's): who reads it is who may
    # read that person's card.
    unit_of = dict(Staff.objects.filter(is_active=True, unit__isnull=False)
                   .values_list("pk", "unit_id"))  # fmt: skip
    given: dict[tuple[int, str], int] = defaultdict(int)
    entries = []
    for fact in _facts(period, version, window):
        rule = rules[fact["kind"]]
        if not rule.is_active or fact["staff"] not in unit_of:
            continue
        so_far = given[(fact["staff"], fact["kind"])]
        points = rule.points
        if rule.cap is not None:
            room = max(rule.cap - abs(so_far), 0)
            points = int(math.copysign(min(abs(points), room), points))
        given[(fact["staff"], fact["kind"])] += points
        entries.append(PointEntry(
            period=period, version=version, staff_id=fact["staff"],
            unit_id=unit_of[fact["staff"]],
            kind=fact["kind"], points=points, capped=points != rule.points, fact=fact["fact"],
            happened_at=fact["at"], case_id=fact.get("case_id"), answer_id=fact.get("answer_id"),
            line_id=fact.get("line_id"), card_id=fact.get("card_id"),
        ))  # fmt: skip
    PointEntry.objects.bulk_create(entries)
    return len(entries)
