"""Improvement actions over the API: listed and read with their tasks, notes and
measured effect (the difference in differences, its errors, the placebo range and the
verdict); opened, worked and closed by the same services as on screen."""

from dataclasses import asdict
from datetime import date, datetime
from decimal import Decimal
from typing import Literal

from django.http import HttpRequest
from django.utils import timezone
from ninja import Router, Schema, Status
from ninja.errors import HttpError
from ninja.pagination import paginate
from pydantic import Field

from manyi.api.auth import needs
from manyi.api.pagination import Page
from manyi.api.schemas import Id, In, bounded_text
from manyi.improve.action_effect import action_effect
from manyi.improve.models import ActionPlan, ActionSource, ActionStatus
from manyi.improve.programme_effect import programme_effect
from manyi.improve.selectors import actions as selected
from manyi.improve.services import actions
from manyi.org.models import Staff
from manyi.org.permissions import may_follow_actions, may_plan_actions, may_see_analytics
from manyi.org.selectors import visible_units
from manyi.surveys.models import Programme

router = Router(tags=["improve"])


class ActionOut(Schema):
    id: int
    unit_id: int
    title: str
    why: str
    source: str
    evidence: dict
    programme_id: int | None
    figure: str
    expected_change: Decimal | None
    trigger_month: date | None
    owner_id: int
    due_on: date
    status: str
    done_at: datetime | None
    escalation_level: int


class TaskOut(Schema):
    id: int
    title: str
    owner_id: int | None
    due_on: date
    done_at: datetime | None


class NoteOut(Schema):
    id: int
    author_id: int | None
    text: str  # for a due-date move, the reason given
    has_photo: bool
    moved_from: date | None = None
    moved_to: date | None = None
    created_at: datetime


class EffectOut(Schema):
    """The action's measured effect, or why there is none yet (``pending``)."""

    pending: str
    before: list[date]
    after: list[date]
    comparison_units: int
    comparison_unit_ids: list[int]  # those in the token's part (the others unnamed)
    estimate: float | None = None
    se: float | None = None
    se_robust: float | None = None
    se_cluster: float | None = None
    ci_low: float | None = None
    ci_high: float | None = None
    p: float | None = None
    n: int | None = None
    placebo_low: float | None = None
    placebo_high: float | None = None
    placebos: int = 0
    placebo_p: float | None = None
    credited: bool = False


class ProgrammeEffectOut(Schema):
    """The joint effect of a programme of actions (the same figure, the same trigger
    month, at ten units or more), clustered by unit."""

    plans: int
    units: int
    comparison_units: int
    estimate: float
    se_cluster: float
    ci_low: float
    ci_high: float
    p: float
    credited: bool


class ActionDetailOut(ActionOut):
    tasks: list[TaskOut]
    notes: list[NoteOut]
    effect: EffectOut
    programme_of_actions: ProgrammeEffectOut | None


class SummaryOut(Schema):
    """HQ's summary: actions finished, on time (by the due date, never escalated), and
    how many of the latest finished ones with a figure were judged against comparable
    units and moved it beyond what those did alone."""

    finished: int
    on_time: int
    judged: int
    moved: int
    unjudged: int
    looked_at: int


class ActionIn(In):
    unit_id: Id
    title: bounded_text(200, shortest=1)  # type: ignore[valid-type]
    why: bounded_text(4000) = ""  # type: ignore[valid-type]
    source: Literal["shortfall", "complaints", "check", "hand"] = "hand"
    evidence: dict = Field(default_factory=dict)
    owner_id: Id
    due_on: date
    programme_id: Id | None = None
    figure: bounded_text(80) = ""  # type: ignore[valid-type]
    expected_change: Decimal | None = Field(default=None, max_digits=7, decimal_places=1)
    trigger_month: date | None = None


class TaskIn(In):
    title: bounded_text(200, shortest=1)  # type: ignore[valid-type]
    due_on: date
    owner_id: Id | None = None


class NoteIn(In):
    text: bounded_text(4000, shortest=1)  # type: ignore[valid-type]


class RedateIn(In):
    due_on: date
    reason: bounded_text(400, shortest=1)  # type: ignore[valid-type]


