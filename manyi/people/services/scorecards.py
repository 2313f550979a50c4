"""Scorecard services: HQ sets each card's measures; the worker computes the open
periods' cards each night; a reviewed period is closed and locked, and issued again
only as a new version with its reason."""

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import numpy as np
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from manyi.analytics.periods import month_shift
from manyi.audit.services import audit_record
from manyi.errors import DomainError
from manyi.org.models import Position, Role, Staff, Unit, UnitLevel
from manyi.org.permissions import may_set_scorecards
from manyi.people.measures import SPECS, Figure, Window, measure_figures, points_of, target_met
from manyi.people.models import (
    MeasureKind,
    PeriodKind,
    PeriodStatus,
    PeriodVersion,
    Scorecard,
    ScorecardLine,
    ScorecardMeasure,
    ScorecardPeriod,
    ScorecardTemplate,
    Subject,
)
from manyi.people.services.points import TOP_FIFTH_FROM, points_award
from manyi.stats.shrinkage import top_share

MOST_MEASURES = 12


class ScorecardError(DomainError):
    """A scorecard change that cannot be made."""


@dataclass(frozen=True)
class MeasureRule:
    kind: str
    weight: float
    floor: float
    target: float
    min_n: int


def _check_template(
    subject: str, applies_to: str, position: str, programme: Any, rules: list[MeasureRule]
) -> None:
    if subject == Subject.STAFF and applies_to not in Role.values:
        raise ScorecardError(_("Choose the role the card is for."))
    if position and (subject != Subject.STAFF or position not in Position.values):
        raise ScorecardError(_("A position narrows a staff card only."))
    if subject == Subject.UNIT and applies_to != UnitLevel.STORE:
        raise ScorecardError(_("A unit card is for stores."))
    if not rules or len(rules) > MOST_MEASURES:
        raise ScorecardError(_("A card has from 1 to %(most)s measures.") % {"most": MOST_MEASURES})
    kinds = [rule.kind for rule in rules]
    if len(set(kinds)) != len(kinds):
        raise ScorecardError(_("Each measure appears once on a card."))
    for rule in rules:
        if rule.kind not in MeasureKind.values:
            raise ScorecardError(_("Unknown measure %(kind)s.") % {"kind": rule.kind})
        label = MeasureKind(rule.kind).label
        if subject not in SPECS[rule.kind].subjects:
            raise ScorecardError(_("%(measure)s is not measured per person.") % {"measure": label})
        if rule.min_n and not SPECS[rule.kind].exposure:
            raise ScorecardError(_("%(measure)s is a count of events: it takes no minimum n.")
                                 % {"measure": label})  # fmt: skip
        if not 0 < rule.weight <= 100:
            raise ScorecardError(_("The weight of %(measure)s is above 0 and at most 100.")
                                 % {"measure": label})  # fmt: skip
        if rule.floor == rule.target:
            raise ScorecardError(_("%(measure)s needs a target apart from its no-points figure.")
                                 % {"measure": label})  # fmt: skip
        if rule.kind in (MeasureKind.CSI, MeasureKind.NPS) and programme is None:
            raise ScorecardError(_("Choose the survey programme for %(measure)s.")
                                 % {"measure": label})  # fmt: skip


