"""The public survey form: no login, phone first, one response per invitation.

Every answer posted is checked against the invitation's version; progress is saved
as the customer goes (htmx posts the form on each change); a submit is stored once.
"""

import secrets
from functools import lru_cache
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import translation
from django.views.decorators.http import require_http_methods

from manyi.org.permissions import public
from manyi.surveys.answers import AnswerError
from manyi.surveys.definition import Definition
from manyi.surveys.integrity import current_policy
from manyi.surveys.services import (
    InvitationClosed,
    invitation_open,
    invitation_opt_out,
    open_link_start,
    response_save_progress,
    response_submit,
)
from manyi.surveys.versions import definition_of
from manyi.web.converters import parse_id
from manyi.web.ratelimit import allow, allow_all, client_ip

MAX_FIELDS = 400


def answers_from(post: QueryDict, definition: Definition) -> dict[str, Any]:
    """Read ``a-<code>`` fields (``a-<code>-e`` / ``-p`` for SERVQUAL pairs) into answers."""
    answers: dict[str, Any] = {}
    for item in definition.items:
        name = f"a-{item.code}"
        if item.type == "servqual":
            pair = {"e": post.get(f"{name}-e"), "p": post.get(f"{name}-p")}
            if any(pair.values()):
                answers[item.code] = pair
        elif item.type == "multiple":
            if values := post.getlist(name):
                answers[item.code] = values
        elif (value := post.get(name)) not in (None, ""):
            answers[item.code] = value
    return answers


def _closed(request: HttpRequest, reason: str, status: int = 410) -> HttpResponse:
    return render(request, "surveys/public/closed.html", {"reason": reason}, status=status)


def _limited(request: HttpRequest, token: str) -> bool:
    return not allow_all(
        (f"survey:{token}", settings.SURVEY_POSTS_PER_TOKEN, 600),
        (f"survey-ip:{client_ip(request)}", settings.SURVEY_POSTS_PER_IP, 600),
    )


def form_sections(definition: Definition, language: str) -> list[tuple[str, list[Any]]]:
    """The questionnaire's pages with their items (one untitled page when it has none)."""
    return [
        (section.title.get(language), definition.items_of(section.code))
        for section in definition.sections
    ] or [("", list(definition.items))]


def _page(
    request: HttpRequest,
    invitation: Any,
    *,
    answers: dict[str, Any],
    problems: dict[str, str] | None = None,
    status: int = 200,
) -> HttpResponse:
    definition = definition_of(invitation.version_id)
    language = translation.get_language() or invitation.language
    sections = form_sections(definition, language)
    return render(
        request,
        "surveys/public/form.html",
        {
            "invitation": invitation,
            "definition": definition,
            "sections": sections,
            "answers": answers,
            "problems": problems or {},
            "language": language,
        },
        status=status,
    )


@public
@require_http_methods(["GET", "POST"])
def survey_form(request: HttpRequest, token: str) -> HttpResponse:
    asked = request.GET.get("lang", "")
    asked = asked if asked in dict(settings.LANGUAGES) else ""
    if request.method == "POST":
        return _submit(request, token, language=asked)
    try:
        invitation = invitation_open(token=token)
    except InvitationClosed as closed:
        return _closed(request, closed.reason, 404 if closed.reason == "unknown" else 410)
    translation.activate(asked or invitation.language)
    return _page(request, invitation, answers=invitation.progress)