class CloseIn(In):
    status: Literal["done", "cancelled"]


def _out(plan: ActionPlan) -> dict:
    return {
        "id": plan.pk, "unit_id": plan.unit_id, "title": plan.title, "why": plan.why,
        "source": plan.source, "evidence": plan.evidence, "programme_id": plan.programme_id,
        "figure": plan.variable, "expected_change": plan.expected_change,
        "trigger_month": plan.trigger_month, "owner_id": plan.owner_id, "due_on": plan.due_on,
        "status": plan.status, "done_at": plan.done_at, "escalation_level": plan.escalation_level,
    }  # fmt: skip


def _effect(request: HttpRequest, plan: ActionPlan) -> dict:
    found = action_effect(plan)
    seen = set(visible_units(request.user).values_list("pk", flat=True))
    out: dict = {
        "pending": found.pending, "before": found.before, "after": found.after,
        "comparison_units": len(found.comparison),
        "comparison_unit_ids": [unit.pk for unit in found.comparison if unit.pk in seen],
    }  # fmt: skip
    if found.effect is not None:
        result, verdict = found.effect.result, found.effect.verdict
        out.update(
            estimate=result.estimate, se=result.se, se_robust=result.se_robust,
            se_cluster=result.se_cluster, ci_low=result.ci_low, ci_high=result.ci_high,
            p=result.p, n=result.n, placebos=len(found.effect.placebos),
            credited=found.credited,
        )  # fmt: skip
        if verdict is not None:
            out.update(placebo_low=verdict.low, placebo_high=verdict.high, placebo_p=verdict.p)
    return out


def _joint(plan: ActionPlan) -> dict | None:
    joint = programme_effect(plan)
    if joint is None:
        return None
    result = joint.effect.result
    return {
        "plans": joint.plans, "units": joint.units, "comparison_units": joint.comparison,
        "estimate": result.estimate, "se_cluster": result.se_cluster, "ci_low": joint.ci_low,
        "ci_high": joint.ci_high, "p": joint.p, "credited": joint.credited,
    }  # fmt: skip


def _plan(request: HttpRequest, action_id: int) -> ActionPlan:
    plan = selected.action_list(request.user).filter(pk=action_id).first()
    if plan is None:
        raise HttpError(404, "No such action in your part of the network.")
    return plan


def _staff(request: HttpRequest, staff_id: int | None) -> Staff | None:
    if staff_id is None:
        return None
    found = Staff.objects.filter(pk=staff_id, unit__in=visible_units(request.user)).first()
    if found is None:
        raise HttpError(404, "No such staff member in your part of the network.")
    return found


@router.get("/improve/actions", response=list[ActionOut], auth=needs(may_follow_actions))
@paginate(Page)
def action_list(  # type: ignore[no-untyped-def]
    request: HttpRequest, status: Literal["open", "done", "cancelled"] | None = None,
    unit_id: Id | None = None,
):  # fmt: skip
    """Actions in the token's part, the soonest due first."""
    found = selected.action_list(request.user, status=status or "").order_by("due_on", "pk")
    if unit_id is not None:
        unit = visible_units(request.user).filter(pk=unit_id).first()
        if unit is None:
            raise HttpError(404, "No such unit in your part of the network.")
        found = found.filter(unit__path__startswith=unit.path)
    return [_out(plan) for plan in found]


@router.get("/improve/actions/summary", response=SummaryOut, auth=needs(may_see_analytics))
def action_summary_get(request: HttpRequest, unit_id: Id | None = None):  # type: ignore[no-untyped-def]
    """Finished, on time, and moved their figure: under a unit, or the token's whole part."""
    unit = None
    if unit_id is not None:
        unit = visible_units(request.user).filter(pk=unit_id).first()
        if unit is None:
            raise HttpError(404, "No such unit in your part of the network.")
    return asdict(selected.action_summary(request.user, unit=unit, today=timezone.localdate()))


@router.get("/improve/actions/{id:action_id}", response=ActionDetailOut,
            auth=needs(may_follow_actions))  # fmt: skip