@transaction.atomic
def template_save(
    *, actor: Any, name: str, subject: str, applies_to: str, programme: Any,
    rules: list[MeasureRule], template: ScorecardTemplate | None = None, position: str = "",
) -> ScorecardTemplate:  # fmt: skip
    """Create or change a card — for a role, or one position within it — its measures
    replacing the old ones. Cards already computed keep the rules they were computed
    with. A staff member gets the card of their role and position if there is one, else
    that of their role."""
    if not may_set_scorecards(actor):
        raise ScorecardError(_("You may not set the scorecards."))
    name = name.strip()[:80]
    if not name:
        raise ScorecardError(_("Give the card a name."))
    _check_template(subject, applies_to, position, programme, rules)
    clash = ScorecardTemplate.objects.filter(subject=subject, applies_to=applies_to,
                                             position=position, is_active=True)  # fmt: skip
    if template is not None:
        clash = clash.exclude(pk=template.pk)
    if clash.exists():
        raise ScorecardError(_("That role already has a card in use."))
    template = template or ScorecardTemplate()
    template.name, template.subject, template.applies_to = name, subject, applies_to
    template.position = position
    template.programme, template.updated_by, template.updated_at = programme, actor, timezone.now()
    template.is_active = True
    template.save()
    template.measures.all().delete()
    ScorecardMeasure.objects.bulk_create(
        ScorecardMeasure(template=template, kind=rule.kind, weight=rule.weight, floor=rule.floor,
                         target=rule.target, min_n=rule.min_n, order=i)
        for i, rule in enumerate(rules)
    )  # fmt: skip
    audit_record(actor=actor, action="scorecard.template_save", obj=template,
                 changes={"measures": [rule.kind for rule in rules]})  # fmt: skip
    return template


