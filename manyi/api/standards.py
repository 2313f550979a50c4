"""The standards library over the API: steps, standards with their current version,
new standards and revisions — the same services as on screen."""

from typing import Literal

from django.http import HttpRequest
from ninja import Router, Schema, Status
from ninja.errors import HttpError
from pydantic import Field

from manyi.api.auth import needs
from manyi.api.schemas import Id, In, bounded_text
from manyi.improve.models import ServiceStep, Standard
from manyi.improve.selectors.standards import standard_list, step_list
from manyi.improve.services import standards as services
from manyi.org.permissions import may_see_standards, may_set_standards

router = Router(tags=["improve"])
Kind = Literal["hardware", "process", "people"]
Class = Literal["basic", "performance", "motivation"]


class StepOut(Schema):
    id: int
    code: str
    name: str
    name_en: str
    order: int


class StandardOut(Schema):
    id: int
    step: str
    code: str
    kind: str
    standard_class: str
    customer_visible: bool
    is_active: bool
    version: int
    title: str
    text: str
    items: list[str]


class StandardFields(In):
    title: bounded_text(200, shortest=1)  # type: ignore[valid-type]
    text: bounded_text(4000) = ""  # type: ignore[valid-type]
    items: list[bounded_text(40)] = Field(default_factory=list, max_length=50)  # type: ignore[valid-type]
    kind: Kind
    standard_class: Class
    customer_visible: bool = False


class StandardIn(StandardFields):
    step: bounded_text(40, shortest=1)  # type: ignore[valid-type]
    code: bounded_text(40, shortest=1)  # type: ignore[valid-type]


class RevisionIn(In):
    """A revision: the wording and the reason; what is left out stays as it was."""

    reason: bounded_text(400, shortest=1)  # type: ignore[valid-type]
    title: bounded_text(200, shortest=1)  # type: ignore[valid-type]
    text: bounded_text(4000) = ""  # type: ignore[valid-type]
    items: list[bounded_text(40)] | None = Field(default=None, max_length=50)  # type: ignore[valid-type]
    kind: Kind | None = None
    standard_class: Class | None = None
    customer_visible: bool | None = None


def _out(standard: Standard) -> dict:
    current = standard.versions.all()[0]
    return {
        "id": standard.pk, "step": standard.step.code, "code": standard.code,
        "kind": standard.kind, "standard_class": standard.standard_class,
        "customer_visible": standard.customer_visible, "is_active": standard.is_active,
        "version": current.number, "title": current.title, "text": current.text,
        "items": current.items,
    }  # fmt: skip


@router.get("/improve/service-steps", response=list[StepOut], auth=needs(may_see_standards))
def steps(request: HttpRequest):  # type: ignore[no-untyped-def]
    """The steps of the service cycle, in order."""
    return list(step_list())


@router.get("/improve/standards", response=list[StandardOut], auth=needs(may_see_standards))
def standards(  # type: ignore[no-untyped-def]
    request: HttpRequest, step: str = "", kind: Kind | None = None,
    standard_class: Class | None = None,
):  # fmt: skip
    """The standards in force, by step, each with its current version."""
    found = standard_list(step=step, kind=kind or "", standard_class=standard_class or "")
    return [_out(standard) for standard in found]


@router.post("/improve/standards", response={201: StandardOut}, auth=needs(may_set_standards))
def standard_create(request: HttpRequest, data: StandardIn):  # type: ignore[no-untyped-def]
    step = ServiceStep.objects.filter(code=data.step).first()
    if step is None:
        raise HttpError(404, "No such service step.")
    fields = data.dict(exclude={"step"})
    made = services.standard_create(actor=request.user, step=step, **fields)
    return Status(201, _out(standard_list().get(pk=made.pk)))


@router.post("/improve/standards/{id:standard_id}/revisions", response={201: StandardOut},
             auth=needs(may_set_standards))  # fmt: skip
def standard_revise(request: HttpRequest, standard_id: Id, data: RevisionIn):  # type: ignore[no-untyped-def]
    standard = standard_list(retired=True).filter(pk=standard_id).first()
    if standard is None:
        raise HttpError(404, "No such standard.")
    services.standard_revise(actor=request.user, standard=standard, **data.dict())
    return Status(201, _out(standard_list(retired=True).get(pk=standard_id)))
