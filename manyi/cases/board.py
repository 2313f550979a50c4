"""The store and region board: the cases open now under each unit below the one
looked at — how many, how many due today, how many overdue — and the open cases by
kind and by cause. Counts are aggregated per unit in the database and rolled up the
tree by path, so the board reads one row per unit, not one per case."""

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.db.models import Count
from django.utils import timezone

from manyi.cases.models import Case, CaseKind, CaseStatus, Cause
from manyi.cases.selectors import due_today, overdue
from manyi.org.models import Unit
from manyi.org.selectors import scope_unit, sees_network, visible_unit_filter


@dataclass
class Counts:
    open: int = 0
    due_today: int = 0
    overdue: int = 0

    def add(self, other: "Counts") -> None:
        self.open += other.open
        self.due_today += other.due_today
        self.overdue += other.overdue


@dataclass
class BoardRow:
    unit: Unit | None
    counts: Counts = field(default_factory=Counts)


@dataclass
class Board:
    unit: Unit | None
    total: Counts
    rows: list[BoardRow]
    by_kind: list[tuple[str, Counts]]
    by_cause: list[tuple[str, Counts]]


def _counted(cases: Any, key: str, now: datetime) -> dict[Any, Counts]:
    rows = cases.values(key).annotate(
        open=Count("id"),
        due_today=Count("id", filter=due_today(now)),
        overdue=Count("id", filter=overdue(now)),
    )
    return {row[key]: Counts(row["open"], row["due_today"], row["overdue"]) for row in rows}


def board(user: Any, *, unit: Unit | None = None, now: datetime | None = None) -> Board:
    """The board of ``unit`` (default: the user's own scope), within what they see."""
    now = now or timezone.now()
    unit = unit or (None if sees_network(user) else scope_unit(user))
    active = Case.objects.filter(
        visible_unit_filter(user), status__in=[CaseStatus.OPEN, CaseStatus.WAITING]
    )
    if unit is not None:
        active = active.filter(unit__path__startswith=unit.path)
    per_unit = _counted(active, "unit__path", now)
    children = list(Unit.objects.filter(parent=unit) if unit else Unit.objects.filter(parent=None))
    rows = {child.path: BoardRow(child) for child in children}
    own = BoardRow(unit)  # cases held by the unit itself, not by a child
    total = Counts()
    for path, counts in per_unit.items():
        total.add(counts)
        child = next((p for p in rows if path.startswith(p)), None)
        (rows[child] if child else own).counts.add(counts)
    listed = sorted(rows.values(), key=lambda row: (-row.counts.overdue, -row.counts.open))
    if own.counts.open:
        listed.insert(0, own)
    kinds = dict(CaseKind.choices)
    by_kind = _counted(active, "kind", now)
    by_cause = _counted(active, "cause_id", now)
    causes = {cause.pk: str(cause) for cause in Cause.objects.all()}
    return Board(
        unit=unit,
        total=total,
        rows=[row for row in listed if row.counts.open or row.unit in children],
        by_kind=sorted(
            ((str(kinds.get(k, k)), c) for k, c in by_kind.items()), key=lambda kc: -kc[1].open
        ),
        by_cause=sorted(
            ((causes.get(pk, ""), c) for pk, c in by_cause.items()), key=lambda kc: -kc[1].open
        ),
    )
