"""Programme screens: list, set-up, waves and their funnels, alert rules, open links."""

from dataclasses import replace
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from manyi.customers.models import Customer
from manyi.customers.selectors import customer_segment, visible_customers
from manyi.errors import DomainError
from manyi.imports.kinds.responses import ResponseImport
from manyi.imports.templates_csv import template_xlsx
from manyi.org.permissions import (
    may_follow_programmes,
    may_record_responses,
    may_run_programmes,
    requires,
)
from manyi.org.selectors import unit_choices, visible_unit_filter
from manyi.stats.sampling import margin_mean, margin_proportion, sample_size_proportion
from manyi.surveys import selectors, services
from manyi.surveys.models import AlertRule, InvitationStatus, Programme, Wave
from manyi.surveys.programme_forms import (
    AlertRuleForm,
    InvitationFilter,
    ManualWaveForm,
    OpenLinkForm,
    ProgrammeForm,
    SampleSizeForm,
)
from manyi.surveys.timing import measured_seconds, promised_minutes
from manyi.surveys.versions import definition_of
from manyi.web.converters import parse_id
from manyi.web.exports import XLSX_TYPE
from manyi.web.forms import paginate, query_params


@requires(may_follow_programmes)
def programme_list(request: HttpRequest) -> HttpResponse:
    programmes = selectors.programme_list()
    return render(
        request,
        "surveys/programme_list.html",
        {"programmes": programmes, "may_design": may_run_programmes(request.user)},
    )


@requires(may_run_programmes)
def programme_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    """Set up a programme (no ``pk``) or change its settings."""
    programme = get_object_or_404(Programme, pk=pk) if pk else None
    # Started from a questionnaire just published: that version, already chosen.
    version = parse_id(request.GET.get("version", "")) if programme is None else None
    form = ProgrammeForm(
        request.POST or None,
        instance=programme,
        units=unit_choices(request.user),
        initial={"version": version} if version else {},
    )
    if request.method == "POST" and form.is_valid():
        arguments = form.service_arguments()
        try:
            if programme is None:
                programme = services.programme_create(actor=request.user, **arguments)
            else:
                services.programme_update(actor=request.user, programme=programme, **arguments)
        except DomainError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Programme saved."))
            return redirect("surveys:programme", pk=programme.pk)
    return render(
        request,
        "surveys/programme_form.html",
        {"form": form, "programme": programme, "calculator": SampleSizeForm()},
    )


@requires(may_follow_programmes)
def programme_detail(request: HttpRequest, pk: int) -> HttpResponse:
    programme = get_object_or_404(selectors.programme_list(), pk=pk)
    total, _by_unit = selectors.funnel(request.user, programme=programme)
    designer = may_run_programmes(request.user)
    took, timed = measured_seconds(programme)
    return render(
        request,
        "surveys/programme_detail.html",
        {
            "programme": programme,
            "total": total,
            "promised": promised_minutes(definition_of(programme.version_id)),
            "measured": {"minutes": took / 60, "n": timed} if timed else None,
            "wave_rows": [
                replace(row, link=reverse("surveys:wave", args=[programme.pk, wave.pk]))
                for wave, row in selectors.waves(programme, request.user)
            ],
            "rules": programme.alert_rules.all(),
            "open_links": programme.open_links.filter(
                visible_unit_filter(request.user)
            ).select_related("unit"),
            "may_design": designer,
            "rule_form": AlertRuleForm() if designer else None,
            "wave_form": ManualWaveForm(units=unit_choices(request.user)) if designer else None,
            "link_form": OpenLinkForm(units=unit_choices(request.user)) if designer else None,
        },
    )


@requires(may_follow_programmes)
def wave_detail(request: HttpRequest, pk: int, wave: int) -> HttpResponse:
    """A wave's funnel per unit and its invitations, each with how far it got."""
    programme = get_object_or_404(Programme, pk=pk)
    wave_obj = get_object_or_404(Wave, pk=wave, programme=programme)
    given = query_params(request, InvitationFilter, user=request.user)
    status = given["status"] if given["status"] in InvitationStatus.values else ""
    total, by_unit = selectors.funnel(request.user, wave=wave_obj)
    invitations = selectors.invitation_list(
        request.user,
        wave=wave_obj,
        status=status,
        unit=given["unit"].pk if given["unit"] else None,
    )
    return render(
        request,
        "surveys/wave_detail.html",
        {
            "programme": programme,
            "wave": wave_obj,
            "total": total,
            "unit_rows": [replace(row, link=f"?unit={row.unit_id}") for row in by_unit],
            "page": paginate(request, invitations),
            "status": status,
            "statuses": InvitationStatus.choices,
        },
    )


@requires(may_run_programmes)
@require_POST
def alert_rule_add(request: HttpRequest, pk: int) -> HttpResponse:
    programme = get_object_or_404(Programme, pk=pk)
    form = AlertRuleForm(request.POST)
    if form.is_valid():
        try:
            services.alert_rule_save(actor=request.user, programme=programme, **form.cleaned_data)
        except DomainError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("Alert rule added."))
    else:
        messages.error(request, _("Check the alert rule."))
    return redirect("surveys:programme", pk=pk)


