"""Reads of the scorecards, scoped: a manager sees the cards of their part, anyone
else only their own; a period shows its current version."""

from typing import Any

from django.db.models import Count, F, QuerySet
from django.utils import timezone

from manyi.org.models import Unit, UnitLevel
from manyi.org.permissions import may_review_scorecards, may_see_scorecards
from manyi.org.selectors import unit_choices, visible_unit_filter
from manyi.people.models import (
    PeriodKind,
    Scorecard,
    ScorecardPeriod,
    ScorecardTemplate,
    Subject,
)


def period_list(*, kind: str = "") -> QuerySet[ScorecardPeriod]:
    periods = ScorecardPeriod.objects.all()
    return periods.filter(kind=kind) if kind in PeriodKind.values else periods


def last_period(kind: str = PeriodKind.MONTH) -> ScorecardPeriod | None:
    """The latest period of ``kind`` that has ended and has cards — last month's — or,
    before any has, the running one."""
    computed = ScorecardPeriod.objects.filter(kind=kind, computed_at__isnull=False).exclude(
        cards=None
    )
    ended = computed.filter(end__lt=timezone.localdate()).order_by("-start").first()
    return ended or computed.order_by("-start").first()


def visible_cards(user: Any) -> QuerySet[Scorecard]:
    """Every card of any period and version the user may read."""
    if not may_see_scorecards(user):
        return Scorecard.objects.none()
    cards = Scorecard.objects.select_related("period", "template", "staff", "unit")
    if may_review_scorecards(user):
        return cards.filter(visible_unit_filter(user))
    return cards.filter(staff_id=user.pk)


def cards_of(
    user: Any, period: ScorecardPeriod, *, subject: str = "", template: int | None = None,
    unit: Unit | int | None = None, version: int | None = None,
) -> QuerySet[Scorecard]:  # fmt: skip
    """The period's cards (its current version, or ``version``) the user may read — of
    ``unit``'s subtree when given — ranked ones first, best first."""
    cards = visible_cards(user).filter(period=period, version=version or period.version)
    if subject in Subject.values:
        cards = cards.filter(template__subject=subject)
    if template:
        cards = cards.filter(template_id=template)
    if isinstance(unit, int):
        unit = Unit.objects.filter(pk=unit).first()
        if unit is None:
            return cards.none()
    if unit is not None:
        cards = cards.filter(unit__path__startswith=unit.path)
    return cards.order_by(
        "template__subject", "template_id", F("rank").asc(nulls_last=True),
        F("score").desc(nulls_last=True), "pk",
    )  # fmt: skip


def card_kinds(cards: QuerySet[Scorecard]) -> list[dict[str, Any]]:
    """The card templates among ``cards``, staff cards first, with how many of each."""
    return list(
        cards.order_by()
        .values("template_id", "name", "template__subject")
        .annotate(count=Count("pk"))
        .order_by("template__subject", "template_id")
    )


def report_units(user: Any) -> QuerySet[Unit]:
    """The regions and stores a manager may narrow the cards to."""
    return unit_choices(user, levels=(UnitLevel.REGION, UnitLevel.STORE))


def card_get(user: Any, pk: int) -> Scorecard:
    return visible_cards(user).get(pk=pk)


def template_list() -> QuerySet[ScorecardTemplate]:
    return ScorecardTemplate.objects.prefetch_related("measures").select_related("programme")


def interval_axis(lines: list[Any]) -> tuple[float, float] | None:
    """The common scale of the shown cards' index intervals: from the lowest low to the
    highest high (raw means left off, so one perfect thin sample does not squash the
    rest), a little wider each side."""
    lows = [line.low for line in lines if line is not None and line.low is not None]
    highs = [line.high for line in lines if line is not None and line.high is not None]
    if not lows:
        return None
    first, last = min(lows), max(highs)
    pad = max((last - first) * 0.05, 1.0)
    return first - pad, last + pad


def on_axis(value: float | None, axis: tuple[float, float] | None) -> float | None:
    """Where ``value`` falls on the axis, 0–100 (capped)."""
    if value is None or axis is None:
        return None
    first, last = axis
    return min(max((value - first) / (last - first) * 100.0, 0.0), 100.0)
