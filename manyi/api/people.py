"""Scorecards over the API: the periods, a period's cards with their measures (an
advisor their own, a manager their part's, HQ all), one card, and the cards' settings —
the same selectors as on screen, scoped alike."""

from datetime import date

from django.http import HttpRequest
from ninja import Router, Schema
from ninja.errors import HttpError
from ninja.pagination import paginate

from manyi.api.auth import needs
from manyi.api.pagination import Page
from manyi.api.schemas import Id
from manyi.org.permissions import may_see_scorecards, may_set_scorecards
from manyi.people.models import PeriodKind, Scorecard, ScorecardPeriod
from manyi.people.selectors.scorecards import card_get, cards_of, period_list, template_list

router = Router(tags=["people"])


class PeriodOut(Schema):
    id: int
    kind: str
    start: date
    end: date
    status: str
    version: int


class LineOut(Schema):
    kind: str
    value: float | None
    raw: float | None
    low: float | None
    high: float | None
    n: int
    floor: float
    target: float
    min_n: int
    points: float | None
    weight: float
    weight_used: float
    met: bool | None


class CardOut(Schema):
    id: int
    period: int
    version: int
    template: str
    staff: int | None
    staff_name: str | None
    unit: int
    score: float | None
    reweighted: bool
    rank: int | None
    ranked: int | None
    top_chance: float | None
    lines: list[LineOut]


class MeasureOut(Schema):
    kind: str
    weight: float
    floor: float
    target: float
    min_n: int


class TemplateOut(Schema):
    id: int
    name: str
    subject: str
    applies_to: str
    programme: int | None
    is_active: bool
    measures: list[MeasureOut]


def _card(card: Scorecard) -> dict:
    return {
        "id": card.pk, "period": card.period_id, "version": card.version,
        "template": card.template.name, "staff": card.staff_id,
        "staff_name": str(card.staff) if card.staff else None, "unit": card.unit_id,
        "score": card.score, "reweighted": card.reweighted, "rank": card.rank,
        "ranked": card.ranked, "top_chance": card.top_chance,
        "lines": [vars(line) for line in card.lines.all()],
    }  # fmt: skip


@router.get("/people/periods", response=list[PeriodOut], auth=needs(may_see_scorecards))
@paginate(Page)
def periods(request: HttpRequest, kind: str = ""):  # type: ignore[no-untyped-def]
    """The months and quarters cards are computed for, the latest first."""
    if kind and kind not in PeriodKind.values:
        raise HttpError(400, "kind is month or quarter.")
    return period_list(kind=kind)


@router.get("/people/periods/{period_id}/cards", response=list[CardOut],
            auth=needs(may_see_scorecards))  # fmt: skip
@paginate(Page)
def period_cards(request: HttpRequest, period_id: Id, version: int | None = None,
                 unit: Id | None = None):  # type: ignore[no-untyped-def]  # fmt: skip
    """The period's cards the caller may read (its current version, or ``version``),
    ranked ones first, best first."""
    period = ScorecardPeriod.objects.filter(pk=period_id).first()
    if period is None:
        raise HttpError(404, "No such period.")
    if version is not None and not 1 <= version <= period.version:
        raise HttpError(404, "No such version of the period.")
    cards = cards_of(request.user, period, version=version, unit=unit)
    return [_card(card) for card in cards.prefetch_related("lines")]


@router.get("/people/cards/{card_id}", response=CardOut, auth=needs(may_see_scorecards))
def card(request: HttpRequest, card_id: Id):  # type: ignore[no-untyped-def]
    try:
        return _card(card_get(request.user, card_id))
    except Scorecard.DoesNotExist as error:
        raise HttpError(404, "No such card in your part.") from error


@router.get("/people/card-settings", response=list[TemplateOut], auth=needs(may_set_scorecards))
def card_settings(request: HttpRequest):  # type: ignore[no-untyped-def]
    """What each role's card and the stores' card count."""
    return [
        {"id": t.pk, "name": t.name, "subject": t.subject, "applies_to": t.applies_to,
         "programme": t.programme_id, "is_active": t.is_active,
         "measures": [{"kind": m.kind, "weight": float(m.weight), "floor": m.floor,
                       "target": m.target, "min_n": m.min_n} for m in t.measures.all()]}
        for t in template_list()
    ]  # fmt: skip
