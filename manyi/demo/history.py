"""The demo network's history: service events with seasons, value and weak stores."""

import bisect
import itertools
import random
from collections.abc import Callable, Iterator
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from manyi.customers.models import Asset, Customer, EventKind, ServiceEvent
from manyi.demo.structure import SEASON, customer_value, store_profile

if TYPE_CHECKING:
    from manyi.demo.network import DemoSize, StoreInfo

BATCH = 5000
TZ = ZoneInfo("Asia/Shanghai")


def _months(size: "DemoSize") -> list[date]:
    first = date(size.until.year, size.until.month, 1)
    months = []
    for back in range(size.months - 1, -1, -1):
        year, month = divmod(first.year * 12 + first.month - 1 - back, 12)
        months.append(date(year, month + 1, 1))
    return months


KIND_MIX = [
    (EventKind.MAINTENANCE, 0.55),
    (EventKind.REPAIR, 0.27),
    (EventKind.WARRANTY, 0.1),
    (EventKind.SALE, 0.03),
    (EventKind.INSTALLATION, 0.05),
]


def _amount(rng: random.Random, kind: str, value: float) -> Decimal:
    if kind == EventKind.WARRANTY:
        return Decimal(0)
    if kind == EventKind.SALE:
        return Decimal(rng.randint(120, 350) * 1000)
    base = {EventKind.MAINTENANCE: 700, EventKind.REPAIR: 2600, EventKind.INSTALLATION: 1500}
    return Decimal(round(base[kind] * rng.lognormvariate(0, 0.4) * value**0.5, 2)).quantize(
        Decimal("0.01")
    )


def _event_stream(size: "DemoSize", stores: "list[StoreInfo]") -> Iterator[ServiceEvent]:
    rng = random.Random(f"{size.seed}:events")
    customer_rows = list(Customer.objects.order_by("pk").values_list("pk", "unit_id"))
    assets_of: dict[int, list[int]] = {}
    for pk, customer_id in Asset.objects.order_by("pk").values_list("pk", "customer_id"):
        assets_of.setdefault(customer_id, []).append(pk)
    values = [customer_value(size.seed, index) for index in range(len(customer_rows))]
    customer_cum = list(itertools.accumulate(value**0.6 for value in values))
    months = _months(size)
    month_cum = list(itertools.accumulate(SEASON[month.month] for month in months))
    kinds_cum = list(itertools.accumulate(weight for _kind, weight in KIND_MIX))
    by_unit = {info.unit.pk: info for info in stores}
    region_stores: dict[int, list[StoreInfo]] = {}
    for info in stores:
        region_stores.setdefault(info.region_index, []).append(info)
    profiles = {info.unit.pk: store_profile(size.seed, info.unit.code) for info in stores}
    today = datetime.now(TZ)
    counter = 0
    while counter < size.events:
        slot = bisect.bisect(customer_cum, rng.random() * customer_cum[-1])
        customer_id, home = customer_rows[slot]
        info = by_unit[home]
        if rng.random() < 0.1:  # now and then a customer visits another store of the region
            info = rng.choice(region_stores[info.region_index])
        month = months[bisect.bisect(month_cum, rng.random() * month_cum[-1])]
        days = (date(month.year + month.month // 12, month.month % 12 + 1, 1) - month).days
        opened = datetime(
            month.year,
            month.month,
            rng.randint(1, days),
            rng.randint(8, 17),
            rng.choice([0, 15, 30, 45]),
            tzinfo=TZ,
        )
        if opened > today:
            continue
        kind = KIND_MIX[bisect.bisect(kinds_cum, rng.random() * kinds_cum[-1])][0]
        advisor = (
            rng.choices(info.advisors, weights=info.advisor_weights)[0] if info.advisors else None
        )
        asset = rng.choice(assets_of[customer_id]) if customer_id in assets_of else None
        hours = rng.randint(1, 8) if kind != EventKind.REPAIR else rng.randint(6, 72)
        counter += 1
        yield ServiceEvent(
            external_id=f"RO-{info.unit.code}-{counter:08d}",
            kind=kind,
            unit=info.unit,
            staff_id=advisor,
            customer_id=customer_id,
            asset_id=asset,
            opened_at=opened,
            closed_at=opened + timedelta(hours=hours),
            amount=_amount(rng, kind, values[slot]),
        )
        if kind == EventKind.REPAIR and rng.random() < profiles[info.unit.pk].comeback_rate:
            again = opened + timedelta(days=rng.randint(3, 25), hours=rng.randint(0, 3))
            if again < today and counter < size.events:
                counter += 1
                yield ServiceEvent(
                    external_id=f"RO-{info.unit.code}-{counter:08d}",
                    kind=EventKind.REPAIR,
                    unit=info.unit,
                    staff_id=advisor,
                    customer_id=customer_id,
                    asset_id=asset,
                    opened_at=again,
                    closed_at=again + timedelta(hours=rng.randint(4, 48)),
                    amount=Decimal(0),
                )


def build_events(size: "DemoSize", stores: "list[StoreInfo]", log: Callable[[str], None]) -> None:
    log(f"Building {size.events} service events over {size.months} months…")
    stream = _event_stream(size, stores)
    while batch := list(itertools.islice(stream, BATCH)):
        ServiceEvent.objects.bulk_create(batch)
