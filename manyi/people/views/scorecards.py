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
    may_review_scorecards,
    may_see_scorecards,
    may_set_scorecards,
    requires,
)
from manyi.org.selectors import visible_units
from manyi.people import tasks
from manyi.people.forms.scorecards import CardFilter, ReissueForm
from manyi.people.models import MeasureKind, PeriodStatus, Scorecard, ScorecardPeriod
from manyi.people.selectors.scorecards import (
    card_get,
    cards_of,
    interval_axis,
    last_period,
    on_axis,
    period_list,
)
from manyi.people.services.scorecards import period_close, period_reissue
from manyi.people.workbooks import scorecards_workbook
from manyi.web.forms import form_errors


def _period(request: HttpRequest, pk: int | None) -> ScorecardPeriod | None:
    if pk is None:
        return last_period()
    return get_object_or_404(ScorecardPeriod, pk=pk)


def _sections(cards: list) -> list[dict]:
    """One table per card template: its cards, each with its lines and where its index
    interval sits on the template's common axis, and the template's measures in order."""
    sections: dict[int, dict] = {}
    for card in cards:
        section = sections.setdefault(card.template_id, {"template": card.template, "rows": []})
        found = {line.kind: line for line in card.lines.all()}
        section["rows"].append({"card": card, "lines": found, "csi": found.get(MeasureKind.CSI)})
    for section in sections.values():
        axis = interval_axis([row["csi"] for row in section["rows"]])
        section["kinds"] = [line.kind for line in section["rows"][0]["card"].lines.all()]
        section["headers"] = [(kind, MeasureKind(kind).label) for kind in section["kinds"]]
        section["axis"] = axis
        for row in section["rows"]:
            csi = row["csi"]
            row["cells"] = [row["lines"].get(kind) for kind in section["kinds"]]
            row["bar"] = (
                (on_axis(csi.low, axis), on_axis(csi.value, axis), on_axis(csi.high, axis))
                if csi is not None and csi.low is not None else None
            )  # fmt: skip
    return list(sections.values())


@requires(may_see_scorecards)
def scorecard_board(request: HttpRequest) -> HttpResponse:
    given = CardFilter(request.GET)
    if not given.is_valid():
        return HttpResponse(form_errors(given), status=400)
    period = _period(request, given.cleaned_data["period"])
    unit = None
    if given.cleaned_data["unit"]:
        unit = visible_units(request.user).filter(pk=given.cleaned_data["unit"]).first()
        if unit is None:
            raise Http404
    cards = (
        list(cards_of(request.user, period, unit=unit.pk if unit else None)
             .prefetch_related("lines"))
        if period else []
    )  # fmt: skip
    if period and not may_review_scorecards(request.user) and len(cards) == 1:
        return redirect("people:scorecard", cards[0].pk)
    return render(request, "people/scorecards.html", {
        "period": period, "unit": unit, "sections": _sections(cards),
        "periods": period_list()[:24],
        "may_set": may_set_scorecards(request.user),
        "may_review": may_review_scorecards(request.user),
        "may_close": period is not None and period.status == PeriodStatus.OPEN
        and period.end < timezone.localdate() and bool(cards),
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
        "may_review": may_review_scorecards(request.user),
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
