"""Improvement screens: the targets with each unit's distance to its own."""

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from manyi.errors import DomainError
from manyi.improve.forms.targets import TargetForm
from manyi.improve.models import Target
from manyi.improve.selectors import targets as selectors
from manyi.improve.services import targets as services
from manyi.org.permissions import may_see_analytics, may_set_targets, requires
from manyi.web.forms import paginate


@requires(may_see_analytics)
def target_list(request: HttpRequest) -> HttpResponse:
    """Every target in the user's part, with the figure so far and the distance to it."""
    today = timezone.localdate()
    language = get_language() or "zh-hans"
    page = paginate(request, selectors.target_list(request.user))
    rows = [
        (progress, selectors.figure_label(target.programme.version_id, target.variable, language))
        for target, progress in zip(
            page, selectors.targets_progress(list(page), today=today), strict=True
        )
    ]
    return render(
        request,
        "improve/targets.html",
        {"page": page, "rows": rows, "may_set": may_set_targets(request.user)},
    )


@requires(may_set_targets)
def target_new(request: HttpRequest) -> HttpResponse:
    form = TargetForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            services.target_set(actor=request.user, **form.service_arguments())
        except DomainError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Target set."))
            return redirect("improve:targets")
    return render(request, "improve/target_form.html", {"form": form})


@require_POST
@requires(may_set_targets)
def target_remove(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        target = selectors.target_list(request.user).get(pk=pk)
    except Target.DoesNotExist as error:
        raise Http404 from error
    try:
        services.target_remove(actor=request.user, target=target)
    except DomainError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Target removed."))
    return redirect("improve:targets")
