"""The standards library on screen: standards by service step, one standard with its
versions, new ones, revisions and retirements, and the steps."""

from itertools import groupby

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from manyi.errors import DomainError
from manyi.improve.forms.standards import (
    RetireForm,
    RevisionForm,
    StandardFilter,
    StandardForm,
    StepForm,
)
from manyi.improve.models import Standard, StandardClass, StandardKind
from manyi.improve.selectors.standards import item_texts, standard_list, step_list
from manyi.improve.services import standards as services
from manyi.org.permissions import may_see_standards, may_set_standards, requires
from manyi.web.forms import form_errors


def _standard(pk: int) -> Standard:
    found = standard_list(retired=True).filter(pk=pk).first()
    if found is None:
        raise Http404
    return found


@requires(may_see_standards)
def standard_index(request: HttpRequest) -> HttpResponse:
    given = StandardFilter(request.GET)
    query = given.cleaned_data if given.is_valid() else {}
    found = standard_list(step=query.get("step", ""), kind=query.get("kind", ""),
                          standard_class=query.get("standard_class", ""))  # fmt: skip
    by_step = [(step, list(rows)) for step, rows in groupby(found, key=lambda s: s.step)]
    return render(request, "improve/standards.html", {
        "by_step": by_step, "steps": step_list(), "kinds": StandardKind.choices,
        "classes": StandardClass.choices, "query": query, "count": len(found),
        "texts": item_texts(get_language() or "zh-hans"),
        "may_set": may_set_standards(request.user),
    })  # fmt: skip


@requires(may_set_standards)
def standard_new(request: HttpRequest) -> HttpResponse:
    form = StandardForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            standard = services.standard_create(actor=request.user, **form.service_arguments())
        except DomainError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Standard written."))
            return redirect("improve:standard", pk=standard.pk)
    return render(request, "improve/standard_form.html", {"form": form})


@requires(may_see_standards)
def standard_detail(request: HttpRequest, pk: int) -> HttpResponse:
    standard = _standard(pk)
    current = standard.versions.all()[0]
    revision = RevisionForm(initial={
        "title": current.title, "text": current.text, "items": ", ".join(current.items),
        "kind": standard.kind, "standard_class": standard.standard_class,
        "customer_visible": standard.customer_visible,
    })  # fmt: skip
    return render(request, "improve/standard.html", {
        "standard": standard, "current": current, "versions": standard.versions.all(),
        "revision_form": revision, "retire_form": RetireForm(),
        "texts": item_texts(get_language() or "zh-hans"),
        "may_set": may_set_standards(request.user),
    })  # fmt: skip


@require_POST
@requires(may_set_standards)
def standard_revise(request: HttpRequest, pk: int) -> HttpResponse:
    standard = _standard(pk)
    form = RevisionForm(request.POST)
    try:
        if not form.is_valid():
            raise DomainError(form_errors(form))
        services.standard_revise(actor=request.user, standard=standard,
                                 **form.service_arguments())  # fmt: skip
    except DomainError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Standard revised."))
    return redirect("improve:standard", pk=standard.pk)


@require_POST
@requires(may_set_standards)
def standard_retire(request: HttpRequest, pk: int) -> HttpResponse:
    standard = _standard(pk)
    form = RetireForm(request.POST)
    try:
        if not form.is_valid():
            raise DomainError(form_errors(form))
        services.standard_retire(actor=request.user, standard=standard, **form.cleaned_data)
    except DomainError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Standard retired."))
    return redirect("improve:standard", pk=standard.pk)


@requires(may_see_standards)
def steps(request: HttpRequest) -> HttpResponse:
    """The steps of the service cycle; headquarters adds, renames and orders them."""
    form = StepForm(request.POST or None)
    if request.method == "POST":
        if not may_set_standards(request.user):
            return HttpResponse(status=403)
        if form.is_valid():
            try:
                services.service_step_save(actor=request.user, **form.cleaned_data)
            except DomainError as error:
                form.add_error(None, str(error))
            else:
                messages.success(request, _("Step saved."))
                return redirect("improve:steps")
    return render(request, "improve/steps.html", {
        "steps": step_list(), "form": form, "may_set": may_set_standards(request.user),
    })  # fmt: skip
