"""Headquarters' case settings: the causes, the calendars of single units, and the
resolution survey that closes the loop."""

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from manyi.cases import catalogue, policies
from manyi.cases.models import (
    BusinessCalendar,
    Cause,
    CauseSide,
    ResurveyChannel,
    ResurveySetting,
)
from manyi.cases.views.rules import WEEKDAY_NAMES, WEEKDAYS
from manyi.errors import DomainError
from manyi.org.models import Unit, UnitLevel
from manyi.org.permissions import may_manage_rules, requires
from manyi.surveys.models import Programme


@requires(may_manage_rules)
def setup(request: HttpRequest) -> HttpResponse:
    resurvey = ResurveySetting.current()
    return render(
        request,
        "cases/setup.html",
        {
            "causes": Cause.objects.all(),
            "sides": CauseSide.choices,
            "calendars": BusinessCalendar.objects.exclude(unit=None).select_related("unit"),
            "units": Unit.objects.filter(
                level__in=[UnitLevel.REGION, UnitLevel.STORE], is_active=True
            ),
            "weekdays": list(zip(WEEKDAYS, WEEKDAY_NAMES, strict=True)),
            "resurvey": resurvey,
            "programmes": Programme.objects.filter(is_active=True),
            "channels": ResurveyChannel.choices,
        },
    )


@requires(may_manage_rules)
@require_POST
def setup_act(request: HttpRequest, what: str) -> HttpResponse:
    data, user = request.POST, request.user
    try:
        if what == "cause-add":
            catalogue.cause_add(
                actor=user,
                code=data.get("code", ""),
                name=data.get("name", ""),
                name_en=data.get("name_en", ""),
                side=data.get("side", ""),
            )
        elif what == "cause":
            cause = Cause.objects.filter(pk=data.get("cause")).first()
            if cause is None:
                raise Http404
            catalogue.cause_update(
                actor=user,
                cause=cause,
                name=data.get("name", ""),
                name_en=data.get("name_en", ""),
                is_active=data.get("is_active") == "on",
            )
        elif what == "calendar":
            unit = Unit.objects.filter(pk=data.get("unit") or 0).first()
            if unit is None:
                raise DomainError(_("Choose the unit."))
            policies.calendar_set(
                actor=user,
                unit=unit,
                hours={
                    str(day): [data.get(f"open_{day}"), data.get(f"close_{day}")]
                    for day in WEEKDAYS
                    if data.get(f"open_{day}") and data.get(f"close_{day}")
                },
                always_open=data.get("always") == "on",
                time_zone=data.get("time_zone") or "Asia/Shanghai",
                follows_public_holidays=data.get("holidays") == "on",
            )
        elif what == "calendar-remove":
            unit = Unit.objects.filter(pk=data.get("unit") or 0).first()
            if unit is None:
                raise Http404
            policies.calendar_remove(actor=user, unit=unit)
        elif what == "resurvey":
            programme = Programme.objects.filter(pk=data.get("programme") or 0).first()
            catalogue.resurvey_set(
                actor=user, programme=programme, channels=data.getlist("channels")
            )
        else:
            raise Http404
    except DomainError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Saved."))
    return redirect("cases:setup")
