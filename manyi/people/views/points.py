"""Points and awards on screen: each person's points with the fact behind each; a
manager's part by person; the point rules; a period's award shortlist, nominations and
awards."""

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from manyi.errors import DomainError
from manyi.org.permissions import (
    may_review_scorecards,
    may_see_scorecards,
    may_set_scorecards,
    requires,
)
from manyi.org.selectors import staff_list
from manyi.people.forms.scorecards import NominationForm, PointRuleForm, PointsFilter
from manyi.people.models import Nomination, PointKind, Scorecard, ScorecardPeriod
from manyi.people.selectors.points import nominations_of, point_totals, points_of, shortlist
from manyi.people.selectors.scorecards import card_get, last_period, period_list
from manyi.people.services.awards import nomination_decide, nomination_make
from manyi.people.services.points import point_rule_set, point_rules
from manyi.web.forms import form_errors


def _period(pk: int | None, kind: str = "month") -> ScorecardPeriod | None:
    return get_object_or_404(ScorecardPeriod, pk=pk) if pk else last_period(kind)


@requires(may_see_scorecards)
def points_board(request: HttpRequest) -> HttpResponse:
    given = PointsFilter(request.GET)
    if not given.is_valid():
        return HttpResponse(form_errors(given), status=400)
    period = _period(given.cleaned_data["period"])
    reviewer = may_review_scorecards(request.user)
    wanted = given.cleaned_data["staff"]
    person = None if reviewer else request.user
    if wanted and wanted != request.user.pk:
        person = staff_list(request.user).filter(pk=wanted).first() if reviewer else None
        if person is None:
            raise Http404
    elif wanted:
        person = request.user
    entries = points_of(request.user, period, staff=person.pk if person else None) if period \
        else None  # fmt: skip
    return render(request, "people/points.html", {
        "period": period, "person": person, "periods": period_list()[:24],
        "entries": list(entries) if entries is not None and person else [],
        "totals": point_totals(entries) if entries is not None and not person else [],
        "may_set": may_set_scorecards(request.user), "reviewer": reviewer,
    })  # fmt: skip


@requires(may_set_scorecards)
def point_rules_edit(request: HttpRequest) -> HttpResponse:
    rules = point_rules()
    if request.method == "POST":
        kind = request.POST.get("kind", "")
        form = PointRuleForm(request.POST)
        try:
            if kind not in PointKind.values:
                raise DomainError(_("Unknown kind of points."))
            if not form.is_valid():
                raise DomainError(form_errors(form))
            point_rule_set(actor=request.user, kind=kind, **form.cleaned_data)
        except DomainError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("Rule saved; it counts from the next computation."))
        return redirect("people:point_rules")
    return render(request, "people/point_rules.html", {"rules": rules.values()})


@requires(may_review_scorecards)
def awards(request: HttpRequest) -> HttpResponse:
    given = PointsFilter(request.GET)
    if not given.is_valid():
        return HttpResponse(form_errors(given), status=400)
    period = _period(given.cleaned_data["period"], kind="quarter")
    staff, stores = shortlist(request.user, period) if period else ([], [])
    nominations = list(nominations_of(request.user, period)) if period else []
    return render(request, "people/awards.html", {
        "period": period, "periods": period_list()[:24], "staff": staff, "stores": stores,
        "nominations": nominations, "nominated": {n.card_id for n in nominations},
        "form": NominationForm(), "may_decide": may_set_scorecards(request.user),
    })  # fmt: skip


@require_POST
@requires(may_review_scorecards)
def nominate(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        card = card_get(request.user, pk)
    except Scorecard.DoesNotExist as error:
        raise Http404 from error
    form = NominationForm(request.POST)
    try:
        if not form.is_valid():
            raise DomainError(form_errors(form))
        nomination_make(actor=request.user, card=card, reason=form.cleaned_data["reason"])
    except DomainError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Put forward for the award."))
    return redirect(f"{reverse('people:awards')}?period={card.period_id}")


@require_POST
@requires(may_set_scorecards)
def decide(request: HttpRequest, pk: int) -> HttpResponse:
    nomination = get_object_or_404(Nomination, pk=pk)
    choice = {"yes": True, "no": False}.get(request.POST.get("award", ""))
    try:
        if choice is None:
            raise DomainError(_("Say whether to award it."))
        nomination_decide(actor=request.user, nomination=nomination, award=choice)
    except DomainError as error:
        messages.error(request, str(error))
    return redirect(f"{reverse('people:awards')}?period={nomination.period_id}")
