"""Headquarters' case settings: the causes, the calendars of single units, and the
resolution survey that closes the loop."""

from typing import Any

from django.http import HttpRequest, HttpResponse
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
from manyi.cases.rule_forms import (
    CauseAddForm,
    CauseForm,
    ResurveyForm,
    UnitCalendarForm,
    UnitChoiceForm,
)
from manyi.cases.views.rules import WEEKDAY_NAMES, WEEKDAYS, save_part
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


def _cause_add(user: Any, data: dict[str, Any], _form: Any) -> None:
    catalogue.cause_add(actor=user, **data)


def _cause(user: Any, data: dict[str, Any], _form: Any) -> None:
    catalogue.cause_update(
        actor=user,
        cause=data["cause"],
        name=data["name"],
        name_en=data["name_en"],
        is_active=data["is_active"],
    )


def _calendar(user: Any, data: dict[str, Any], form: Any) -> None:
    policies.calendar_set(
        actor=user,
        unit=data["unit"],
        hours=form.hours(),
        always_open=data["always"],
        time_zone=data["time_zone"] or "Asia/Shanghai",
        follows_public_holidays=data["holidays"],
    )


def _calendar_remove(user: Any, data: dict[str, Any], _form: Any) -> None:
    policies.calendar_remove(actor=user, unit=data["unit"])


def _resurvey(user: Any, data: dict[str, Any], _form: Any) -> None:
    catalogue.resurvey_set(actor=user, programme=data["programme"], channels=data["channels"])


PARTS = {
    "cause-add": (CauseAddForm, _cause_add),
    "cause": (CauseForm, _cause),
    "calendar": (UnitCalendarForm, _calendar),
    "calendar-remove": (UnitChoiceForm, _calendar_remove),
    "resurvey": (ResurveyForm, _resurvey),
}


@requires(may_manage_rules)
@require_POST
def setup_act(request: HttpRequest, what: str) -> HttpResponse:
    save_part(request, PARTS, what, _("Saved."))
    return redirect("cases:setup")
