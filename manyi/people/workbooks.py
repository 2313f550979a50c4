"""The payroll spreadsheet of a period: one row per card with its score, rank and each
measure's figure and points; and one row per measure line, with its rule."""

from collections.abc import Iterable

from django.http import HttpResponse
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from manyi.people.models import MeasureKind, Scorecard, ScorecardPeriod
from manyi.web.exports import workbook_response


def _round(value: float | None, digits: int = 1) -> float | None:
    return None if value is None else round(value, digits)


def scorecards_workbook(period: ScorecardPeriod, cards: Iterable[Scorecard]) -> HttpResponse:
    cards = list(cards)
    kinds = [kind for kind in MeasureKind if any(
        line.kind == kind for card in cards for line in card.lines.all())]  # fmt: skip
    header = [_("Period"), _("Version"), _("Card"), _("Staff code"), pgettext("person", "Name"),
              _("Unit"),
              _("Score"), _("Rank"), _("Ranked of"), _("Chance of the top fifth")]  # fmt: skip
    for kind in kinds:
        header += [str(MeasureKind(kind).label), _("%(measure)s points")
                   % {"measure": MeasureKind(kind).label}]  # fmt: skip

    def card_rows():
        for card in cards:
            found = {line.kind: line for line in card.lines.all()}
            row = [str(period), card.version, card.name,
                   card.staff.code if card.staff else "", str(card.staff or ""),
                   str(card.unit), _round(card.score), card.rank, card.ranked,
                   _round(card.top_chance, 3)]  # fmt: skip
            for kind in kinds:
                line = found.get(kind)
                row += [_round(line.value, 3) if line else None,
                        _round(line.points) if line else None]  # fmt: skip
            yield row

    def line_rows():
        for card in cards:
            for line in card.lines.all():
                yield [str(card.staff or card.unit), str(card.unit), line.get_kind_display(),
                       _round(line.value, 3), _round(line.raw, 3), _round(line.low, 3),
                       _round(line.high, 3), line.n, line.floor, line.target, line.min_n,
                       _round(line.points), _round(line.weight_used, 4),
                       {True: _("yes"), False: _("no")}.get(line.met, "")]  # fmt: skip

    lines_header = [pgettext("person", "Name"), _("Unit"), _("Measure"),
                    pgettext("scorecard", "Figure"), _("Raw figure"),
                    _("Interval from"), _("Interval to"), "n", _("No points at"),
                    _("Full points at"), _("Minimum n"), _("Points"), _("Weight used"),
                    _("Target met")]  # fmt: skip
    return workbook_response(
        f"scorecards-{period}-v{period.version}".replace(" ", "-"),
        [(_("Cards"), header, card_rows()), (_("Measures"), lines_header, line_rows())],
    )