def action_get(request: HttpRequest, action_id: int):  # type: ignore[no-untyped-def]
    """One action with its tasks, notes and measured effect."""
    plan = _plan(request, action_id)
    return {
        **_out(plan),
        "tasks": [
            {"id": t.pk, "title": t.title, "owner_id": t.owner_id, "due_on": t.due_on,
             "done_at": t.done_at} for t in plan.tasks.all()
        ],
        "notes": [
            {"id": n.pk, "author_id": n.author_id, "text": n.text, "has_photo": bool(n.photo),
             "moved_from": n.moved_from, "moved_to": n.moved_to, "created_at": n.created_at}
            for n in plan.notes.all()
        ],
        "effect": _effect(request, plan),
        "programme_of_actions": _joint(plan),
    }  # fmt: skip


@router.post("/improve/actions", response={201: ActionOut}, auth=needs(may_plan_actions))
def action_open(request: HttpRequest, data: ActionIn):  # type: ignore[no-untyped-def]
    """Open an action: what, why, owner, due date, and the figure it should move."""
    unit = visible_units(request.user).filter(pk=data.unit_id).first()
    if unit is None:
        raise HttpError(404, "No such unit in your part of the network.")
    programme = None
    if data.programme_id is not None:
        programme = Programme.objects.filter(pk=data.programme_id).first()
        if programme is None:
            raise HttpError(404, "No such programme.")
    plan = actions.action_open(
        actor=request.user, unit=unit, title=data.title, why=data.why,
        source=ActionSource(data.source), evidence=data.evidence,
        owner=_staff(request, data.owner_id), due_on=data.due_on, programme=programme,
        variable=data.figure, expected_change=data.expected_change,
        trigger_month=data.trigger_month,
    )  # fmt: skip
    return Status(201, _out(plan))


@router.post("/improve/actions/{id:action_id}/tasks", response={201: TaskOut},
             auth=needs(may_plan_actions))  # fmt: skip
def action_task_add(request: HttpRequest, action_id: int, data: TaskIn):  # type: ignore[no-untyped-def]
    task = actions.action_task_add(
        actor=request.user, plan=_plan(request, action_id), title=data.title,
        due_on=data.due_on, owner=_staff(request, data.owner_id),
    )  # fmt: skip
    return Status(201, task)


@router.post("/improve/actions/{id:action_id}/tasks/{id:task_id}/done", response=TaskOut,
             auth=needs(may_follow_actions))  # fmt: skip
def action_task_done(request: HttpRequest, action_id: int, task_id: int):  # type: ignore[no-untyped-def]
    task = _plan(request, action_id).tasks.filter(pk=task_id).first()
    if task is None:
        raise HttpError(404, "No such task on this action.")
    return actions.action_task_done(actor=request.user, task=task)


@router.post("/improve/actions/{id:action_id}/notes", response={201: NoteOut},
             auth=needs(may_follow_actions))  # fmt: skip
def action_note_add(request: HttpRequest, action_id: int, data: NoteIn):  # type: ignore[no-untyped-def]
    note = actions.action_note_add(actor=request.user, plan=_plan(request, action_id),
                                   text=data.text)  # fmt: skip
    return Status(201, {"id": note.pk, "author_id": note.author_id, "text": note.text,
                        "has_photo": False, "created_at": note.created_at})  # fmt: skip


@router.post("/improve/actions/{id:action_id}/close", response=ActionOut,
             auth=needs(may_plan_actions))  # fmt: skip
def action_close(request: HttpRequest, action_id: int, data: CloseIn):  # type: ignore[no-untyped-def]
    plan = actions.action_close(actor=request.user, plan=_plan(request, action_id),
                                status=ActionStatus(data.status))  # fmt: skip
    return _out(plan)


@router.post("/improve/actions/{id:action_id}/redate", response=ActionOut,
             auth=needs(may_plan_actions))  # fmt: skip
def action_redate(request: HttpRequest, action_id: int, data: RedateIn):  # type: ignore[no-untyped-def]
    """Move an open action's due date, saying why."""
    plan = actions.action_redate(actor=request.user, plan=_plan(request, action_id),
                                 due_on=data.due_on, reason=data.reason)  # fmt: skip
    return _out(plan)