def _submit(request: HttpRequest, token: str, *, language: str) -> HttpResponse:
    """The completed form: claimed, checked, stored and alert-checked in one transaction
    (the invitation is read by the claim itself); a refused form is shown again."""
    # A flood is turned away before it costs the database anything.
    if _limited(request, token) or len(request.POST) > MAX_FIELDS:
        return _closed(request, "too_many", 429)
    read: dict[str, Any] = {}

    def answers(definition: Definition) -> dict[str, Any]:
        read.update(answers_from(request.POST, definition))
        return read

    try:
        response = response_submit(
            token=token,
            answers=answers,
            version_id=parse_id(request.POST.get("version", "")),
            language=language,
        )
    except AnswerError as error:
        invitation = invitation_open(token=token, mark=False)
        translation.activate(language or invitation.language)
        return _page(request, invitation, answers=read, problems=error.problems, status=422)
    except InvitationClosed as closed:
        if closed.reason == "version_changed":
            return _closed(request, closed.reason, 409)
        return _closed(request, closed.reason, 404 if closed.reason == "unknown" else 410)
    # The same form sent twice (a double tap, a second tab): one response, one thanks.
    translation.activate(language or response.language)
    contact = definition_of(response.version_id).role("contact_me")
    if contact is None or response.answers.get(contact.code) is not True:
        return HttpResponse(_thanks(translation.get_language()))
    unit = response.unit.name if response.unit_id else ""
    return render(request, "surveys/public/thanks.html", {"contact_me": True, "unit": unit})


@lru_cache(maxsize=8)
def _thanks(language: str) -> str:
    """The thanks page of everyone who did not ask to be called, in ``language``: the
    same for all of them, so rendered once per process (it was a tenth of a submit)."""
    return render_to_string("surveys/public/thanks.html", {"contact_me": False})


@public
@require_http_methods(["POST"])
def survey_save(request: HttpRequest, token: str) -> HttpResponse:
    """htmx: keep the answers so far; answers small status text."""
    if _limited(request, token):
        return HttpResponse(status=429)
    try:
        invitation = invitation_open(token=token)
        response_save_progress(
            token=token, answers=answers_from(request.POST, definition_of(invitation.version_id))
        )
    except InvitationClosed:
        return HttpResponse(status=410)
    except AnswerError as error:
        return render(
            request, "surveys/public/_saved.html", {"problems": error.problems}, status=422
        )
    return render(request, "surveys/public/_saved.html", {"problems": {}})


@public
@require_http_methods(["GET", "POST"])
def survey_opt_out(request: HttpRequest, token: str) -> HttpResponse:
    if request.method == "POST":
        try:
            invitation_opt_out(token=token)
        except InvitationClosed as closed:
            return _closed(request, closed.reason, 404)
        return render(request, "surveys/public/opted_out.html")
    return render(request, "surveys/public/opt_out.html", {"token": token})


DEVICE_COOKIE = "manyi_device"


@public
@require_http_methods(["GET"])
def survey_open_link(request: HttpRequest, token: str) -> HttpResponse:
    """A walk-in customer scans the counter's QR code: a fresh form for this device.

    The device is a random id in a signed cookie; a device gets one unfinished form
    at a time and at most the link's number of responses a day, and an address that
    starts too many forms is slowed down (no captcha).
    """
    device = request.get_signed_cookie(DEVICE_COOKIE, default="", salt="open-link")
    new_device = not device
    if new_device:
        device = secrets.token_urlsafe(18)
    address = client_ip(request)
    # Dropping the device cookie starts a new form, so an address has its own caps too:
    # across links an hour, and on this link a day (the integrity policy's number).
    daily = current_policy().open_link_starts_per_address
    if not (
        allow(f"open-ip:{address}", limit=settings.SURVEY_OPEN_STARTS_PER_IP, seconds=3600)
        and allow(f"open-link:{token[:64]}:{address}", limit=daily, seconds=86400)
    ):
        return _closed(request, "too_many", 429)
    try:
        invitation = open_link_start(token=token, device=device)
    except InvitationClosed as closed:
        return _closed(request, closed.reason, 404 if closed.reason == "unknown" else 429)
    response = redirect("survey_form", invitation.token)
    if new_device:
        response.set_signed_cookie(
            DEVICE_COOKIE,
            device,
            salt="open-link",
            max_age=365 * 24 * 3600,
            httponly=True,
            samesite="Lax",
            secure=request.is_secure(),
        )
    return response
