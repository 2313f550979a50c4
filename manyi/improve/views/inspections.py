"""Inspections on screen: the list (what waits for me, planned, done), scheduling and the
surprise draw, one inspection with its results, carrying it out on a phone, calling it
off, and a failed standard turned into an action or a case."""

from itertools import groupby
from uuid import uuid4

from django.contrib import messages
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from manyi.errors import DomainError
from manyi.improve.forms.inspections import (
    AnswerError,
    CancelForm,
    DrawForm,
    InspectionFilter,
    ScheduleForm,
    given_answers,
)
from manyi.improve.models import Inspection
from manyi.improve.selectors.inspections import (
    answers_of,
    inspection_get,
    inspection_list,
    unfollowed_failures,
    waiting_inspections,
)
from manyi.improve.services import inspections as services
from manyi.org.permissions import (
    may_carry_out,
    may_order_mystery_shops,
    may_plan_actions,
    may_plan_inspections,
    may_see_inspections,
    may_set_checklists,
    requires,
)
from manyi.web.forms import form_errors, paginate, query_params


@requires(may_see_inspections)
def inspection_index(request: HttpRequest) -> HttpResponse:
    query = query_params(request, InspectionFilter)
    found = inspection_list(request.user, kind=query["kind"], status=query["status"])
    return render(request, "improve/inspections.html", {
        "page": paginate(request, found), "query": query,
        "waiting": list(waiting_inspections(request.user)[:10]),
        "failures": unfollowed_failures(request.user).count(),
        "may_plan": may_plan_inspections(request.user),
        "may_order": may_order_mystery_shops(request.user),
        "may_set": may_set_checklists(request.user),
    })  # fmt: skip


def _planning_form(request: HttpRequest, form_class: type, run: object) -> HttpResponse:
    """A planning form; ``run`` does the planning and says what it did."""
    form = form_class(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            made = run(form.cleaned_data)  # type: ignore[operator]
        except DomainError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, made)
            return redirect(reverse("improve:inspections") + "?status=planned")
    return render(
        request, "improve/inspection_plan.html", {"form": form, "draw": form_class is DrawForm}
    )


@requires(may_plan_inspections)
def inspection_schedule(request: HttpRequest) -> HttpResponse:
    def run(data: dict) -> str:
        count = len(services.inspections_schedule(actor=request.user, **data))
        return ngettext("%(n)d inspection planned.", "%(n)d inspections planned.", count) % {
            "n": count
        }

    return _planning_form(request, ScheduleForm, run)


@requires(may_plan_inspections)
def surprise_draw(request: HttpRequest) -> HttpResponse:
    def run(data: dict) -> str:
        draw = services.surprise_draw(actor=request.user, **data)
        return _(
            "%(n)s surprise inspections drawn with the seed %(seed)s. The stores will not "
            "see them until they are done."
        ) % {"n": draw.count, "seed": draw.seed}

    return _planning_form(request, DrawForm, run)


@requires(may_see_inspections)
def inspection_detail(request: HttpRequest, pk: int) -> HttpResponse:
    inspection = inspection_get(request.user, pk)
    answers = list(answers_of(inspection))
    return render(request, "improve/inspection.html", {
        "inspection": inspection,
        "by_step": [(step, list(rows)) for step, rows in
                    groupby(answers, key=lambda answer: answer.standard.step)],
        "may_carry_out": inspection.is_planned and may_carry_out(request.user, inspection),
        "may_cancel": inspection.is_planned and may_plan_inspections(request.user),
        "may_follow_up": may_plan_actions(request.user) and not inspection.competitor_id,
        "cancel_form": CancelForm(),
    })  # fmt: skip


def _items(inspection: Inspection) -> list:
    items = inspection.checklist.items.select_related("standard__step").prefetch_related(
        "standard__versions"
    )
    return [(step, list(rows)) for step, rows in groupby(items, key=lambda i: i.standard.step)]


