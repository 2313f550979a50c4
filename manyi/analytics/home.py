"""What the analytics put on the home page: the satisfaction of one's part of the
network against the months before, the stores furthest behind, and an advisor's own
figures. Every card reads rollup cells only (the last whole months), so it costs a few
indexed reads however many responses there are."""

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.urls import reverse
from django.utils import timezone

from manyi.analytics.periods import whole_months
from manyi.analytics.query import default_programme, programmes
from manyi.analytics.reports.csi import INDEX, ranked_units, slice_mean, slice_nps
from manyi.analytics.selectors import slice_of
from manyi.improve.selectors.targets import running_targets
from manyi.org.models import UnitLevel
from manyi.org.permissions import may_lead_units, may_see_own_figures
from manyi.org.selectors import scope_unit, sees_network, visible_units
from manyi.surveys.versions import definition_of
from manyi.web.registry import KEEP_FIGURES, home_card

MONTHS = 3  # the last three whole months, against the three before
BEHIND = 5


@dataclass(frozen=True)
class Figure:
    """A figure of the last months, the one before it, and the change."""

    value: float | None
    n: int
    before: float | None
    enough: bool

    @property
    def change(self) -> float | None:
        if self.value is None or self.before is None:
            return None
        return self.value - self.before


def _periods() -> tuple[list, list]:
    months = whole_months(2 * MONTHS)
    return months[MONTHS:], months[:MONTHS]


def _figures(version_id: int, min_n: int, **whose: Any) -> dict[str, Figure]:
    now, before = (slice_of(version_id=version_id, months=m, **whose) for m in _periods())
    definition = definition_of(version_id)
    index, index_before = slice_mean(now, INDEX), slice_mean(before, INDEX)
    nps, nps_before = slice_nps(definition, now), slice_nps(definition, before)
    return {
        "index": Figure(
            index.mean if index else None,
            index.n if index else 0,
            index_before.mean if index_before else None,
            bool(index and index.n >= min_n),
        ),
        "nps": Figure(
            nps.nps if nps else None,
            nps.n if nps else 0,
            nps_before.nps if nps_before else None,
            bool(nps and nps.n >= min_n),
        ),
    }


def _same_months(programme: Any, months: list) -> str:
    """The query string of a report over exactly the card's months, so the page it
    links to shows the same figures."""
    last = months[-1]
    after = date(last.year + last.month // 12, last.month % 12 + 1, 1)
    return (
        f"?programme={programme.pk}&since={months[0]:%Y-%m-%d}"
        f"&until={after - timedelta(days=1):%Y-%m-%d}"
    )


def _programme() -> Any:
    return default_programme(programmes())


@home_card(
    "analytics.satisfaction", order=10, template="analytics/home_satisfaction.html",
    shown_to=may_lead_units,
)  # fmt: skip
def satisfaction(user: Any) -> dict[str, Any] | None:
    programme = _programme()
    if programme is None:
        return None
    scope = None if sees_network(user) else scope_unit(user)
    months, _before = _periods()
    today = timezone.localdate()
    return {
        "programme": programme,
        "scope": scope,
        "since": months[0],
        "until": months[-1],
        "min_n": programme.min_n_unit,
        **_figures(programme.version_id, programme.min_n_unit, unit_id=scope.pk if scope else None),
        "targets": running_targets(
            user, programme=programme, unit=scope, first=today, last=today, today=today
        ),
        "url": reverse("analytics:dashboard")
        + _same_months(programme, months)
        + (f"&unit={scope.pk}" if scope else ""),
    }


@home_card(
    "analytics.behind", order=20, template="analytics/home_behind.html",
    shown_to=may_lead_units,
    keep=KEEP_FIGURES,
)  # fmt: skip
def stores_behind(user: Any) -> dict[str, Any] | None:
    """The stores of one's part with the lowest CSI of the last months (rankable ones)."""
    programme = _programme()
    stores = list(visible_units(user).filter(level=UnitLevel.STORE))
    if programme is None or len(stores) < 2:
        return None
    months, _before = _periods()
    ranked = ranked_units(programme.version_id, months, stores, programme.min_n_unit)
    rankable = [figure for figure in ranked if figure.rankable]
    return {
        "programme": programme,
        "link": reverse("analytics:dashboard") + _same_months(programme, months),
        "behind": list(reversed(rankable[-BEHIND:])),
        "of": len(rankable),
        "thin": len(ranked) - len(rankable),
        "min_n": programme.min_n_unit,
    }


@home_card(
    "analytics.own", order=10, template="analytics/home_own.html",
    shown_to=may_see_own_figures,
    keep=KEEP_FIGURES,
)  # fmt: skip
def own_figures(user: Any) -> dict[str, Any] | None:
    programme = _programme()
    if programme is None:
        return None
    months, _before = _periods()
    store = scope_unit(user)
    theirs = _figures(programme.version_id, programme.min_n_unit, unit_id=store.pk) if store else {}
    return {
        "programme": programme,
        "since": months[0],
        "until": months[-1],
        "min_n": programme.min_n_staff,
        "store": store,
        "store_index": theirs.get("index"),
        "store_nps": theirs.get("nps"),
        **_figures(programme.version_id, programme.min_n_staff, staff_id=user.pk),
        "url": reverse("analytics:advisor", args=[user.pk]) + _same_months(programme, months),
    }
