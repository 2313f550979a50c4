"""Employee satisfaction on screen: the surveys, starting one, the results of groups
large enough to stay anonymous, the 3S view; and the anonymous form each person's
link opens."""

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import translation
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from manyi.errors import DomainError
from manyi.org.permissions import (
    may_run_employee_surveys,
    may_see_employee_results,
    public,
    requires,
)
from manyi.org.selectors import visible_units
from manyi.people.forms.employee import EmployeeSurveyForm
from manyi.people.models import EmployeeInvitation, EmployeeSurvey
from manyi.people.selectors.employee import (
    survey_comments,
    survey_groups,
    survey_list,
    survey_results,
    three_s,
)
from manyi.people.services.employee import (
    EmployeeLinkClosed,
    employee_answer_submit,
    employee_link_open,
    employee_survey_start,
)
from manyi.surveys.answers import AnswerError
from manyi.surveys.public import MAX_FIELDS, answers_from, form_sections
from manyi.surveys.versions import definition_of
from manyi.web.forms import form_errors
from manyi.web.ratelimit import allow, client_ip


@requires(may_see_employee_results)
def employee_surveys(request: HttpRequest) -> HttpResponse:
    return render(request, "people/employee_surveys.html", {
        "surveys": survey_list(), "may_run": may_run_employee_surveys(request.user),
    })  # fmt: skip


@requires(may_run_employee_surveys)
def employee_survey_new(request: HttpRequest) -> HttpResponse:
    form = EmployeeSurveyForm(request.POST or None, units=visible_units(request.user))
    if request.method == "POST":
        try:
            if not form.is_valid():
                raise DomainError(form_errors(form))
            data = form.cleaned_data
            started = employee_survey_start(actor=request.user, title=data["title"],
                                            version=data["version"], opens_on=data["opens_on"],
                                            closes_on=data["closes_on"],
                                            units=list(data["units"]),
                                            min_group=data["min_group"])  # fmt: skip
        except DomainError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("%(n)s staff invited; %(m)s have no e-mail or phone to "
                                        "send the link to.")
                             % {"n": started.invited, "m": started.unreachable})  # fmt: skip
            return redirect("people:employee_survey", started.survey.pk)
    return render(request, "people/employee_survey_form.html", {"form": form})


@requires(may_see_employee_results)
def employee_survey(request: HttpRequest, pk: int) -> HttpResponse:
    survey = get_object_or_404(EmployeeSurvey, pk=pk)
    definition = definition_of(survey.version_id)
    language = translation.get_language() or "zh-hans"
    factors = [(f"factor:{f.code}", f.name.get(language)) for f in definition.factors]
    every = survey_groups(survey) if survey.is_closed else {}
    groups = survey_results(request.user, survey, every)
    return render(request, "people/employee_survey.html", {
        "survey": survey, "factors": factors,
        "rows": [(g, g.mean("index"), [g.mean(key) for key, _name in factors]) for g in groups],
        "invited": EmployeeInvitation.objects.filter(survey=survey).count(),
        "answered": groups[0].n if groups and groups[0].shown else None,
        "comments": survey_comments(request.user, survey, groups=every),
    })  # fmt: skip


@requires(may_see_employee_results)
def employee_three_s(request: HttpRequest, pk: int) -> HttpResponse:
    survey = get_object_or_404(EmployeeSurvey, pk=pk)
    found = three_s(request.user, survey)
    chart = {
        "points": [{"name": str(unit), "value": [round(es, 1), round(cs, 1)], "n": n}
                   for unit, es, cs, n in found.points],
        "fit": [[round(x, 1), round(y, 1)] for x, y in found.fit],
        "labels": {"es": _("Employee satisfaction"), "cs": _("Customers' index")},
    }  # fmt: skip
    return render(request, "people/three_s.html", {"survey": survey, "found": found,
                                                   "chart": chart})  # fmt: skip


def _closed(request: HttpRequest, reason: str, status: int) -> HttpResponse:
    return render(request, "surveys/public/closed.html", {"reason": reason}, status=status)


@public
@require_http_methods(["GET", "POST"])
def employee_form(request: HttpRequest, token: str) -> HttpResponse:
    """The anonymous form of one person's link: answered once, stored without a name."""
    posting = request.method == "POST"
    # No counter per link (it would keep the link beside a time); the address is kept
    # only as a keyed hash that the database alone cannot reverse.
    if posting and (
        len(request.POST) > MAX_FIELDS
        or not allow(f"employee-ip:{salted_hmac('employee-ip', client_ip(request)).hexdigest()}",
                     limit=settings.SURVEY_POSTS_PER_IP, seconds=600)
    ):  # fmt: skip
        return _closed(request, "too_many", 429)
    try:
        survey, _invitation = employee_link_open(token)
    except EmployeeLinkClosed as closed:
        if closed.reason == "completed" and posting:
            return render(request, "people/employee_thanks.html", {})
        return _closed(request, closed.reason, 404 if closed.reason == "unknown" else 410)
    asked = request.GET.get("lang", "")
    languages = dict(settings.LANGUAGES)
    translation.activate(asked if asked in languages else translation.get_language() or "zh-hans")
    definition = definition_of(survey.version_id)
    answers, problems, status = {}, {}, 200
    if posting:
        answers = answers_from(request.POST, definition)
        try:
            employee_answer_submit(token=token, answers=answers)
        except AnswerError as error:
            problems, status = error.problems, 422
        except EmployeeLinkClosed:
            return render(request, "people/employee_thanks.html", {})
        else:
            return render(request, "people/employee_thanks.html", {})
    language = translation.get_language() or "zh-hans"
    return render(request, "people/employee_form.html", {
        "survey": survey, "definition": definition, "answers": answers, "problems": problems,
        "sections": form_sections(definition, language), "language": language, "token": token,
    }, status=status)  # fmt: skip
