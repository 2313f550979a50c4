"""Headquarters' page of deadline rules: SLA policies, working hours, holidays."""

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from manyi.cases import policies
from manyi.cases.crisis import crisis_policy_set
from manyi.cases.forms import YearFilter
from manyi.cases.models import (
    BusinessCalendar,
    CalendarDay,
    CaseKind,
    CrisisPolicy,
    DayKind,
    Severity,
    SlaPolicy,
    WordOfMouth,
)
from manyi.cases.rule_forms import (
    CrisisWordsForm,
    DayForm,
    HolidayForm,
    HoursForm,
    PolicyForm,
    WordOfMouthForm,
)
from manyi.customers.models import Tier
from manyi.errors import DomainError
from manyi.org.permissions import may_manage_rules, requires
from manyi.web.forms import form_errors, query_params

WEEKDAYS = range(7)
WEEKDAY_NAMES = [
    gettext_lazy("Monday"), gettext_lazy("Tuesday"), gettext_lazy("Wednesday"),
    gettext_lazy("Thursday"), gettext_lazy("Friday"), gettext_lazy("Saturday"),
    gettext_lazy("Sunday"),
]  # fmt: skip


@requires(may_manage_rules)
def rules(request: HttpRequest) -> HttpResponse:
    """Deadlines, calendars and holidays: what the quick-response clock runs on."""
    year = query_params(request, YearFilter)["year"] or timezone.localdate().year
    default = BusinessCalendar.objects.filter(unit=None).first()
    kinds, severities = dict(CaseKind.choices), dict(Severity.choices)
    tiers = dict(Tier.choices)
    hours = (default.hours if default else {}) or {}
    return render(
        request,
        "cases/rules.html",
        {
            "policies": [
                (
                    policy,
                    kinds.get(policy.kind, policy.kind),
                    severities.get(policy.severity, policy.severity),
                    tiers.get(policy.tier, policy.tier),
                )
                for policy in SlaPolicy.objects.all()
            ],
            "calendar": default,
            "weekdays": [
                (day, WEEKDAY_NAMES[day], *(hours.get(str(day)) or ("", ""))) for day in WEEKDAYS
            ],
            "calendars": BusinessCalendar.objects.exclude(unit=None).select_related("unit"),
            "year": year,
            "years": sorted(
                {d.year for d in CalendarDay.objects.filter(calendar=None).dates("day", "year")}
                | {timezone.localdate().year + 1}
            ),
            "days": CalendarDay.objects.filter(calendar=None, day__year=year),
            "day_kinds": DayKind.choices,
            "word_of_mouth": WordOfMouth.current(),
            "crisis_policy": CrisisPolicy.current(),
        },
    )


def _policy(user: Any, data: dict[str, Any], _form: Any) -> None:
    policies.sla_policy_set(
        actor=user,
        policy=data["policy"],
        first_response_hours=data["first_response_hours"],
        resolution_hours=data["resolution_hours"],
        business_hours=data["business_hours"],
    )


def _calendar(user: Any, data: dict[str, Any], form: Any) -> None:
    policies.calendar_set(actor=user, unit=None, hours=form.hours(), always_open=data["always"])


def _holiday(user: Any, data: dict[str, Any], _form: Any) -> None:
    policies.holiday_set(actor=user, day=data["day"], kind=data["kind"], name=data["name"])


def _word_of_mouth(user: Any, data: dict[str, Any], _form: Any) -> None:
    policies.word_of_mouth_set(actor=user, **data)


def _crisis(user: Any, data: dict[str, Any], _form: Any) -> None:
    crisis_policy_set(actor=user, keywords=data["keywords"])


def _holiday_remove(user: Any, data: dict[str, Any], _form: Any) -> None:
    policies.holiday_remove(actor=user, day=data["day"])


# Each part of the page: its form, and what saving it does.
PARTS = {
    "policy": (PolicyForm, _policy),
    "calendar": (HoursForm, _calendar),
    "holiday": (HolidayForm, _holiday),
    "word-of-mouth": (WordOfMouthForm, _word_of_mouth),
    "crisis": (CrisisWordsForm, _crisis),
    "holiday-remove": (DayForm, _holiday_remove),
}


def save_part(request: HttpRequest, parts: dict[str, Any], what: str, done: str) -> None:
    """Read the posted part of a settings page through its form and save it; a value
    refused, or a rule broken, shows as a message."""
    if what not in parts:
        raise Http404
    form_class, save = parts[what]
    form = form_class(request.POST)
    try:
        if not form.is_valid():
            raise DomainError(form_errors(form))
        save(request.user, form.cleaned_data, form)
    except DomainError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, done)


@requires(may_manage_rules)
@require_POST
def rules_act(request: HttpRequest, what: str) -> HttpResponse:
    """Save one part of the rules page."""
    save_part(request, PARTS, what, _("Saved. Open cases get their new deadlines in a moment."))
    shown = YearFilter(request.POST)  # the year the page showed, to show it again
    year = shown.cleaned_data["year"] if shown.is_valid() else None
    return redirect(f"{reverse('cases:rules')}?{urlencode({'year': year or ''})}")
