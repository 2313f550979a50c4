"""The response funnel of a scope and period: invited → sent → opened → started →
completed, and the ways an invitation ends without an answer, per child unit."""

from manyi.analytics.periods import as_span
from manyi.analytics.reports.csi import children_of
from manyi.analytics.selectors import Months
from manyi.org.models import Unit
from manyi.surveys.models import Programme
from manyi.surveys.selectors import CLOSED_STEPS, FUNNEL_STEPS, FunnelRow, funnel_by_unit

STEPS = FUNNEL_STEPS + CLOSED_STEPS


def funnel_report(
    *, programme: Programme, months: Months, scope: Unit | None
) -> tuple[FunnelRow, list[FunnelRow]]:
    """The funnel of invitations created in the period in ``scope``'s subtree, in total
    and per child unit that invited anyone."""
    since, until = as_span(months).bounds()
    by_unit = funnel_by_unit(
        programme=programme, since=since, until=until, path=scope.path if scope else None
    )
    paths = dict(Unit.objects.filter(pk__in=list(by_unit)).values_list("pk", "path"))
    total = FunnelRow(str(scope) if scope else "", scope.pk if scope else None, _zeros())
    children = children_of(scope)
    rows = [FunnelRow(str(child), child.pk, _zeros()) for child in children]
    for unit_id, counts in by_unit.items():
        _add(total, counts)
        for child, row in zip(children, rows, strict=True):
            if paths[unit_id].startswith(child.path):
                _add(row, counts)
                break
    return total, [row for row in rows if row.counts["invited"]]


def _zeros() -> dict[str, int]:
    return dict.fromkeys(STEPS, 0)


def _add(row: FunnelRow, counts: dict[str, int]) -> None:
    for step in STEPS:
        row.counts[step] += counts.get(step, 0)
