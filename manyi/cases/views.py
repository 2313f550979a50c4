"""The case screens: the handler's queue by deadline, a case with its timeline and
actions, the form that opens one, and headquarters' page of deadline rules."""

from datetime import date, datetime, time
from decimal import Decimal, InvalidOperation

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from manyi.cases import compensation, policies, reports, selectors, services
from manyi.cases.forms import CaseOpenForm, ChangeForm, ReplyForm
from manyi.cases.models import (
    BusinessCalendar,
    CalendarDay,
    Case,
    CaseKind,
    CaseStatus,
    Compensation,
    CompensationKind,
    DayKind,
    Severity,
    SlaPolicy,
    WordOfMouth,
)
from manyi.customers.models import Tier
from manyi.errors import DomainError
from manyi.org.selectors import sees_network, stores
from manyi.web.forms import paginate


def _case(request: HttpRequest, pk: int) -> Case:
    try:
        return selectors.case_get(request.user, pk)
    except Case.DoesNotExist as error:
        raise Http404 from error


@login_required
def case_queue(request: HttpRequest) -> HttpResponse:
    status = request.GET.get("status", "active")
    kind = request.GET.get("kind", "")
    unit = request.GET.get("unit", "")
    mine = request.GET.get("mine") == "1"
    cases = selectors.case_list(
        request.user,
        status=status if status in ("active", *CaseStatus.values) else "",
        kind=kind if kind in CaseKind.values else "",
        unit=int(unit) if unit.isdigit() else None,
        owner=request.user.pk if mine else None,
    )
    return render(
        request,
        "cases/queue.html",
        {
            "page": paginate(request, cases),
            "now": timezone.now(),
            "status": status,
            "statuses": [("active", _("Open or waiting")), *CaseStatus.choices, ("all", _("All"))],
            "kind": kind,
            "kinds": CaseKind.choices,
            "units": stores(request.user),
            "unit_id": int(unit) if unit.isdigit() else None,
            "mine": mine,
            "may_set_rules": sees_network(request.user),
        },
    )


@login_required
def case_new(request: HttpRequest) -> HttpResponse:
    form = CaseOpenForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            case = services.case_open(actor=request.user, **data)
        except DomainError as error:
            form.add_error(None, str(error))
        else:
            return redirect("cases:detail", pk=case.pk)
    return render(request, "cases/case_form.html", {"form": form})


@login_required
def case_detail(request: HttpRequest, pk: int) -> HttpResponse:
    case = _case(request, pk)
    return render(
        request,
        "cases/case_detail.html",
        {
            "case": case,
            "now": timezone.now(),
            "entries": case.entries.select_related("author"),
            "reply_form": ReplyForm(),
            "change_form": ChangeForm(
                user=request.user,
                initial={"severity": case.severity, "owner": case.owner, "cause": case.cause},
            ),
            "actions": case.deadline_actions.select_related("staff", "escalated_to"),
            "compensations": case.compensations.select_related("proposed_by", "decided_by"),
            "compensation_kinds": CompensationKind.choices,
            "my_limit": compensation.limit_of(request.user),
        },
    )


