"""Scorecards over the API: the periods, a period's cards with their measures (an
advisor their own, a manager their part's, HQ all), one card, and the cards' settings —
the same selectors as on screen, scoped alike."""

from datetime import date, datetime

from django.http import HttpRequest
from ninja import Router, Schema
from ninja.errors import HttpError
from ninja.pagination import paginate

from manyi.api.auth import needs
from manyi.api.pagination import Page
from manyi.api.schemas import Id, In, bounded_text
from manyi.org.permissions import (
    may_assign_training,
    may_see_scorecards,
    may_see_training,
    may_set_scorecards,
)
from manyi.org.selectors import staff_list
from manyi.people.models import (
    Course,
    PeriodKind,
    Scorecard,
    ScorecardPeriod,
    TrainingAssignment,
    TrainingStatus,
)
from manyi.people.selectors.points import points_of
from manyi.people.selectors.scorecards import card_get, cards_of, period_list, template_list
from manyi.people.selectors.training import course_list, training_list
from manyi.people.services.training import training_assign

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


class PointOut(Schema):
    id: int
    period: int
    staff: int
    unit: int
    kind: str
    points: int
    capped: bool
    fact: str
    happened_at: datetime
    case: int | None
    inspection_answer: int | None
    card: int | None


class CourseOut(Schema):
    id: int
    title: str
    title_en: str
    items: list[str]
    standards: list[str]
    hours: float
    is_active: bool


class TrainingOut(Schema):
    id: int
    staff: int
    unit: int
    course: int
    reason: str
    due_on: date
    status: str
    attended_on: date | None


class TrainingIn(In):
    staff: Id
    course: Id
    due_on: date
    reason: bounded_text(80) = ""  # type: ignore[valid-type]


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
        "template": card.name, "staff": card.staff_id,
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


@router.get("/people/periods/{period_id}/points", response=list[PointOut],
            auth=needs(may_see_scorecards))  # fmt: skip
@paginate(Page)
def period_points(request: HttpRequest, period_id: Id, staff: Id | None = None):  # type: ignore[no-untyped-def]
    """The points of the period's months the caller may read, each naming its fact
    (``case``, ``inspection_answer`` or ``card``); ``staff`` keeps one person's."""
    period = ScorecardPeriod.objects.filter(pk=period_id).first()
    if period is None:
        raise HttpError(404, "No such period.")
    return [
        {"id": e.pk, "period": e.period_id, "staff": e.staff_id, "unit": e.unit_id,
         "kind": e.kind, "points": e.points, "capped": e.capped, "fact": e.fact,
         "happened_at": e.happened_at, "case": e.case_id, "inspection_answer": e.answer_id,
         "card": e.card_id}
        for e in points_of(request.user, period, staff=staff)
    ]  # fmt: skip


def _training(a: TrainingAssignment) -> dict:
    return {"id": a.pk, "staff": a.staff_id, "unit": a.unit_id, "course": a.course_id,
            "reason": a.reason, "due_on": a.due_on, "status": a.status,
            "attended_on": a.attended_on}  # fmt: skip


@router.get("/people/courses", response=list[CourseOut], auth=needs(may_see_training))
def courses(request: HttpRequest):  # type: ignore[no-untyped-def]
    """The course catalogue: what each course addresses."""
    return [
        {"id": c.pk, "title": c.title, "title_en": c.title_en, "items": c.items,
         "standards": [s.code for s in c.standards.all()], "hours": float(c.hours),
         "is_active": c.is_active}
        for c in course_list()
    ]  # fmt: skip


@router.get("/people/training", response=list[TrainingOut], auth=needs(may_see_training))
@paginate(Page)
def training(request: HttpRequest, status: str = "", staff: Id | None = None):  # type: ignore[no-untyped-def]
    """Training plans the caller may read: ``status`` open, overdue, assigned, attended,
    signed_off or cancelled."""
    if status and status not in ("open", "overdue", *TrainingStatus.values):
        raise HttpError(400, "Unknown status.")
    return [_training(a) for a in training_list(request.user, status=status, staff=staff)]


@router.post("/people/training", response={201: TrainingOut}, auth=needs(may_assign_training))
def training_add(request: HttpRequest, body: TrainingIn):  # type: ignore[no-untyped-def]
    """Put a course in the plan of a staff member of the caller's part."""
    person = staff_list(request.user).filter(pk=body.staff).first()
    course = Course.objects.filter(pk=body.course).first()
    if person is None or course is None:
        raise HttpError(404, "No such staff member in your part, or no such course.")
    made = training_assign(actor=request.user, staff=person, course=course, due_on=body.due_on,
                           reason=body.reason)  # fmt: skip
    return 201, _training(made)


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
