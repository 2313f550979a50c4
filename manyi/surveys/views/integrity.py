"""Survey integrity on screen: each unit's share of flagged responses, the flagged ones
apart, and headquarters' policy."""

from datetime import timedelta

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from manyi.errors import DomainError
from manyi.org.permissions import may_follow_programmes, may_run_programmes, requires
from manyi.surveys import selectors
from manyi.surveys.integrity import flagged_share_by_unit
from manyi.surveys.models import IntegrityPolicy
from manyi.surveys.programme_forms import IntegrityFilter, IntegrityPolicyForm
from manyi.surveys.services.integrity import integrity_policy_set
from manyi.web.forms import query_params


@requires(may_follow_programmes)
def integrity(request: HttpRequest) -> HttpResponse:
    months = query_params(request, IntegrityFilter)["months"] or 3
    until = timezone.now()
    since = until - timedelta(days=round(30.4375 * months))
    responses = selectors.response_list(request.user)
    policy = IntegrityPolicy.current()
    return render(
        request,
        "surveys/integrity.html",
        {
            "months": months,
            "periods": IntegrityFilter.base_fields["months"].choices,
            "rows": flagged_share_by_unit(responses, since=since, until=until),
            "flagged": responses.filter(submitted_at__gte=since)
            .exclude(flags=[])
            .order_by("-submitted_at")[:50],
            "policy": policy,
            "form": IntegrityPolicyForm(instance=policy)
            if may_run_programmes(request.user)
            else None,
        },
    )


@requires(may_run_programmes)
@require_POST
def integrity_policy(request: HttpRequest) -> HttpResponse:
    form = IntegrityPolicyForm(request.POST, instance=IntegrityPolicy.current())
    if form.is_valid():
        try:
            integrity_policy_set(actor=request.user, **form.cleaned_data)
        except DomainError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("Integrity policy saved."))
    else:
        messages.error(request, _("Check the integrity policy: whole numbers from 0."))
    return redirect("surveys:integrity")