@login_required
@require_POST
def case_act(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    """One button or form of the case page: reply, wait, resume, resolve, close,
    reopen, change. A rule broken shows as a message, never a 500."""
    case = _case(request, pk)
    try:
        if action == "reply":
            form = ReplyForm(request.POST)
            if not form.is_valid():
                raise DomainError(" ".join(e for errors in form.errors.values() for e in errors))
            services.case_reply(actor=request.user, case=case, **form.cleaned_data)
        elif action == "change":
            form = ChangeForm(request.POST, user=request.user)
            if not form.is_valid():
                raise DomainError(" ".join(e for errors in form.errors.values() for e in errors))
            services.case_update(actor=request.user, case=case, **form.cleaned_data)
        elif action == "wait":
            services.case_wait(actor=request.user, case=case)
        elif action == "resume":
            services.case_resume(actor=request.user, case=case)
        elif action == "resolve":
            services.case_resolve(actor=request.user, case=case, body=request.POST.get("body", ""))
        elif action == "close":
            services.case_close(actor=request.user, case=case)
        elif action == "reopen":
            services.case_reopen(actor=request.user, case=case, reason=request.POST.get("body", ""))
        else:
            raise Http404
    except DomainError as error:
        messages.error(request, str(error))
    return redirect("cases:detail", pk=case.pk)


WEEKDAYS = range(7)
WEEKDAY_NAMES = [
    gettext_lazy("Monday"), gettext_lazy("Tuesday"), gettext_lazy("Wednesday"),
    gettext_lazy("Thursday"), gettext_lazy("Friday"), gettext_lazy("Saturday"),
    gettext_lazy("Sunday"),
]  # fmt: skip


def _network_only(request: HttpRequest) -> None:
    if not sees_network(request.user):
        raise PermissionDenied


@login_required
def rules(request: HttpRequest) -> HttpResponse:
    """Deadlines, calendars and holidays: what the quick-response clock runs on."""
    _network_only(request)
    year = request.GET.get("year", "")
    year = int(year) if year.isdigit() else timezone.localdate().year
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


@login_required
@require_POST
def rules_act(request: HttpRequest, what: str) -> HttpResponse:
    """Save one part of the rules page; a rule broken shows as a message."""
    _network_only(request)
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
    return redirect(f"{reverse('cases:rules')}?year={data.get('year', '')}")


def _hours(value: str | None) -> Decimal:
    try:
        return Decimal(value or "")
    except InvalidOperation as error:
        raise DomainError(_("Hours are a number, such as 4 or 0.5.")) from error


def _whole(value: str | None) -> int:
    if not (value or "").isdigit():
        raise DomainError(_("Give whole numbers."))
    return int(value or 0)


def _day(value: str | None) -> date:
    try:
        return date.fromisoformat(value or "")
    except ValueError as error:
        raise DomainError(_("Give the day as YYYY-MM-DD.")) from error


@login_required
@require_POST
def compensation_propose(request: HttpRequest, pk: int) -> HttpResponse:
    case = _case(request, pk)
    try:
        compensation.compensation_propose(
            actor=request.user,
            case=case,
            kind=request.POST.get("kind", ""),
            amount=_amount(request.POST.get("amount")),
            description=request.POST.get("description", ""),
        )
    except DomainError as error:
        messages.error(request, str(error))
    return redirect("cases:detail", pk=case.pk)


@login_required
@require_POST
def compensation_act(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    """Approve, reject or give a compensation of a case the user may see."""
    item = Compensation.objects.filter(pk=pk).select_related("case").first()
    if item is None:
        raise Http404
    _case(request, item.case_id)  # 404 outside the user's units
    try:
        if action in ("approve", "reject"):
            compensation.compensation_decide(
                actor=request.user, compensation=item, approve=action == "approve"
            )
        elif action == "give":
            compensation.compensation_give(actor=request.user, compensation=item)
        else:
            raise Http404
    except DomainError as error:
        messages.error(request, str(error))
    return redirect("cases:detail", pk=item.case_id)


@login_required
def compensation_register(request: HttpRequest) -> HttpResponse:
    """What was given under the satisfaction guarantee, per unit and kind, by month."""
    month = request.GET.get("month", "")
    try:
        first = date.fromisoformat(f"{month}-01") if month else timezone.localdate().replace(day=1)
    except ValueError:
        first = timezone.localdate().replace(day=1)
    after = date(first.year + first.month // 12, first.month % 12 + 1, 1)
    zone = timezone.get_current_timezone()
    rows = compensation.register(
        request.user,
        since=datetime.combine(first, time(), tzinfo=zone),
        until=datetime.combine(after, time(), tzinfo=zone),
    )
    kinds = dict(CompensationKind.choices)
    return render(
        request,
        "cases/compensation_register.html",
        {
            "rows": [{**row, "kind_label": kinds.get(row["kind"], row["kind"])} for row in rows],
            "total": sum((row["total"] for row in rows), Decimal(0)),
            "month": f"{first:%Y-%m}",
            "awaiting": compensation.awaiting_approval(request.user),
        },
    )


def _amount(value: str | None) -> Decimal:
    try:
        return Decimal(value or "")
    except InvalidOperation as error:
        raise DomainError(_("The value is a number of yuan, such as 200.")) from error


@login_required
def case_reports(request: HttpRequest) -> HttpResponse:
    """Complaint reports of a month (or a year): causes, deadlines kept, times taken."""
    month = request.GET.get("month", "")
    try:
        first = date.fromisoformat(f"{month}-01") if month else timezone.localdate().replace(day=1)
    except ValueError:
        first = timezone.localdate().replace(day=1)
    after = date(first.year + first.month // 12, first.month % 12 + 1, 1)
    zone = timezone.get_current_timezone()
    period = {
        "since": datetime.combine(first, time(), tzinfo=zone),
        "until": datetime.combine(after, time(), tzinfo=zone),
    }
    return render(
        request,
        "cases/reports.html",
        {
            "month": f"{first:%Y-%m}",
            "pareto": reports.cause_pareto(request.user, **period),
            "units": reports.compliance_by_unit(request.user, **period),
            "staff": reports.overdue_by_staff(request.user, **period),
            "times": reports.handling_times(request.user, **period),
            "exposure": reports.exposure(request.user, **period),
        },
    )
