"""Action plan screens: the board (region → store), one action with its tasks, notes
and measured effect, a new action, the complaint groups an action can come from."""

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from manyi.cases.reports import reviewed_complaint_groups
from manyi.errors import DomainError
from manyi.improve.action_effect import action_effect, chart_data
from manyi.improve.forms.actions import (
    ActionForm,
    BoardFilter,
    NoteForm,
    RedateForm,
    ShortfallPrefill,
    TaskForm,
)
from manyi.improve.models import ActionPlan, ActionStatus, ActionTask
from manyi.improve.programme_effect import programme_effect
from manyi.improve.selectors import actions as board
from manyi.improve.selectors.targets import evidence_rows, figure_label
from manyi.improve.services import actions
from manyi.org.permissions import (
    may_follow_actions,
    may_plan_actions,
    may_see_analytics,
    may_tick_task,
    may_work_action,
    requires,
)
from manyi.org.selectors import visible_units
from manyi.stats.did import MIN_PLACEBOS
from manyi.web.forms import form_errors, paginate


def _plan(request: HttpRequest, pk: int) -> ActionPlan:
    plan = board.action_list(request.user).select_related("programme").filter(pk=pk).first()
    if plan is None:
        raise Http404
    return plan


@requires(may_follow_actions)
def action_board(request: HttpRequest) -> HttpResponse:
    """The actions under a unit: per unit below it, then the list, filtered."""
    given = BoardFilter(request.GET)
    query = given.cleaned_data if given.is_valid() else {}
    unit = None
    if query.get("unit"):
        unit = visible_units(request.user).filter(pk=query["unit"]).first()
        if unit is None:
            raise Http404
    today = timezone.localdate()
    total, rows = board.board_rows(request.user, unit=unit, today=today)
    status = query.get("status", "")
    listed = board.board_list(request.user, unit=unit, status=status,
                              mine=bool(query.get("mine")), today=today)  # fmt: skip
    base = {k: v for k, v in (("status", status), ("mine", "on" if query.get("mine") else ""))
            if v}  # fmt: skip
    return render(request, "improve/actions.html", {
        "unit": unit, "total": total, "rows": rows, "page": paginate(request, listed),
        "status": status, "mine": bool(query.get("mine")), "today": today,
        "drill": f"{reverse('improve:actions')}?{urlencode(base)}&unit=",
        "parents": visible_units(request.user).filter(pk__in=unit.ancestor_ids()) if unit else [],
        "summary": board.action_summary(request.user, unit=unit, today=today)
        if may_see_analytics(request.user) else None,
        "may_plan": may_plan_actions(request.user),
    })  # fmt: skip


@requires(may_follow_actions)
def action_detail(request: HttpRequest, pk: int) -> HttpResponse:
    plan = _plan(request, pk)
    language = get_language() or "zh-hans"
    effect = action_effect(plan)
    tasks = list(plan.tasks.select_related("owner"))
    return render(request, "improve/action.html", {
        "plan": plan, "tasks": tasks,
        "tickable": {task.pk for task in tasks if may_tick_task(request.user, plan, task)}
        if plan.is_open else set(),
        "notes": plan.notes.select_related("author"),
        "deadlines": plan.deadlines.select_related("escalated_to"),
        "figure": figure_label(plan.programme.version_id, plan.variable, language)
        if plan.programme else "",
        "effect": effect, "needed": MIN_PLACEBOS, "joint": programme_effect(plan),
        "chart": chart_data(
            effect, visible=set(visible_units(request.user).values_list("pk", flat=True))
        ),
        "evidence": evidence_rows(plan, language),
        "may_plan": may_plan_actions(request.user),
        "may_work": plan.is_open and may_work_action(request.user, plan),
        "task_form": TaskForm(plan=plan), "note_form": NoteForm(),
        "redate_form": RedateForm(initial={"due_on": plan.due_on}),
        "overdue": plan.is_open and plan.due_on < timezone.localdate(),
    })  # fmt: skip