@requires(may_run_programmes)
@require_POST
def alert_rule_toggle(request: HttpRequest, pk: int, rule: int) -> HttpResponse:
    rule_obj = get_object_or_404(AlertRule, pk=rule, programme_id=pk)
    services.alert_rule_toggle(actor=request.user, rule=rule_obj)
    return redirect("surveys:programme", pk=pk)


@requires(may_run_programmes)
@require_POST
def wave_new(request: HttpRequest, pk: int) -> HttpResponse:
    """A manual wave over a segment of the customers, or a list of external ids."""
    programme = get_object_or_404(Programme, pk=pk)
    form = ManualWaveForm(request.POST, units=unit_choices(request.user))
    if not form.is_valid():
        for errors in form.errors.values():
            messages.error(request, " ".join(errors))
        return redirect("surveys:programme", pk=pk)
    try:
        result = services.wave_invite(
            actor=request.user,
            programme=programme,
            name=form.cleaned_data["name"],
            customers=_wave_customers(request.user, form),
        )
    except DomainError as error:
        messages.error(request, str(error))
        return redirect("surveys:programme", pk=pk)
    messages.success(
        request,
        _("%(invited)s invited, %(excluded)s excluded.")
        % {"invited": result.invited, "excluded": sum(result.excluded.values())},
    )
    return redirect("surveys:wave", pk=pk, wave=result.wave.pk)


def _wave_customers(user: Any, form: ManualWaveForm) -> list[Customer]:
    """The listed customers (every id must be known), else the segment's draw."""
    wanted = form.external_ids()
    if not wanted:
        return services.wave_draw(
            customers=customer_segment(user, **form.segment()),
            at_most=form.cleaned_data["at_most"],
            seed=form.cleaned_data["name"],
        )
    customers = list(visible_customers(user).filter(external_id__in=wanted))
    unknown = sorted(set(wanted) - {customer.external_id for customer in customers})
    if unknown:
        raise services.ProgrammeError(
            _("No customer with external id %(ids)s; nothing was sent.")
            % {"ids": ", ".join(unknown[:10])}
        )
    return customers


@requires(may_run_programmes)
@require_POST
def open_link_new(request: HttpRequest, pk: int) -> HttpResponse:
    programme = get_object_or_404(Programme, pk=pk)
    form = OpenLinkForm(request.POST, units=unit_choices(request.user))
    if form.is_valid():
        try:
            services.open_link_create(actor=request.user, programme=programme, **form.cleaned_data)
        except DomainError as error:
            messages.error(request, str(error))
    else:
        messages.error(request, _("Check the open link."))
    return redirect("surveys:programme", pk=pk)


@requires(may_run_programmes)
def sample_size(request: HttpRequest) -> HttpResponse:
    """htmx: the margin of error a quota gives, and the quota a wanted margin needs."""
    form = SampleSizeForm(request.GET or None)
    figures = None
    if form.is_valid():
        data = form.cleaned_data
        population, quota = data["population"], data["quota"]
        confidence = float(data["confidence"])
        try:
            figures = {
                "share": margin_proportion(quota, population=population, confidence=confidence)
                * 100,
                "index": margin_mean(
                    quota, sd=float(data["sd"]), population=population, confidence=confidence
                ),
                "needed": sample_size_proportion(
                    float(data["margin"]) / 100, population=population, confidence=confidence
                ).n,
            }
        except ValueError as error:
            raise Http404 from error
    return render(request, "surveys/_sample_size.html", {"form": form, "figures": figures})


def _item_columns(programme: Programme) -> list[tuple[str, str, str]]:
    """One column per item of the programme's questionnaire, with an example and its text."""
    language = get_language() or "zh-hans"
    columns = []
    for item in programme.version.parsed().items:
        text = item.text.get(language)
        if item.scale:
            example = str((item.scale.min + item.scale.max + 1) // 2)
            text = f"{text} ({item.scale.min}–{item.scale.max})"
        elif item.choices:
            example = item.choices[0].code
        elif item.type == "yesno":
            example = "no"
        else:
            example = ""
        if item.type == "servqual":
            columns += [(f"{item.code}_E", example, text), (f"{item.code}_P", example, text)]
        else:
            columns.append((item.code, example, text))
    return columns


@requires(may_record_responses)
def response_template(request: HttpRequest, pk: int) -> HttpResponse:
    """An XLSX to fill in answers gathered elsewhere, then upload on the import screen."""
    programme = get_object_or_404(Programme.objects.select_related("version"), pk=pk)
    example = ResponseImport()
    book = template_xlsx(example, _item_columns(programme))
    response = HttpResponse(book, content_type=XLSX_TYPE)
    response["Content-Disposition"] = (
        f'attachment; filename="manyi-responses-{programme.code}.xlsx"'
    )
    return response
