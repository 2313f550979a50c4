"""The questionnaire builder: list, create from a template, edit the draft, preview, publish."""

import json
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from manyi.errors import DomainError
from manyi.org.permissions import may_design_questionnaires, requires
from manyi.surveys import builder, services
from manyi.surveys.definition import DefinitionError, Text, parse
from manyi.surveys.forms import (
    TYPE_LABELS,
    DraftJsonForm,
    ItemForm,
    QuestionnaireCreateForm,
    WeightsForm,
)
from manyi.surveys.models import Questionnaire


def _templates() -> list[tuple[str, str]]:
    language = get_language() or "zh-hans"
    return [
        (code, Text.parse(services.template_load(code).get("title")).get(language))
        for code in services.template_codes()
    ]


@requires(may_design_questionnaires)
def questionnaire_list(request: HttpRequest) -> HttpResponse:
    form = QuestionnaireCreateForm(request.POST or None, templates=_templates())
    if request.method == "POST" and form.is_valid():
        try:
            questionnaire = services.questionnaire_create(actor=request.user, **form.cleaned_data)
        except DomainError as error:
            form.add_error(None, str(error))
        else:
            return redirect("surveys:questionnaire", pk=questionnaire.pk)
    questionnaires = Questionnaire.objects.filter(is_archived=False).prefetch_related("versions")
    return render(
        request, "surveys/questionnaire_list.html", {"questionnaires": questionnaires, "form": form}
    )


@requires(may_design_questionnaires)
def questionnaire_detail(request: HttpRequest, pk: int) -> HttpResponse:
    questionnaire = get_object_or_404(Questionnaire, pk=pk)
    draft = questionnaire.draft
    latest = questionnaire.versions.order_by("-number").first()
    language = get_language() or "zh-hans"
    # Factors, dimensions and other items are shown by name, codes only beside them.
    names = {
        str(entry.get("code")): Text.parse(entry.get("name")).get(language)
        for key in ("factors", "dimensions")
        for entry in draft.get(key) or ()
        if isinstance(entry, dict)
    }
    questions = {
        str(item.get("code")): Text.parse(item.get("text")).get(language)
        for item in draft.get("items") or ()
        if isinstance(item, dict)
    }
    template = dict(_templates()).get(questionnaire.template or "", questionnaire.template)
    return render(
        request,
        "surveys/questionnaire_detail.html",
        {
            "questionnaire": questionnaire,
            "items": draft.get("items", []),
            "factors": draft.get("factors", []),
            "names": names,
            "questions": questions,
            "type_labels": {code: str(label) for code, label in TYPE_LABELS.items()},
            "template": template,
            "problems": services.draft_problems(questionnaire),
            "changed": services.has_unpublished_changes(questionnaire),
            "versions": questionnaire.versions.all(),
            # The latest version, when no programme surveys with it yet: the next step.
            "unused": latest if latest and not latest.programmes.exists() else None,
            "json_form": DraftJsonForm(
                initial={
                    "draft": json.dumps(draft, ensure_ascii=False, indent=1),
                    "based_on": questionnaire.draft_updated_at.isoformat(),
                }
            ),
        },
    )


def _edit(request: HttpRequest, questionnaire: Questionnaire, edit: str, change: Any) -> bool:
    """Apply one builder operation to the draft as it is now; False (with a message)
    when it cannot be applied."""
    try:
        services.questionnaire_draft_edit(
            actor=request.user, questionnaire=questionnaire, edit=edit, change=change
        )
    except DomainError as error:
        messages.error(request, str(error))
        return False
    messages.success(request, _("Draft saved."))
    return True


