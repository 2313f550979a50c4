"""HQ sets the cards: which measures each role's card and the stores' card count, with
their weights and the figures that earn no points and full points."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from manyi.errors import DomainError
from manyi.org.permissions import may_set_scorecards, requires
from manyi.people.forms.scorecards import TemplateForm
from manyi.people.models import ScorecardTemplate
from manyi.people.selectors.scorecards import template_list
from manyi.people.services.scorecards import template_save
from manyi.web.forms import form_errors


@requires(may_set_scorecards)
def scorecard_templates(request: HttpRequest) -> HttpResponse:
    return render(request, "people/templates.html", {"templates": template_list()})


@requires(may_set_scorecards)
def scorecard_template_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    template = get_object_or_404(ScorecardTemplate, pk=pk) if pk is not None else None
    form = TemplateForm(request.POST or None, template=template)
    if request.method == "POST":
        try:
            if not form.is_valid():
                raise DomainError(form_errors(form))
            template_save(actor=request.user, template=template, name=form.cleaned_data["name"],
                          subject=form.cleaned_data["subject"], applies_to=form.applies_to(),
                          programme=form.cleaned_data["programme"],
                          position=form.cleaned_data["position"],
                          rules=form.rules())  # fmt: skip
        except DomainError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("Card saved; it counts from the next computation."))
            return redirect("people:templates")
    return render(request, "people/template_form.html", {"form": form, "template": template})
