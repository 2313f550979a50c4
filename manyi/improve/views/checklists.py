"""Checklists and competitor stores on screen: the lists, a new checklist or a change to
one, retiring one, and a competitor store added or changed."""

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from manyi.errors import DomainError
from manyi.improve.forms.inspections import ChecklistForm, CompetitorForm, CompetitorPick
from manyi.improve.models import Checklist
from manyi.improve.selectors.inspections import checklist_list, competitor_list
from manyi.improve.services import checklists as services
from manyi.org.permissions import may_see_inspections, may_set_checklists, requires
from manyi.web.forms import query_params


@requires(may_see_inspections)
def checklist_index(request: HttpRequest) -> HttpResponse:
    return render(request, "improve/checklists.html", {
        "checklists": checklist_list(active_only=False).prefetch_related(
            "items__standard__step", "items__standard__versions"),
        "may_set": may_set_checklists(request.user),
    })  # fmt: skip


def _checklist(pk: int) -> Checklist:
    found = checklist_list(active_only=False).filter(pk=pk).first()
    if found is None:
        raise Http404
    return found


@requires(may_set_checklists)
def checklist_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    checklist = _checklist(pk) if pk is not None else None
    initial = {}
    if checklist is not None:
        items = list(checklist.items.all())
        initial = {
            "name": checklist.name, "name_en": checklist.name_en,
            "standards": [item.standard_id for item in items],
            "scored": [item.standard_id for item in items if item.points],
        }  # fmt: skip
    form = ChecklistForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.checklist_save(actor=request.user, checklist=checklist, **form.cleaned_data)
        except DomainError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Checklist saved."))
            return redirect("improve:checklists")
    return render(request, "improve/checklist_form.html", {"form": form, "checklist": checklist})


@require_POST
@requires(may_set_checklists)
def checklist_retire(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        services.checklist_retire(actor=request.user, checklist=_checklist(pk))
    except DomainError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Checklist taken out of use."))
    return redirect("improve:checklists")


@requires(may_see_inspections)
def competitor_index(request: HttpRequest) -> HttpResponse:
    """The competitor stores of the user's part; headquarters adds and changes them."""
    wanted = query_params(request, CompetitorPick)["edit"]
    editing = competitor_list(request.user).filter(pk=wanted).first() if wanted else None
    if wanted and editing is None:
        raise Http404
    initial = {"name": editing.name, "brand": editing.brand, "near": editing.near_id,
               "is_active": editing.is_active} if editing else None  # fmt: skip
    form = CompetitorForm(request.POST or None, user=request.user, initial=initial)
    if request.method == "POST":
        if not may_set_checklists(request.user):
            return HttpResponse(status=403)
        if form.is_valid():
            try:
                services.competitor_save(
                    actor=request.user, competitor=editing, **form.cleaned_data
                )
            except DomainError as error:
                form.add_error(None, str(error))
            else:
                messages.success(request, _("Competitor store saved."))
                return redirect("improve:competitors")
    return render(request, "improve/competitors.html", {
        "competitors": competitor_list(request.user), "form": form, "editing": editing,
        "may_set": may_set_checklists(request.user),
    })  # fmt: skip