@requires(may_plan_actions)
def action_new(request: HttpRequest) -> HttpResponse:
    """A new action, filled in from the shortfall or complaints it comes from."""
    initial = ShortfallPrefill(request.GET).prefill(request.user) if request.GET else {}
    form = ActionForm(request.POST or None, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            plan = actions.action_open(actor=request.user, **form.service_arguments())
        except DomainError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Action opened."))
            return redirect("improve:action", pk=plan.pk)
    return render(request, "improve/action_form.html", {"form": form})


def _act(
    request: HttpRequest, pk: int, change: Callable[[ActionPlan], Any], done: str
) -> HttpResponse:
    """Run one change of an action and come back to it, the outcome said."""
    plan = _plan(request, pk)
    try:
        change(plan)
    except DomainError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, done)
    return redirect("improve:action", pk=plan.pk)


@require_POST
@requires(may_plan_actions)
def action_task_add(request: HttpRequest, pk: int) -> HttpResponse:
    def add(plan: ActionPlan) -> None:
        form = TaskForm(request.POST, plan=plan)
        if not form.is_valid():
            raise DomainError(form_errors(form))
        actions.action_task_add(actor=request.user, plan=plan, **form.cleaned_data)

    return _act(request, pk, add, _("Task added."))


@require_POST
@requires(may_follow_actions)
def action_task_done(request: HttpRequest, pk: int, task_pk: int) -> HttpResponse:
    def tick(plan: ActionPlan) -> None:
        task = ActionTask.objects.filter(plan=plan, pk=task_pk).first()
        if task is None:
            raise Http404
        actions.action_task_done(actor=request.user, task=task)

    return _act(request, pk, tick, _("Task done."))


@require_POST
@requires(may_follow_actions)
def action_note_add(request: HttpRequest, pk: int) -> HttpResponse:
    def note(plan: ActionPlan) -> None:
        form = NoteForm(request.POST, request.FILES)
        if not form.is_valid():
            raise DomainError(form_errors(form))
        actions.action_note_add(actor=request.user, plan=plan, text=form.cleaned_data["text"],
                                photo=form.cleaned_data["photo"])  # fmt: skip

    return _act(request, pk, note, _("Progress noted."))


@require_POST
@requires(may_plan_actions)
def action_close(request: HttpRequest, pk: int) -> HttpResponse:
    status = request.POST.get("status", "")

    def close(plan: ActionPlan) -> None:
        actions.action_close(actor=request.user, plan=plan, status=status)

    done = _("Action finished.") if status == ActionStatus.DONE else _("Action cancelled.")
    return _act(request, pk, close, done)


@require_POST
@requires(may_plan_actions)
def action_redate(request: HttpRequest, pk: int) -> HttpResponse:
    def redate(plan: ActionPlan) -> None:
        form = RedateForm(request.POST)
        if not form.is_valid():
            raise DomainError(form_errors(form))
        actions.action_redate(actor=request.user, plan=plan, **form.cleaned_data)

    return _act(request, pk, redate, _("Due date moved."))


@requires(may_follow_actions)
def action_photo(request: HttpRequest, pk: int, note_pk: int) -> FileResponse:
    note = _plan(request, pk).notes.filter(pk=note_pk).exclude(photo="").first()
    if note is None:
        raise Http404
    response = FileResponse(note.photo.open("rb"), content_type=note.photo_type)
    response["X-Content-Type-Options"] = "nosniff"
    return response


@requires(may_plan_actions)
def complaint_groups(request: HttpRequest) -> HttpResponse:
    """Reviewed complaints grouped by unit and cause, each with a link to act on it."""
    groups = reviewed_complaint_groups(request.user)
    links = [
        f"{reverse('improve:action_new')}?"
        + urlencode(
            {
                "source": "complaints",
                "unit": group.unit.pk,
                "cause": str(group.cause),
                "cases": ", ".join(group.numbers[:10]),
            }
        )
        for group in groups
    ]
    return render(
        request, "improve/complaint_groups.html", {"groups": zip(groups, links, strict=True)}
    )