@requires(may_design_questionnaires)
def item_edit(request: HttpRequest, pk: int, code: str = "") -> HttpResponse:
    """Add an item (no ``code``) or change the item coded ``code``."""
    questionnaire = get_object_or_404(Questionnaire, pk=pk)
    existing = next(
        (i for i in questionnaire.draft.get("items", []) if i.get("code") == code), None
    )
    if code and existing is None:
        return redirect("surveys:questionnaire", pk=pk)
    initial = ItemForm.initial_from(existing) if existing else None
    form = ItemForm(request.POST or None, initial=initial, draft=questionnaire.draft, code=code)
    if request.method == "POST" and form.is_valid():
        item = form.as_item()
        try:
            services.questionnaire_draft_edit(
                actor=request.user,
                questionnaire=questionnaire,
                edit=f"item {item.get('code')}",
                change=lambda draft: builder.item_put(draft, item, replace=code),
            )
        except DomainError as error:
            form.add_error("code", str(error))
        else:
            messages.success(request, _("Draft saved."))
            return redirect("surveys:questionnaire", pk=pk)
    return render(
        request,
        "surveys/item_form.html",
        {"questionnaire": questionnaire, "form": form, "code": code},
    )


@requires(may_design_questionnaires)
@require_POST
def item_action(request: HttpRequest, pk: int, code: str) -> HttpResponse:
    """Move an item up or down, or remove it."""
    questionnaire = get_object_or_404(Questionnaire, pk=pk)
    action = request.POST.get("action")
    if action == "remove":
        _edit(request, questionnaire, f"remove {code}", lambda d: builder.item_remove(d, code))
    else:
        step = -1 if action == "up" else 1
        _edit(request, questionnaire, f"move {code}", lambda d: builder.item_move(d, code, step))
    return redirect("surveys:questionnaire", pk=pk)


@requires(may_design_questionnaires)
@require_POST
def weights_edit(request: HttpRequest, pk: int) -> HttpResponse:
    questionnaire = get_object_or_404(Questionnaire, pk=pk)
    form = WeightsForm(request.POST, factors=questionnaire.draft.get("factors", []))
    if form.is_valid():
        weights = form.weights()
        _edit(request, questionnaire, "weights", lambda d: builder.weights_set(d, weights))
    else:
        messages.error(request, _("Enter a number for every weight."))
    return redirect("surveys:questionnaire", pk=pk)


@requires(may_design_questionnaires)
@require_POST
def draft_json(request: HttpRequest, pk: int) -> HttpResponse:
    questionnaire = get_object_or_404(Questionnaire, pk=pk)
    form = DraftJsonForm(request.POST)
    if form.is_valid():
        try:
            services.questionnaire_update_draft(
                actor=request.user,
                questionnaire=questionnaire,
                draft=form.cleaned_data["draft"],
                based_on=form.cleaned_data["based_on"],
            )
        except DomainError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("Draft saved."))
    else:
        for error in form.errors["draft"]:
            messages.error(request, error)
    return redirect("surveys:questionnaire", pk=pk)


@requires(may_design_questionnaires)
@require_POST
def publish(request: HttpRequest, pk: int) -> HttpResponse:
    questionnaire = get_object_or_404(Questionnaire, pk=pk)
    try:
        version = services.questionnaire_publish(actor=request.user, questionnaire=questionnaire)
    except services.QuestionnaireError as error:
        messages.error(request, " ".join([str(error), *error.problems]))
    else:
        messages.success(request, _("Published as version %(n)s.") % {"n": version.number})
    return redirect("surveys:questionnaire", pk=pk)


@requires(may_design_questionnaires)
def preview(request: HttpRequest, pk: int) -> HttpResponse:
    """The draft as a customer would see it, in a phone-sized frame."""
    questionnaire = get_object_or_404(Questionnaire, pk=pk)
    try:
        definition = parse(questionnaire.draft)
    except DefinitionError as error:
        return render(
            request,
            "surveys/preview.html",
            {"questionnaire": questionnaire, "problems": error.problems},
        )
    language = get_language() or "zh-hans"
    sections = [
        (section.title.get(language), definition.items_of(section.code))
        for section in definition.sections
    ] or [("", list(definition.items))]
    return render(
        request,
        "surveys/preview.html",
        {
            "questionnaire": questionnaire,
            "definition": definition,
            "sections": sections,
            "language": language,
        },
    )
