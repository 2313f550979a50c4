"""Reads of points and awards, scoped like the cards: a manager their part's, anyone
else their own."""

import math
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q, QuerySet, Sum

from manyi.org.models import Staff
from manyi.org.permissions import may_review_scorecards, may_see_scorecards
from manyi.org.selectors import visible_unit_filter
from manyi.people.models import (
    Nomination,
    PeriodKind,
    PointEntry,
    PointKind,
    Scorecard,
    ScorecardPeriod,
    Subject,
)
from manyi.people.services.points import TOP_FIFTH_FROM


def months_of(period: ScorecardPeriod) -> QuerySet[ScorecardPeriod]:
    """The month periods a period covers: itself, or a quarter's three."""
    return ScorecardPeriod.objects.filter(
        kind=PeriodKind.MONTH, start__gte=period.start, end__lte=period.end
    )


def visible_points(user: Any) -> QuerySet[PointEntry]:
    if not may_see_scorecards(user):
        return PointEntry.objects.none()
    entries = PointEntry.objects.select_related("staff", "unit", "case", "answer__inspection",
                                                "answer__standard", "line", "card")  # fmt: skip
    if may_review_scorecards(user):
        return entries.filter(visible_unit_filter(user))
    return entries.filter(staff_id=user.pk)


def points_of(user: Any, period: ScorecardPeriod, *, staff: int | None = None) -> QuerySet:
    """The entries of the period's months (each month's current version) the user may
    read, of one staff member when given."""
    current = Q()
    for month in months_of(period):
        current |= Q(period=month, version=month.version)
    if not current:
        return PointEntry.objects.none()
    entries = visible_points(user).filter(current)
    return entries.filter(staff_id=staff) if staff else entries


@dataclass
class PointTotal:
    staff: Any
    unit: Any
    gained: int = 0
    lost: int = 0

    @property
    def net(self) -> int:
        return self.gained + self.lost


def point_totals(entries: QuerySet[PointEntry]) -> list[PointTotal]:
    """Per staff member: points gained and lost, the highest net first."""
    rows = entries.values("staff_id").annotate(
        gained=Sum("points", filter=Q(points__gt=0)), lost=Sum("points", filter=Q(points__lt=0))
    )
    people = Staff.objects.select_related("unit").in_bulk({row["staff_id"] for row in rows})
    totals = [
        PointTotal(people[row["staff_id"]], people[row["staff_id"]].unit, row["gained"] or 0,
                   row["lost"] or 0)
        for row in rows
    ]  # fmt: skip
    return sorted(totals, key=lambda total: (-total.net, str(total.staff)))


@dataclass
class Candidate:
    card: Scorecard
    net_points: int | None = None
    praise: int = 0


def shortlist(user: Any, period: ScorecardPeriod) -> tuple[list[Candidate], list[Candidate]]:
    """The award shortlist of a period in the user's part: the staff cards ranked in the
    network's top fifth, and the three best stores, each with its points."""
    from manyi.people.selectors.scorecards import cards_of

    cards = cards_of(user, period).filter(rank__isnull=False)
    ranked = cards.filter(template__subject=Subject.STAFF, ranked__gte=TOP_FIFTH_FROM)
    staff = [card for card in ranked.order_by("template_id", "rank")
             if card.rank <= math.ceil(card.ranked / 5)]  # fmt: skip
    stores = list(cards.filter(template__subject=Subject.UNIT).order_by("rank")[:3])
    entries = points_of(user, period)
    net = dict(entries.values_list("staff_id").annotate(total=Sum("points")).order_by())
    praise = dict(
        entries.filter(kind=PointKind.PRAISE).values_list("staff_id")
        .annotate(count=Count("pk")).order_by()
    )  # fmt: skip
    return (
        [Candidate(card, net.get(card.staff_id, 0), praise.get(card.staff_id, 0))
         for card in staff],
        [Candidate(card) for card in stores],
    )  # fmt: skip


def nominations_of(user: Any, period: ScorecardPeriod) -> QuerySet[Nomination]:
    found = Nomination.objects.filter(period=period).select_related(
        "card", "staff", "unit", "nominated_by", "decided_by"
    )
    return found.filter(visible_unit_filter(user)) if may_review_scorecards(user) else found.none()
