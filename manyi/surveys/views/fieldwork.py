"""Fieldwork screens: an invitation's life and QR code, responses, alerts, phone interviews."""

import io
from typing import Any

import segno
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from manyi.cases.selectors import cases_of_responses
from manyi.customers.services import phones_to_dial
from manyi.errors import DomainError
from manyi.org.permissions import (
    may_follow_programmes,
    may_make_calls,
    may_read_responses,
    may_work_alerts,
    requires,
)
from manyi.org.selectors import stores, visible_unit_filter
from manyi.surveys import selectors, services
from manyi.surveys.answers import AnswerError
from manyi.surveys.models import AlertStatus, Invitation, OpenLink, Response
from manyi.surveys.programme_forms import CallFilter, CallForm, InvitationFilter
from manyi.surveys.public import answers_from, form_sections
from manyi.surveys.said import what_was_said
from manyi.surveys.spoken import spoken_items
from manyi.surveys.timing import promised_minutes
from manyi.surveys.versions import definition_of
from manyi.web.forms import paginate, query_params, safe_next

LIFE = [
    "created_at",
    "sent_at",
    "delivered_at",
    "failed_at",
    "opened_at",
    "started_at",
    "completed_at",
    "reminded_at",
    "opted_out_at",
    "expires_at",
]


def _or_404(get: Any, *args: Any) -> Any:
    try:
        return get(*args)
    except (Invitation.DoesNotExist, Response.DoesNotExist) as error:
        raise Http404 from error


def _qr(url: str) -> HttpResponse:
    buffer = io.BytesIO()
    segno.make(url, error="m").save(buffer, kind="svg", scale=6, border=2, xmldecl=False)
    return HttpResponse(buffer.getvalue(), content_type="image/svg+xml")


@requires(may_read_responses)
def invitation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    invitation = _or_404(selectors.invitation_get, request.user, pk)
    life = [
        (Invitation._meta.get_field(name).verbose_name, getattr(invitation, name))
        for name in LIFE
        if getattr(invitation, name)
    ]
    life.sort(key=lambda step: step[1])
    return render(
        request,
        "surveys/invitation_detail.html",
        {
            "invitation": invitation,
            "life": life,
            "link": services.survey_url(invitation) if may_follow_programmes(request.user) else "",
            "calls": invitation.calls.select_related("agent"),
            "response": Response.objects.filter(invitation=invitation).first(),
        },
    )


@requires(may_follow_programmes)
def invitation_qr(request: HttpRequest, pk: int) -> HttpResponse:
    """The invitation's link as a QR code (to print on a repair order or a receipt)."""
    invitation = _or_404(selectors.invitation_get, request.user, pk)
    return _qr(services.survey_url(invitation))


@requires(may_follow_programmes)
def open_link_qr(request: HttpRequest, pk: int) -> HttpResponse:
    """A counter card's QR code: the open link of one unit."""
    link = get_object_or_404(OpenLink.objects.filter(visible_unit_filter(request.user)), pk=pk)
    return _qr(services.open_link_url(link))


@requires(may_read_responses)
def response_detail(request: HttpRequest, pk: int) -> HttpResponse:
    response = _or_404(lambda: selectors.response_list(request.user).get(pk=pk))
    definition = definition_of(response.version_id)
    language = get_language() or "zh-hans"
    rows = [
        (item, response.answers.get(item.code), response.scores.get("items", {}).get(item.code))
        for item in definition.items
        if item.code in response.answers
    ]
    return render(
        request,
        "surveys/response_detail.html",
        {
            "response": response,
            "rows": rows,
            "factors": [
                (factor, response.scores.get("factors", {}).get(factor.code))
                for factor in definition.factors
            ],
            "language": language,
            "alerts": response.alerts.all(),
        },
    )


@requires(may_work_alerts)
def alert_list(request: HttpRequest) -> HttpResponse:
    given = query_params(request, InvitationFilter, user=request.user)
    # Every alert by default: most are taken up into cases at once, and what matters is
    # how their case is doing.
    status = request.GET.get("status", "")
    if status not in AlertStatus.values:
        status = ""
    unit_id = given["unit"].pk if given["unit"] else None
    alerts = selectors.alert_list(request.user, status=status, unit=unit_id).prefetch_related(
        "response__alerts__rule"
    )
    page = paginate(request, alerts.order_by("-created_at", "-pk"))
    cases = cases_of_responses(request.user, [alert.response_id for alert in page])
    language = get_language() or "zh-hans"
    return render(
        request,
        "surveys/alert_list.html",
        {
            "page": page,
            "rows": [
                (alert, cases.get(alert.response_id), what_was_said(alert.response, language))
                for alert in page
            ],
            "now": timezone.now(),
            "status": status,
            "statuses": AlertStatus.choices,
            "units": stores(request.user),
            "unit_id": unit_id,
        },
    )


@requires(may_work_alerts)
@require_POST
def alert_acknowledge(request: HttpRequest, pk: int) -> HttpResponse:
    alert = get_object_or_404(selectors.alert_list(request.user), pk=pk)
    services.alert_acknowledge(actor=request.user, alert=alert)
    return redirect(safe_next(request, reverse("surveys:alerts")))


@requires(may_make_calls)
def call_list(request: HttpRequest) -> HttpResponse:
    """The agent's list: phone interviews whose time has come."""
    programme = query_params(request, CallFilter)["programme"]
    calls = selectors.call_list(request.user, programme=programme)
    return render(
        request,
        "surveys/call_list.html",
        {
            "page": paginate(request, calls),
            "programmes": selectors.programme_list(),
            "programme": programme,
        },
    )


@requires(may_make_calls)
def call_screen(request: HttpRequest, pk: int) -> HttpResponse:
    """The interview script: who to call, the questions to read, how the call ended."""
    invitation = _or_404(selectors.invitation_get, request.user, pk)
    if invitation.channel != "phone":
        raise Http404
    definition = definition_of(invitation.version_id)
    form = CallForm(request.POST or None)
    answers: dict[str, Any] = {}
    problems: dict[str, str] = {}
    if request.method == "POST" and form.is_valid():
        answers = answers_from(request.POST, definition)
        try:
            services.call_record(
                agent=request.user,
                invitation=invitation,
                answers=answers,
                **form.cleaned_data,
            )
        except AnswerError as error:
            problems = error.problems
            messages.error(request, _("Some answers are missing or not valid; they are marked."))
        except DomainError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("Call recorded."))
            # Straight on to the next call due, as a call centre works.
            following = selectors.call_list(request.user).exclude(pk=invitation.pk).first()
            if following is not None:
                return redirect("surveys:call", pk=following.pk)
            return redirect("surveys:calls")
    phones = (
        phones_to_dial(actor=request.user, customer=invitation.customer)
        if invitation.customer
        else []
    )
    language = invitation.language or get_language() or "zh-hans"
    return render(
        request,
        "surveys/call_screen.html",
        {
            "invitation": invitation,
            "phones": phones,
            "form": form,
            "definition": definition,
            "sections": form_sections(definition, language),
            "spoken": spoken_items(definition, language),
            "minutes": promised_minutes(definition, by_phone=True),
            "answers": answers,
            "problems": problems,
            "language": language,
            "calls": invitation.calls.select_related("agent"),
        },
    )
