"""Checks over the API: checklists, inspections with their answers, the schedule and the
surprise draw, answers recorded (without files), mystery shops ordered, and the results —
the same services and selectors as on screen, scoped alike."""

from datetime import date
from typing import Literal
from uuid import UUID

from django.http import HttpRequest
from django.urls import reverse
from ninja import Router, Schema, Status
from ninja.errors import HttpError
from pydantic import Field

from manyi.api.auth import needs
from manyi.api.schemas import Id, In, bounded_text
from manyi.improve.models import Inspection
from manyi.improve.selectors.inspection_results import (
    done_checks,
    failure_pareto,
    monthly_scores,
    step_grid,
)
from manyi.improve.selectors.inspections import (
    answers_of,
    checklist_list,
    competitor_list,
    inspection_list,
)
from manyi.improve.selectors.standards import standard_list
from manyi.improve.services import checklists as checklist_services
from manyi.improve.services import inspections as services
from manyi.improve.services import mystery
from manyi.org.models import Staff
from manyi.org.permissions import (
    may_order_mystery_shops,
    may_plan_inspections,
    may_see_inspections,
    may_set_checklists,
)
from manyi.org.selectors import visible_units
from manyi.web.forms import FIRST_YEAR, LAST_YEAR

router = Router(tags=["improve"])
MAX_UNITS = 500


class ChecklistItemOut(Schema):
    standard: str
    points: int
    pass_mark: int


class ChecklistOut(Schema):
    id: int
    name: str
    name_en: str
    is_active: bool
    items: list[ChecklistItemOut]


class ChecklistIn(In):
    name: bounded_text(120, shortest=1)  # type: ignore[valid-type]
    name_en: bounded_text(120) = ""  # type: ignore[valid-type]
    standards: list[bounded_text(40, shortest=1)] = Field(min_length=1, max_length=80)  # type: ignore[valid-type]
    scored: list[bounded_text(40, shortest=1)] = Field(default_factory=list, max_length=80)  # type: ignore[valid-type]


class AnswerOut(Schema):
    id: int
    standard: str
    version: int
    title: str
    passed: bool | None
    score: int | None
    points: int
    note: str
    has_photo: bool
    has_recording: bool
    action: int | None
    case: int | None


class InspectionOut(Schema):
    id: int
    kind: str
    status: str
    unit: int
    competitor: str | None
    checklist: int
    planned_for: date
    inspector: int | None
    agency: str
    score: float | None
    failed: int
    basic_failed: int
    answers: list[AnswerOut] | None = None


class ScheduleIn(In):
    checklist: Id
    units: list[Id] = Field(min_length=1, max_length=MAX_UNITS)
    planned_for: date
    inspector: Id | None = None


class DrawIn(In):
    checklist: Id
    scope: Id
    month: date = Field(description="Any day of the month drawn in.")
    count: int = Field(ge=1, le=MAX_UNITS)
    inspector: Id
    seed: int | None = Field(default=None, ge=0, le=2**48 - 1)


class DrawOut(Schema):
    seed: int
    inspections: list[InspectionOut]


class AnswerIn(In):
    standard: bounded_text(40, shortest=1)  # type: ignore[valid-type]
    result: str = Field(pattern=r"^(yes|no|na|[0-9]{1,2})$")
    note: bounded_text(1000) = ""  # type: ignore[valid-type]


class RecordIn(In):
    submission_key: UUID
    answers: list[AnswerIn] = Field(min_length=1, max_length=80)


class MysteryShopIn(In):
    checklist: Id
    unit: Id | None = None
    competitor: Id | None = None
    planned_for: date
    agency: bounded_text(120, shortest=1)  # type: ignore[valid-type]
    scenario: bounded_text(2000, shortest=1)  # type: ignore[valid-type]


class MysteryShopOut(Schema):
    inspection: InspectionOut
    link: str


def _checklist_out(checklist) -> dict:  # type: ignore[no-untyped-def]
    return {
        "id": checklist.pk, "name": checklist.name, "name_en": checklist.name_en,
        "is_active": checklist.is_active,
        "items": [{"standard": item.standard.code, "points": item.points,
                   "pass_mark": item.pass_mark} for item in checklist.items.all()],
    }  # fmt: skip


