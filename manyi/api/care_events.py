"""Care touches (reminders, greetings) and owner events over the API: what is planned
and what went out, the events of the token's stores, their draw and their invitees'
answers — each change by the same service as on the screens."""

from datetime import date, datetime

from django.db.models import Count, Q
from django.http import HttpRequest
from ninja import Router, Schema, Status
from ninja.errors import HttpError
from ninja.pagination import paginate
from pydantic import Field

from manyi.api.auth import needs
from manyi.api.pagination import Page
from manyi.api.schemas import Id, In, Moment, Name, bounded_text
from manyi.care.models import CareRuleKind, EventInvitation, OwnerEvent, RsvpStatus, TouchStatus
from manyi.care.owner_events import invitation_answer, owner_event_create, owner_event_draw
from manyi.care.selectors import touch_list
from manyi.customers.models import CustomerKind, Tier
from manyi.org.permissions import may_follow_care, may_run_owner_events
from manyi.org.selectors import visible_unit_filter, visible_units

router = Router(tags=["care"])


class TouchOut(Schema):
    id: int
    kind: str
    rule_id: int
    customer_id: int
    asset_id: int | None
    unit_id: int
    due_on: date
    send_on: date
    status: str
    why_not: str

    @staticmethod
    def resolve_kind(touch) -> str:  # type: ignore[no-untyped-def]
        return touch.rule.kind


class EventIn(In):
    unit_id: Id
    name: Name
    starts_at: Moment
    place: bounded_text(200) = ""  # type: ignore[valid-type]
    capacity: int = Field(ge=1, le=10000)


class EventOut(Schema):
    id: int
    unit_id: int
    name: str
    starts_at: datetime
    place: str
    capacity: int
    seed: int | None
    segment: dict
    invited: int
    accepted: int
    attended: int


class SegmentIn(In):
    unit_id: Id | None = None
    tiers: list[str] = []
    kinds: list[str] = []
    visited_from: date | None = None
    visited_to: date | None = None


class DrawIn(In):
    count: int = Field(ge=1, le=5000)
    seed: int = Field(ge=0, le=2**31 - 1)
    segment: SegmentIn = SegmentIn()


class DrawOut(Schema):
    sent: int
    invited: int


class InvitationOut(Schema):
    id: int
    customer_id: int
    status: str
    answered_at: datetime | None
    message_id: int | None


class AnswerIn(In):
    status: str


@router.get("/care/touches", response=list[TouchOut], auth=needs(may_follow_care))
@paginate(Page)
def touches(  # type: ignore[no-untyped-def]
    request: HttpRequest, status: str = "", kind: str = "", unit_id: Id | None = None
):
    """Reminders and greetings of the token's part: planned ones by the day they go,
    the rest the latest first; ``why_not`` says what the contact rule held back."""
    if status and status not in TouchStatus.values:
        raise HttpError(400, f"status is one of {', '.join(TouchStatus.values)}.")
    if kind and kind not in CareRuleKind.values:
        raise HttpError(400, f"kind is one of {', '.join(CareRuleKind.values)}.")
    unit = None
    if unit_id is not None:
        unit = visible_units(request.user).filter(pk=unit_id).first()
        if unit is None:
            raise HttpError(404, "No such unit in your part of the network.")
    return touch_list(request.user, status=status, kind=kind, unit=unit)


def _events(request: HttpRequest):  # type: ignore[no-untyped-def]
    return OwnerEvent.objects.filter(visible_unit_filter(request.user)).annotate(
        invited=Count("invitations"),
        accepted=Count(
            "invitations",
            filter=Q(invitations__status__in=(RsvpStatus.ACCEPTED, RsvpStatus.ATTENDED)),
        ),
        attended=Count("invitations", filter=Q(invitations__status=RsvpStatus.ATTENDED)),
    )


def _event(request: HttpRequest, event_id: int) -> OwnerEvent:
    found = _events(request).filter(pk=event_id).first()
    if found is None:
        raise HttpError(404, "No such owner event in your part of the network.")
    return found


@router.get("/care/events", response=list[EventOut], auth=needs(may_run_owner_events))
@paginate(Page)
def event_list(request: HttpRequest):  # type: ignore[no-untyped-def]
    """The owner events of the token's stores, the latest first."""
    return _events(request).order_by("-starts_at", "-pk")


@router.post("/care/events", response={201: EventOut}, auth=needs(may_run_owner_events))
def event_create(request: HttpRequest, data: EventIn):  # type: ignore[no-untyped-def]
    unit = visible_units(request.user).filter(pk=data.unit_id).first()
    if unit is None:
        raise HttpError(404, "No such unit in your part of the network.")
    event = owner_event_create(
        actor=request.user,
        unit=unit,
        name=data.name,
        starts_at=data.starts_at,
        place=data.place,
        capacity=data.capacity,
    )
    return Status(201, _event(request, event.pk))


@router.get("/care/events/{id:event_id}", response=EventOut, auth=needs(may_run_owner_events))
def event_read(request: HttpRequest, event_id: int):  # type: ignore[no-untyped-def]
    return _event(request, event_id)


@router.post("/care/events/{id:event_id}/draw", response=DrawOut, auth=needs(may_run_owner_events))
def event_draw(request: HttpRequest, event_id: int, data: DrawIn):  # type: ignore[no-untyped-def]
    """Draw ``count`` invitees at random (``seed``: the same seed draws the same people)
    from a segment of the customers the token sees, and invite them."""
    segment = data.segment
    if set(segment.tiers) - set(Tier.values):
        raise HttpError(400, f"tiers are of {', '.join(Tier.values)}.")
    if set(segment.kinds) - set(CustomerKind.values):
        raise HttpError(400, f"kinds are of {', '.join(CustomerKind.values)}.")
    unit = None
    if segment.unit_id is not None:
        unit = visible_units(request.user).filter(pk=segment.unit_id).first()
        if unit is None:
            raise HttpError(404, "No such unit in your part of the network.")
    event = _event(request, event_id)
    sent = owner_event_draw(
        actor=request.user,
        event=event,
        segment={
            "unit": unit,
            "tiers": segment.tiers,
            "kinds": segment.kinds,
            "visited_from": segment.visited_from,
            "visited_to": segment.visited_to,
        },
        count=data.count,
        seed=data.seed,
    )
    return {"sent": sent, "invited": event.invitations.count()}


@router.get(
    "/care/events/{id:event_id}/invitations",
    response=list[InvitationOut],
    auth=needs(may_run_owner_events),
)
@paginate(Page)
def invitation_list(request: HttpRequest, event_id: int):  # type: ignore[no-untyped-def]
    return _event(request, event_id).invitations.order_by("pk")


@router.post(
    "/care/events/{id:event_id}/invitations/{id:invitation_id}/answer",
    response=InvitationOut,
    auth=needs(may_run_owner_events),
)
def invitation_answered(  # type: ignore[no-untyped-def]
    request: HttpRequest, event_id: int, invitation_id: int, data: AnswerIn
):
    """What the customer answered (accepted, declined) or whether they came (attended,
    no_show); a seat beyond the event's seats is refused."""
    found = EventInvitation.objects.filter(
        event=_event(request, event_id), pk=invitation_id
    ).first()
    if found is None:
        raise HttpError(404, "No such invitation to this event.")
    return invitation_answer(actor=request.user, invitation=found, status=data.status)
