"""First-time fix on screen: per store and month (or per advisor of one store), beside
the customers' own answer to the survey item the policy names; HQ sets the window."""

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from manyi.errors import DomainError
from manyi.improve.forms.fixes import FixFilter, FixPolicyForm
from manyi.improve.models import FixPolicy
from manyi.improve.selectors.fixes import decided_months, first_time_fix, survey_item_beside
from manyi.improve.services.fixes import fix_policy_set
from manyi.org.models import UnitLevel
from manyi.org.permissions import may_see_analytics, may_set_standards, requires
from manyi.org.selectors import visible_units
from manyi.web.forms import form_errors

FEW = 10  # repairs in a month below which its rate is shown pale: too few to read much into


@requires(may_see_analytics)
def first_time_fix_board(request: HttpRequest) -> HttpResponse:
    given = FixFilter(request.GET)
    query = given.cleaned_data if given.is_valid() else {}
    unit = None
    if query.get("unit"):
        unit = visible_units(request.user).filter(pk=query["unit"]).first()
        if unit is None:
            raise Http404
    by_staff = unit is not None and unit.level in (UnitLevel.STORE, UnitLevel.DEPARTMENT)
    policy = FixPolicy.current()
    months = decided_months(query.get("months") or 6, window=policy.window_days,
                            today=timezone.localdate())  # fmt: skip
    rows = first_time_fix(request.user, months=months, unit=unit,
                          by="staff" if by_staff else "unit")  # fmt: skip
    language = get_language() or "zh-hans"
    item, beside = survey_item_beside([row.key.pk for row in rows], months, language,
                                      advisors_of=unit.pk if by_staff else None)  # fmt: skip
    return render(request, "improve/first_time_fix.html", {
        "rows": [(row, [row.cell(m) for m in months], beside.get(row.key.pk)) for row in rows],
        "few": FEW,
        "months": months, "unit": unit, "by_staff": by_staff, "item": item, "policy": policy,
        "policy_form": FixPolicyForm(initial={"window_days": policy.window_days,
                                              "survey_item": policy.survey_item}),
        "may_set": may_set_standards(request.user),
    })  # fmt: skip


@require_POST
@requires(may_set_standards)
def fix_policy(request: HttpRequest) -> HttpResponse:
    form = FixPolicyForm(request.POST)
    try:
        if not form.is_valid():
            raise DomainError(form_errors(form))
        fix_policy_set(actor=request.user, **form.cleaned_data)
    except DomainError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("First-time fix policy saved."))
    return redirect("improve:first_time_fix")
