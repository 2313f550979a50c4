"""Targets over the API: each with the figure so far, the distance and whether it is
met; set and removed by the same services as on screen."""

from datetime import date
from decimal import Decimal

from django.http import HttpRequest
from ninja import Router, Schema, Status
from ninja.errors import HttpError
from ninja.pagination import paginate
from pydantic import Field

from manyi.api.auth import needs
from manyi.api.pagination import Page
from manyi.api.schemas import Id, In
from manyi.improve.models import Target
from manyi.improve.selectors import targets as selectors
from manyi.improve.services import targets as services
from manyi.org.permissions import may_see_analytics, may_set_targets
from manyi.org.selectors import visible_units
from manyi.surveys.models import Programme

router = Router(tags=["improve"])


class TargetIn(In):
    programme_id: Id
    unit_id: Id
    figure: str = Field(min_length=1, max_length=80)
    since: date
    until: date
    value: Decimal = Field(max_digits=7, decimal_places=1)


class TargetOut(Schema):
    id: int
    programme_id: int
    unit_id: int
    figure: str
    since: date
    until: date
    value: Decimal
    so_far: float | None
    n: int
    min_n: int
    met: bool | None
    distance: float | None


def _out(target: Target) -> dict:
    progress = selectors.target_progress(target, today=date.today())
    return {
        "id": target.pk, "programme_id": target.programme_id, "unit_id": target.unit_id,
        "figure": target.variable, "since": target.since, "until": target.until,
        "value": target.value, "so_far": progress.figure, "n": progress.n,
        "min_n": progress.min_n, "met": progress.met, "distance": progress.distance,
    }  # fmt: skip


@router.get("/improve/targets", response=list[TargetOut], auth=needs(may_see_analytics))
@paginate(Page)
def target_list(request: HttpRequest):  # type: ignore[no-untyped-def]
    """Targets in the token's part, each with the figure over the months gone so far."""
    return [_out(target) for target in selectors.target_list(request.user).order_by("pk")]


@router.post("/improve/targets", response={201: TargetOut}, auth=needs(may_set_targets))
def target_set(request: HttpRequest, data: TargetIn):  # type: ignore[no-untyped-def]
    """Set a target (or change the one for the same unit, figure and months)."""
    programme = Programme.objects.filter(pk=data.programme_id).first()
    unit = visible_units(request.user).filter(pk=data.unit_id).first()
    if programme is None or unit is None:
        raise HttpError(404, "No such programme, or no such unit in your part of the network.")
    target = services.target_set(
        actor=request.user, programme=programme, unit=unit, variable=data.figure,
        since=data.since, until=data.until, value=data.value,
    )  # fmt: skip
    return Status(201, _out(target))


@router.delete("/improve/targets/{id:target_id}", response={204: None}, auth=needs(may_set_targets))
def target_remove(request: HttpRequest, target_id: int):  # type: ignore[no-untyped-def]
    target = selectors.target_list(request.user).filter(pk=target_id).first()
    if target is None:
        raise HttpError(404, "No such target in your part of the network.")
    services.target_remove(actor=request.user, target=target)
    return Status(204, None)