def period_bounds(kind: str, start: date) -> tuple[date, date]:
    """The first and last day of the month or quarter that starts on (or holds) ``start``."""
    first = start.replace(day=1)
    if kind == PeriodKind.QUARTER:
        first = first.replace(month=(first.month - 1) // 3 * 3 + 1)
    after = month_shift(first, 3 if kind == PeriodKind.QUARTER else 1)
    return first, after - timedelta(days=1)


def periods_ensure(today: date) -> list[ScorecardPeriod]:
    """The month and quarter running now and the last ended ones, made when missing."""
    made = []
    last_month = month_shift(today.replace(day=1), -1)
    for kind, day in (
        (PeriodKind.MONTH, last_month), (PeriodKind.MONTH, today),
        (PeriodKind.QUARTER, period_bounds(PeriodKind.QUARTER, today)[0] - timedelta(days=1)),
        (PeriodKind.QUARTER, today),
    ):  # fmt: skip
        first, last = period_bounds(kind, day)
        period, _created = ScorecardPeriod.objects.get_or_create(
            kind=kind, start=first, defaults={"end": last}
        )
        made.append(period)
    return made


def _subjects(template: ScorecardTemplate) -> list[tuple[Staff | None, int]]:
    """(staff member, unit) of each card the template gives: active staff in a unit of
    its role (and position, if it names one — the role's general card leaves out the
    positions that have their own), or active stores."""
    if template.subject == Subject.UNIT:
        units = Unit.objects.filter(level=template.applies_to, is_active=True)
        return [(None, pk) for pk in units.values_list("pk", flat=True)]
    staff = Staff.objects.filter(role=template.applies_to, is_active=True, unit__isnull=False)
    if template.position:
        staff = staff.filter(position=template.position)
    else:
        own = ScorecardTemplate.objects.filter(
            subject=Subject.STAFF, applies_to=template.applies_to, is_active=True
        ).exclude(position="")
        staff = staff.exclude(position__in=own.values("position"))
    return [(member, member.unit_id) for member in staff.order_by("pk")]


def _card_lines(measures: list[ScorecardMeasure], found: dict[str, Figure | None]):
    """The lines of one card, their weights as used and the card's score. Counts of
    nothing (no praise, no deadline missed) score only beside a measure with data: a
    card with nothing else to go on has no score."""
    lines, nothing = [], []
    for order, measure in enumerate(measures):
        figure = found[measure.kind]
        if figure is None and SPECS[measure.kind].form == "count":
            figure = Figure(0.0, 0)  # nothing recorded is a count of none
            nothing.append(order)
        value = figure.value if figure else None
        n = figure.n if figure else 0
        # Too few to count, unless shrunk toward the store: that is fair at any n.
        counts = value is not None and (n >= measure.min_n or figure.effect is not None)
        lines.append(
            ScorecardLine(
                kind=measure.kind, value=value, n=n,
                raw=figure.raw if figure else None, low=figure.low if figure else None,
                high=figure.high if figure else None, weight=float(measure.weight),
                points=points_of(value, floor=measure.floor, target=measure.target)
                if counts else None,
                floor=measure.floor, target=measure.target, min_n=measure.min_n, order=order,
                met=None if not counts else bool(
                    target_met(value, floor=measure.floor, target=measure.target)
                    and n >= measure.min_n
                ),
            )
        )  # fmt: skip
    if all(line.points is None for i, line in enumerate(lines) if i not in nothing):
        for i in nothing:
            lines[i].points = lines[i].met = None
    counted = sum(line.weight for line in lines if line.points is not None)
    for line in lines:
        line.weight_used = line.weight / counted if counted and line.points is not None else 0.0
    score = sum(line.points * line.weight_used for line in lines if line.points is not None)
    return lines, (score if counted else None), any(line.points is None for line in lines)


def _rank(cards: list[tuple[Scorecard, list[ScorecardLine], Figure | None]], seed: int) -> None:
    """Rank the cards whose satisfaction index reaches its minimum n (or, on a card
    without one, that have a score), best first; and for staff cards with a shrunken
    index, the chance of being in the top fifth, drawing the index from its interval."""
    rankable = []
    for card, lines, csi in cards:
        line = next((line for line in lines if line.kind == MeasureKind.CSI), None)
        if card.score is not None and (line is None or line.n >= line.min_n):
            rankable.append((card, line, csi))
    rankable.sort(key=lambda entry: -(entry[0].score or 0))
    for place, (card, _line, _csi) in enumerate(rankable, start=1):
        card.rank, card.ranked = place, len(rankable)
    drawn = [(c, line, csi) for c, line, csi in rankable if csi and csi.effect_var is not None]
    if len(drawn) < TOP_FIFTH_FROM or len(drawn) != len(rankable):
        return
    # Each index is drawn from its interval (the store mean's uncertainty included).
    value = np.array([csi.value for _c, _l, csi in drawn])
    rest = np.array([c.score - line.points * line.weight_used for c, line, _csi in drawn])
    weight = np.array([line.weight_used for _c, line, _csi in drawn])
    floor = np.array([line.floor for _c, line, _csi in drawn])
    target = np.array([line.target for _c, line, _csi in drawn])

    def score(values: np.ndarray) -> np.ndarray:
        points = np.clip((values - floor) / (target - floor) * 100.0, 0.0, 100.0)
        return rest + weight * points

    chances = top_share(value, np.array([csi.effect_var for *_r, csi in drawn]), seed=seed,
                        score=score)  # fmt: skip
    for (card, _line, _csi), chance in zip(drawn, chances, strict=True):
        card.top_chance = float(chance)


def _compute(period: ScorecardPeriod, version: int, today: date) -> int:
    window = Window(period.start, period.end, today)
    Scorecard.objects.filter(period=period, version=version).delete()
    made = 0
    for template in ScorecardTemplate.objects.filter(is_active=True).select_related("programme"):
        measures = list(template.measures.all())
        figures = {
            m.kind: measure_figures(m.kind, subject=template.subject, window=window,
                                    programme=template.programme)
            for m in measures
        }  # fmt: skip
        cards = []
        for staff, unit_id in _subjects(template):
            key = staff.pk if staff is not None else unit_id
            found = {kind: values.get(key) for kind, values in figures.items()}
            lines, score, reweighted = _card_lines(measures, found)
            card = Scorecard(period=period, version=version, template=template,
                             name=template.name, staff=staff, unit_id=unit_id, score=score,
                             reweighted=reweighted)  # fmt: skip
            cards.append((card, lines, found.get(MeasureKind.CSI)))
        _rank(cards, seed=period.pk * 100 + version)
        Scorecard.objects.bulk_create([card for card, _lines, _csi in cards])
        for card, lines, _csi in cards:
            for line in lines:
                line.card = card
        ScorecardLine.objects.bulk_create(line for _card, lines, _csi in cards for line in lines)
        made += len(cards)
    if period.kind == PeriodKind.MONTH:
        points_award(period=period, version=version, window=window)
    return made


@transaction.atomic
def scorecards_compute(
    *, period: ScorecardPeriod, today: date | None = None, unless_done_today: bool = False
) -> int:
    """Compute an open period's cards again from the data as it stands; a closed one is
    locked and left as it was. With ``unless_done_today`` (the nightly pass, in every
    worker), a period another worker computed today while this one waited is left.
    Returns how many cards were written."""
    period = ScorecardPeriod.objects.select_for_update().get(pk=period.pk)
    if period.is_closed:
        return 0
    today = today or timezone.localdate()
    if unless_done_today and period.computed_at and timezone.localdate(period.computed_at) >= today:
        return 0
    made = _compute(period, period.version, today)
    period.computed_at = timezone.now()
    period.save(update_fields=["computed_at"])
    return made


def scorecards_nightly(today: date | None = None) -> int:
    """Make the running and last periods, and recompute the open ones not computed
    today (the worker's nightly pass; safe to run in every worker: a period's row is
    locked while its cards are written)."""
    today = today or timezone.localdate()
    made = 0
    for period in periods_ensure(today):
        stale = period.computed_at is None or timezone.localdate(period.computed_at) < today
        if period.status == PeriodStatus.OPEN and stale and period.start <= today:
            made += scorecards_compute(period=period, today=today, unless_done_today=True)
    return made


@transaction.atomic
def period_close(*, actor: Any, period: ScorecardPeriod) -> ScorecardPeriod:
    """Lock a reviewed period: its cards are computed a last time and then stay as they
    are, whatever later data says. A quarter is closed after its months."""
    if not may_set_scorecards(actor):
        raise ScorecardError(_("You may not close scorecard periods."))
    period = ScorecardPeriod.objects.select_for_update().get(pk=period.pk)
    if period.is_closed:
        raise ScorecardError(_("The period is closed already."))
    if period.end >= timezone.localdate():
        raise ScorecardError(_("A period is closed once it has ended."))
    if period.kind == PeriodKind.QUARTER and ScorecardPeriod.objects.filter(
        kind=PeriodKind.MONTH, start__gte=period.start, end__lte=period.end,
        status=PeriodStatus.OPEN,
    ).exists():  # fmt: skip
        raise ScorecardError(_("Close the quarter's months first: its points are theirs."))
    # What is locked is the data as it stands now, not as of the last nightly pass.
    if not _compute(period, period.version, timezone.localdate()):
        raise ScorecardError(_("The period has no cards yet."))
    period.computed_at = timezone.now()
    period.status, period.closed_at, period.closed_by = PeriodStatus.CLOSED, timezone.now(), actor
    period.save(update_fields=["status", "closed_at", "closed_by", "computed_at"])
    audit_record(actor=actor, action="scorecard.period_close", obj=period)
    return period


@transaction.atomic
def period_reissue(*, actor: Any, period: ScorecardPeriod, reason: str) -> ScorecardPeriod:
    """Issue a closed period's cards again from today's data as a new version, with the
    reason; the earlier version's cards are kept."""
    if not may_set_scorecards(actor):
        raise ScorecardError(_("You may not reissue scorecards."))
    reason = reason.strip()[:300]
    if not reason:
        raise ScorecardError(_("Say why the cards are issued again."))
    period = ScorecardPeriod.objects.select_for_update().get(pk=period.pk)
    if not period.is_closed:
        raise ScorecardError(_("An open period's cards follow the data; close it first."))
    last = period.versions.order_by("-version").first()
    if last and last.reason == reason and timezone.now() - last.issued_at < timedelta(minutes=10):
        raise ScorecardError(_("Issued already for that reason."))
    period.version += 1
    _compute(period, period.version, timezone.localdate())
    period.computed_at = timezone.now()
    period.save(update_fields=["version", "computed_at"])
    PeriodVersion.objects.create(period=period, version=period.version, reason=reason,
                                 issued_by=actor)  # fmt: skip
    audit_record(actor=actor, action="scorecard.period_reissue", obj=period,
                 changes={"version": period.version, "reason": reason})  # fmt: skip
    return period
