"""Scorecards on screen: a period's cards of one's part, ranked, each advisor's index with
its interval; one card with its measures; closing and reissuing a period; the payroll
spreadsheet."""

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from manyi.errors import DomainError
from manyi.org.permissions import (
    may_assign_training,
    may_review_scorecards,
    may_see_scorecards,
    may_set_scorecards,
    requires,
)
from manyi.org.selectors import visible_units
from manyi.people import tasks
from manyi.people.forms.scorecards import CardFilter, ReissueForm
from manyi.people.models import MeasureKind, PeriodStatus, Scorecard, ScorecardPeriod
from manyi.people.selectors.points import points_of
from manyi.people.selectors.scorecards import (
    card_get,
    card_kinds,
    cards_of,
    interval_axis,
    last_period,
    on_axis,
    period_list,
    report_units,
)
from manyi.people.services.scorecards import period_close, period_reissue
from manyi.people.workbooks import scorecards_workbook
from manyi.web.forms import form_errors, paginate


def _period(request: HttpRequest, pk: int | None) -> ScorecardPeriod | None:
    if pk is None:
        return last_period()
    return get_object_or_404(ScorecardPeriod, pk=pk)


def _section(cards: list) -> dict:
    """A page of one card template's cards: each with its lines and where its index
    interval sits on a common axis, and the template's measures in order."""
    rows = []
    for card in cards:
        found = {line.kind: line for line in card.lines.all()}
        rows.append({"card": card, "lines": found, "csi": found.get(MeasureKind.CSI)})
    kinds = [line.kind for line in cards[0].lines.all()] if cards else []
    axis = interval_axis([row["csi"] for row in rows])
    for row in rows:
        csi = row["csi"]
        row["cells"] = [row["lines"].get(kind) for kind in kinds]
        row["bar"] = (
            (on_axis(csi.low, axis), on_axis(csi.value, axis), on_axis(csi.high, axis))
            if csi is not None and csi.low is not None else None
        )  # fmt: skip
    return {"rows": rows, "axis": axis,
            "headers": [(kind, MeasureKind(kind).label) for kind in kinds]}  # fmt: skip


@requires(may_see_scorecards)
def scorecard_board(request: HttpRequest) -> HttpResponse:
    given = CardFilter(request.GET)
    if not given.is_valid():
        return HttpResponse(form_errors(given), status=400)
    query = given.cleaned_data
    period = _period(request, query["period"])
    unit = None
    if query["unit"]:
        unit = visible_units(request.user).filter(pk=query["unit"]).first()
        if unit is None:
            raise Http404
    cards = cards_of(request.user, period, unit=unit) if period else Scorecard.objects.none()
    if period and not may_review_scorecards(request.user):
        mine = list(cards[:2])
        if len(mine) == 1:
            return redirect("people:scorecard", mine[0].pk)
    kinds = card_kinds(cards)
    chosen = next((k for k in kinds if k["template_id"] == query["card"]),
                  kinds[0] if kinds else None)  # fmt: skip
    page = paginate(request, cards.filter(template_id=chosen["template_id"] if chosen else None)
                    .prefetch_related("lines"))  # fmt: skip
    return render(request, "people/scorecards.html", {
        "period": period, "unit": unit, "kinds": kinds, "chosen": chosen, "page": page,
        "section": _section(list(page.object_list)), "periods": period_list()[:24],
        "units": report_units(request.user) if may_review_scorecards(request.user) else [],
        "may_set": may_set_scorecards(request.user),
        "may_review": may_review_scorecards(request.user),
        "may_close": period is not None and period.status == PeriodStatus.OPEN
        and period.end < timezone.localdate() and cards.exists(),
        "reissue_form": ReissueForm(),
    })  # fmt: skip


@requires(may_see_scorecards)
def scorecard_detail(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        card = card_get(request.user, pk)
    except Scorecard.DoesNotExist as error:
        raise Http404 from error
    lines = list(card.lines.all())
    return render(request, "people/scorecard.html", {
        "card": card, "lines": lines, "period": card.period,
        "csi": next((line for line in lines if line.kind == MeasureKind.CSI), None),
        "current": card.version == card.period.version,
        "versions": list(card.period.versions.all()),
        "entries": list(points_of(request.user, card.period, staff=card.staff_id))
        if card.staff_id else [],
        "may_review": may_review_scorecards(request.user),
        "may_assign": may_assign_training(request.user),
    })  # fmt: skip


@require_POST
@requires(may_set_scorecards)
def scorecards_compute_now(request: HttpRequest, pk: int) -> HttpResponse:
    period = get_object_or_404(ScorecardPeriod, pk=pk)
    if period.is_closed:
        messages.error(request, _("A closed period's cards are locked."))
    else:
        tasks.compute_scorecards.enqueue(period.pk)
        messages.success(request, _("The cards are being computed; they appear in a minute."))
    return redirect(f"{_board_url()}?period={period.pk}")


@require_POST
@requires(may_set_scorecards)
def scorecards_close(request: HttpRequest, pk: int) -> HttpResponse:
    period = get_object_or_404(ScorecardPeriod, pk=pk)
    try:
        period_close(actor=request.user, period=period)
    except DomainError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Period %(period)s closed: its cards are locked.")
                         % {"period": period})  # fmt: skip
    return redirect(f"{_board_url()}?period={period.pk}")


@require_POST
@requires(may_set_scorecards)
def scorecards_reissue(request: HttpRequest, pk: int) -> HttpResponse:
    period = get_object_or_404(ScorecardPeriod, pk=pk)
    form = ReissueForm(request.POST)
    try:
        if not form.is_valid():
            raise DomainError(form_errors(form))
        period = period_reissue(actor=request.user, period=period,
                                reason=form.cleaned_data["reason"])  # fmt: skip
    except DomainError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Version %(version)s of %(period)s issued.")
                         % {"version": period.version, "period": period})  # fmt: skip
    return redirect(f"{_board_url()}?period={period.pk}")


@requires(may_review_scorecards)
def scorecards_export(request: HttpRequest, pk: int) -> HttpResponse:
    period = get_object_or_404(ScorecardPeriod, pk=pk)
    cards = cards_of(request.user, period).prefetch_related("lines")
    return scorecards_workbook(period, cards)


def _board_url() -> str:
    return reverse("people:scorecards")