def _out(inspection: Inspection, *, answers: bool = False) -> dict:
    found = {
        "id": inspection.pk, "kind": inspection.kind, "status": inspection.status,
        "unit": inspection.unit_id, "checklist": inspection.checklist_id,
        "competitor": inspection.competitor.name if inspection.competitor_id else None,
        "planned_for": inspection.planned_for, "inspector": inspection.inspector_id,
        "agency": inspection.agency, "score": inspection.score, "failed": inspection.failed,
        "basic_failed": inspection.basic_failed,
    }  # fmt: skip
    if answers:
        found["answers"] = [
            {
                "id": answer.pk, "standard": answer.standard.code, "version": answer.version.number,
                "title": answer.version.title, "passed": answer.passed, "score": answer.score,
                "points": answer.points, "note": answer.note, "has_photo": bool(answer.photo),
                "has_recording": bool(answer.audio), "action": answer.action_id,
                "case": answer.case_id,
            }
            for answer in answers_of(inspection)
        ]  # fmt: skip
    return found


def _standards(codes: list[str]) -> list:
    if len(set(codes)) != len(codes):
        raise HttpError(400, "A standard is named twice.")
    found = {standard.code: standard for standard in standard_list().filter(code__in=codes)}
    missing = [code for code in codes if code not in found]
    if missing:
        raise HttpError(404, f"No standard in force has the code {missing[0]}.")
    return [found[code] for code in codes]


def _checklist(pk: int):  # type: ignore[no-untyped-def]
    found = checklist_list().filter(pk=pk).first()
    if found is None:
        raise HttpError(404, "No checklist in use has that id.")
    return found


def _inspection(request: HttpRequest, pk: int) -> Inspection:
    found = inspection_list(request.user).filter(pk=pk).first()
    if found is None:
        raise HttpError(404, "No such inspection.")
    return found


@router.get("/improve/checklists", response=list[ChecklistOut], auth=needs(may_see_inspections))
def checklists(request: HttpRequest):  # type: ignore[no-untyped-def]
    """The checklists in use, each with its standards in order."""
    return [_checklist_out(c) for c in checklist_list().prefetch_related("items__standard")]


@router.post("/improve/checklists", response={201: ChecklistOut}, auth=needs(may_set_checklists))
def checklist_create(request: HttpRequest, data: ChecklistIn):  # type: ignore[no-untyped-def]
    made = checklist_services.checklist_save(
        actor=request.user, name=data.name, name_en=data.name_en,
        standards=_standards(data.standards), scored=_standards(data.scored),
    )  # fmt: skip
    return Status(201, _checklist_out(made))


@router.get("/improve/inspections", response=list[InspectionOut], auth=needs(may_see_inspections))
def inspections(  # type: ignore[no-untyped-def]
    request: HttpRequest,
    kind: Literal["inspections", "scheduled", "surprise", "mystery"] | None = None,
    status: Literal["planned", "done", "cancelled"] | None = None,
    since: date | None = None, until: date | None = None,
):  # fmt: skip
    """The checks of the caller's part, the latest first (at most 500); a surprise
    inspection or a mystery shop appears to the store only once it is done."""
    found = inspection_list(request.user, kind=kind or "", status=status or "",
                            since=since, until=until)[:500]  # fmt: skip
    return [_out(inspection) for inspection in found]


@router.get("/improve/inspections/results", auth=needs(may_see_inspections))
def results(  # type: ignore[no-untyped-def]
    request: HttpRequest, since: date, until: date,
    view: Literal["inspections", "mystery"] = "inspections", unit: Id | None = None,
):  # fmt: skip
    """Staff inspections or mystery shops of the caller's part over the days given: the
    standards failed most often, the share of marks per store and step, and the mean
    score by month."""
    if not (since.year >= FIRST_YEAR and until.year <= LAST_YEAR):
        raise HttpError(400, f"Give days between {FIRST_YEAR} and {LAST_YEAR}.")
    if since > until or (until - since).days > 3 * 366:
        raise HttpError(400, "Give a period of at most three years, since before until.")
    checks = done_checks(request.user, mystery=view == "mystery", since=since, until=until,
                         unit=unit)  # fmt: skip
    pareto, failures = failure_pareto(checks)
    steps, grid = step_grid(checks)
    return {
        "checks": checks.count(), "failures": failures,
        "pareto": [{"standard": row.standard.code, "title": row.title, "failed": row.failed,
                    "checked": row.checked, "cumulative": round(row.cumulative, 4)}
                   for row in pareto],
        "steps": [step.code for step in steps],
        "units": [{"unit": row.unit.pk, "name": row.unit.name, "checks": row.checks,
                   "score": row.score, "steps": row.cells} for row in grid],
        "months": [{"month": month, "score": mean, "checks": n}
                   for month, mean, n in monthly_scores(checks)],
    }  # fmt: skip


