"""Headquarters' page of deadline rules: SLA policies, working hours, holidays."""

import re
from datetime import date
from decimal import Decimal, InvalidOperation

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
from manyi.cases.forms import YearFilter
from manyi.cases.models import (
    BusinessCalendar,
    CalendarDay,
    CaseKind,
    DayKind,
    Severity,
    SlaPolicy,
    WordOfMouth,
)
from manyi.customers.models import Tier
from manyi.errors import DomainError
from manyi.org.permissions import may_manage_rules, requires
from manyi.web.forms import query_params

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
        },
    )


@requires(may_manage_rules)
@require_POST
def rules_act(request: HttpRequest, what: str) -> HttpResponse:
    """Save one part of the rules page; a rule broken shows as a message."""
    data = request.POST
    try:
        if what == "policy":
            policy = SlaPolicy.objects.filter(pk=data.get("policy")).first()
            if policy is None:
                raise Http404
            policies.sla_policy_set(
                actor=request.user,
                policy=policy,
                first_response_hours=_hours(data.get("first_response_hours")),
                resolution_hours=_hours(data.get("resolution_hours")),
                business_hours=data.get("business_hours") == "on",
            )
        elif what == "calendar":
            hours = {
                str(day): [data.get(f"open_{day}"), data.get(f"close_{day}")]
                for day in WEEKDAYS
                if data.get(f"open_{day}") and data.get(f"close_{day}")
            }
            policies.calendar_set(
                actor=request.user, unit=None, hours=hours, always_open=data.get("always") == "on"
            )
        elif what == "holiday":
            policies.holiday_set(
                actor=request.user,
                day=_day(data.get("day")),
                kind=data.get("kind", ""),
                name=data.get("name", ""),
            )
        elif what == "word-of-mouth":
            policies.word_of_mouth_set(
                actor=request.user,
                silent_per_complaint=_whole(data.get("silent_per_complaint")),
                told_per_dissatisfied=_whole(data.get("told_per_dissatisfied")),
            )
        elif what == "holiday-remove":
            policies.holiday_remove(actor=request.user, day=_day(data.get("day")))
        else:
            raise Http404
    except DomainError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Saved. Open cases get their new deadlines in a moment."))
    return redirect(f"{reverse('cases:rules')}?{urlencode({'year': data.get('year', '')})}")


def _hours(value: str | None) -> Decimal:
    try:
        hours = Decimal(value or "")
    except InvalidOperation as error:
        raise DomainError(_("Hours are a number, such as 4 or 0.5.")) from error
    if not hours.is_finite() or not 0 <= hours <= 10000:
        raise DomainError(_("Hours are a number, such as 4 or 0.5."))
    return hours


def _whole(value: str | None) -> int:
    if not re.fullmatch(r"[0-9]{1,6}", value or ""):
        raise DomainError(_("Give whole numbers."))
    return int(value or 0)


def _day(value: str | None) -> date:
    try:
        return date.fromisoformat(value or "")
    except ValueError as error:
        raise DomainError(_("Give the day as YYYY-MM-DD.")) from error
