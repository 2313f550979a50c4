"""Product feedback to the maker (品质回馈): over a period, in the user's part, the cases
whose analysis found a product cause and the repair and warranty jobs that name a part,
per vehicle model and part; each model beside the vehicles of it serviced, so a model
with more trouble than its share shows as such; and the records themselves for the
maker's spreadsheet."""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from manyi.cases.models import Case
from manyi.customers.models import EventKind, ServiceEvent
from manyi.org.selectors import visible_unit_filter

PRODUCT = "product"  # the code of the product cause in the cause list
REPAIRS = (EventKind.REPAIR, EventKind.WARRANTY)


@dataclass(frozen=True)
class PartRow:
    model: str
    part: str
    cases: int
    repairs: int
    vehicles: int  # distinct vehicles with this part's trouble (cases and repairs)


@dataclass(frozen=True)
class ModelRow:
    model: str
    issues: int  # cases and repairs
    vehicles: int  # distinct vehicles with a product issue
    serviced: int  # distinct vehicles of the model serviced in the period

    @property
    def per_hundred(self) -> float | None:
        """Vehicles with a product issue per 100 of the model serviced."""
        return round(100 * self.vehicles / self.serviced, 1) if self.serviced else None


def _bounds(since: date, until: date) -> tuple[datetime, datetime]:
    zone = timezone.get_current_timezone()
    return (
        datetime.combine(since, time.min, tzinfo=zone),
        datetime.combine(until + timedelta(days=1), time.min, tzinfo=zone),
    )


def product_cases(user: Any, *, since: date, until: date, model: str = "") -> QuerySet[Case]:
    start, end = _bounds(since, until)
    found = Case.objects.filter(
        visible_unit_filter(user), cause__code=PRODUCT, opened_at__gte=start, opened_at__lt=end
    )
    return found.filter(asset__model_name=model) if model else found


def part_repairs(user: Any, *, since: date, until: date, model: str = "") -> QuerySet[ServiceEvent]:
    start, end = _bounds(since, until)
    found = ServiceEvent.objects.filter(
        visible_unit_filter(user), kind__in=REPAIRS, opened_at__gte=start, opened_at__lt=end
    ).exclude(part="")
    return found.filter(asset__model_name=model) if model else found


def product_feedback(
    user: Any, *, since: date, until: date, model: str = ""
) -> tuple[list[PartRow], list[ModelRow]]:
    """Per (model, part), the most frequent first; and per model, the most affected
    vehicles per 100 serviced first."""
    counts: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0, 0])
    vehicles: dict[tuple[str, str], set[int]] = defaultdict(set)
    for index, found in enumerate((
        product_cases(user, since=since, until=until, model=model),
        part_repairs(user, since=since, until=until, model=model),
    )):  # fmt: skip
        for model_name, part, asset in found.values_list("asset__model_name", "part", "asset"):
            key = (model_name or "", part or "")
            counts[key][index] += 1
            if asset:
                vehicles[key].add(asset)
    parts = sorted(
        (PartRow(model=m, part=p, cases=c, repairs=r, vehicles=len(vehicles[(m, p)]))
         for (m, p), (c, r) in counts.items()),
        key=lambda row: (not row.model or not row.part, -(row.cases + row.repairs),
                         row.model, row.part),
    )  # fmt: skip
    start, end = _bounds(since, until)
    serviced: dict[str, int] = defaultdict(int)
    for model_name, _asset in (
        ServiceEvent.objects.filter(visible_unit_filter(user), opened_at__gte=start,
                                    opened_at__lt=end, asset__isnull=False)
        .order_by().values_list("asset__model_name", "asset").distinct()
    ):  # fmt: skip
        serviced[model_name or ""] += 1
    per_model: dict[str, list[Any]] = defaultdict(lambda: [0, set()])
    for (model_name, _part), (c, r) in counts.items():
        per_model[model_name][0] += c + r
        per_model[model_name][1] |= vehicles[(model_name, _part)]
    models = sorted(
        (ModelRow(model=m, issues=n, vehicles=len(v), serviced=serviced.get(m, 0))
         for m, (n, v) in per_model.items()),
        key=lambda row: (not row.model, -(row.per_hundred or 0), -row.issues, row.model),
    )  # fmt: skip
    return parts, models


def feedback_records(
    user: Any, *, since: date, until: date, model: str = ""
) -> list[tuple[Any, ...]]:
    """The cases and repairs themselves, oldest first: kind, reference, day, store code,
    store, model, VIN, part, what it was."""
    rows = [
        ("case", case.number, timezone.localdate(case.opened_at), case.unit.code, case.unit.name,
         case.asset.model_name if case.asset else "", case.asset.identifier if case.asset else "",
         case.part, case.subject)
        for case in product_cases(user, since=since, until=until, model=model)
        .select_related("unit", "asset")
    ] + [
        ("repair", event.external_id, timezone.localdate(event.opened_at), event.unit.code,
         event.unit.name, event.asset.model_name if event.asset else "",
         event.asset.identifier if event.asset else "", event.part, event.get_kind_display())
        for event in part_repairs(user, since=since, until=until, model=model)
        .select_related("unit", "asset")
    ]  # fmt: skip
    return sorted(rows, key=lambda row: (row[2], row[1]))