@router.get(
    "/improve/inspections/{id:inspection_id}",
    response=InspectionOut,
    auth=needs(may_see_inspections),
)
def inspection(request: HttpRequest, inspection_id: Id):  # type: ignore[no-untyped-def]
    return _out(_inspection(request, inspection_id), answers=True)


@router.post("/improve/inspections/schedule", response={201: list[InspectionOut]},
             auth=needs(may_plan_inspections))  # fmt: skip
def schedule(request: HttpRequest, data: ScheduleIn):  # type: ignore[no-untyped-def]
    units = list(visible_units(request.user).filter(pk__in=data.units))
    if len(units) != len(set(data.units)):
        raise HttpError(404, "A unit given is not in your part of the network.")
    inspector = _staff(request, data.inspector) if data.inspector else None
    made = services.inspections_schedule(
        actor=request.user, checklist=_checklist(data.checklist), units=units,
        planned_for=data.planned_for, inspector=inspector,
    )  # fmt: skip
    return Status(201, [_out(inspection) for inspection in made])


def _staff(request: HttpRequest, pk: int) -> Staff:
    found = Staff.objects.filter(pk=pk, unit__in=visible_units(request.user)).first()
    if found is None:
        raise HttpError(404, "No such colleague in your part of the network.")
    return found


@router.post("/improve/inspections/draw", response={201: DrawOut}, auth=needs(may_plan_inspections))
def draw(request: HttpRequest, data: DrawIn):  # type: ignore[no-untyped-def]
    scope = visible_units(request.user).filter(pk=data.scope).first()
    if scope is None:
        raise HttpError(404, "That unit is not in your part of the network.")
    made = services.surprise_draw(
        actor=request.user, checklist=_checklist(data.checklist), scope=scope,
        month=data.month, count=data.count, inspector=_staff(request, data.inspector),
        seed=data.seed,
    )  # fmt: skip
    return Status(
        201, {"seed": made.seed, "inspections": [_out(i) for i in made.inspections.all()]}
    )


@router.post("/improve/inspections/{id:inspection_id}/answers", response=InspectionOut,
             auth=needs(may_see_inspections))  # fmt: skip
def record(request: HttpRequest, inspection_id: Id, data: RecordIn):  # type: ignore[no-untyped-def]
    """Carry out an inspection: every standard of its checklist answered (photos only on
    screen). Sent again with the same submission key, it is stored once."""
    found = _inspection(request, inspection_id)
    codes = dict(found.checklist.items.values_list("standard__code", "standard_id"))
    given = {}
    for answer in data.answers:
        if answer.standard not in codes:
            raise HttpError(400, f"{answer.standard} is not on this inspection's checklist.")
        if codes[answer.standard] in given:
            raise HttpError(400, f"{answer.standard} is answered twice.")
        given[codes[answer.standard]] = services.Given(result=answer.result, note=answer.note)
    done = services.inspection_record(actor=request.user, inspection=found, answers=given,
                                      submission_key=data.submission_key)  # fmt: skip
    return _out(done, answers=True)


@router.post("/improve/mystery-shops", response={201: MysteryShopOut},
             auth=needs(may_order_mystery_shops))  # fmt: skip
def mystery_shop(request: HttpRequest, data: MysteryShopIn):  # type: ignore[no-untyped-def]
    """Order a mystery shop of one of our stores or a competitor's; the one-time link
    for the agency is in the answer, and only there."""
    unit = competitor = None
    if data.unit:
        unit = visible_units(request.user).filter(pk=data.unit).first()
        if unit is None:
            raise HttpError(404, "That unit is not in your part of the network.")
    if data.competitor:
        competitor = competitor_list(request.user).filter(pk=data.competitor).first()
        if competitor is None:
            raise HttpError(404, "No such competitor store in your part.")
    shop, token = mystery.mystery_shop_order(
        actor=request.user, checklist=_checklist(data.checklist), unit=unit,
        competitor=competitor, planned_for=data.planned_for, agency=data.agency,
        scenario=data.scenario,
    )  # fmt: skip
    link = request.build_absolute_uri(reverse("shop", args=[token]))
    return Status(201, {"inspection": _out(shop), "link": link})