def carry_out_page(
    request: HttpRequest, inspection: Inspection | None, record: object, *, public: bool = False
) -> HttpResponse:
    """The answers form (GET), or the answers stored by ``record`` (POST), which says
    where to go next: as JSON to the page's script, which keeps the answers in the
    browser until they are stored, or as a redirect without it."""
    wants_json = request.headers.get("Accept") == "application/json"
    error = ""
    if request.method == "POST":
        try:
            answers, key = given_answers(request.POST, request.FILES)
            url = record(answers, key)  # type: ignore[operator]
        except AnswerError:
            error = _("The answers could not be read: reload the page and answer again.")
        except DomainError as failure:
            error = str(failure)
        else:
            if wants_json:
                return JsonResponse({"stored": True, "url": url})
            messages.success(request, _("Inspection stored."))
            return redirect(url)
        if wants_json:
            return JsonResponse({"stored": False, "error": error}, status=400)
    if inspection is None:  # a used link sent from a page without its script
        return render(request, "improve/mystery_gone.html", {"error": error}, status=410)
    return render(request, "improve/carry_out.html", {
        "inspection": inspection, "by_step": _items(inspection), "error": error,
        "public": public, "submission_key": uuid4(),
    })  # fmt: skip


@requires(may_see_inspections)
def inspection_carry_out(request: HttpRequest, pk: int) -> HttpResponse:
    inspection = inspection_get(request.user, pk)
    if not may_carry_out(request.user, inspection):
        raise Http404
    if request.method == "GET" and not inspection.is_planned:
        return redirect("improve:inspection", pk=inspection.pk)

    def record(answers: dict, key: object) -> str:
        done = services.inspection_record(
            actor=request.user, inspection=inspection, answers=answers, submission_key=key
        )
        return reverse("improve:inspection", args=[done.pk])

    return carry_out_page(request, inspection, record)


@require_POST
@requires(may_plan_inspections)
def inspection_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    inspection = inspection_get(request.user, pk)
    form = CancelForm(request.POST)
    try:
        if not form.is_valid():
            raise DomainError(form_errors(form))
        services.inspection_cancel(actor=request.user, inspection=inspection, **form.cleaned_data)
    except DomainError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Inspection called off."))
    return redirect("improve:inspection", pk=inspection.pk)


def _answer(request: HttpRequest, pk: int, answer_pk: int):
    found = inspection_get(request.user, pk).answers.filter(pk=answer_pk).first()
    if found is None:
        raise Http404
    return found


@require_POST
@requires(may_plan_actions)
def answer_action(request: HttpRequest, pk: int, answer_pk: int) -> HttpResponse:
    """One click: an action on the failed standard, owned by whoever clicked."""
    try:
        plan = services.answer_to_action(actor=request.user, answer=_answer(request, pk, answer_pk))
    except DomainError as error:
        messages.error(request, str(error))
        return redirect("improve:inspection", pk=pk)
    messages.success(request, _("Action opened: give it its tasks and, if need be, another owner."))
    return redirect("improve:action", pk=plan.pk)


@require_POST
@requires(may_plan_actions)
def answer_case(request: HttpRequest, pk: int, answer_pk: int) -> HttpResponse:
    """One click: a case on the failed standard for the unit's case handlers."""
    try:
        case = services.answer_to_case(actor=request.user, answer=_answer(request, pk, answer_pk))
    except DomainError as error:
        messages.error(request, str(error))
        return redirect("improve:inspection", pk=pk)
    messages.success(request, _("Case opened."))
    return redirect("cases:detail", pk=case.pk)


@requires(may_see_inspections)
def answer_evidence(request: HttpRequest, pk: int, answer_pk: int, kind: str) -> FileResponse:
    answer = _answer(request, pk, answer_pk)
    stored = answer.photo if kind == "photo" else answer.audio
    if not stored:
        raise Http404
    content_type = answer.photo_type if kind == "photo" else answer.audio_type
    response = FileResponse(stored.open("rb"), content_type=content_type)
    response["X-Content-Type-Options"] = "nosniff"
    return response
