"""The demo's product feedback: one model has more trouble than its share — its sunroof
drains, mechatronic units and blower motors fail — while other models wear ordinary parts
at an ordinary rate. Repair and warranty jobs name the part they replaced; complaints
whose cause is the product name the customer's vehicle and the part."""

import random
from collections import defaultdict
from collections.abc import Callable
from typing import TYPE_CHECKING

from manyi.cases.models import Case
from manyi.customers.models import Asset, ServiceEvent
from manyi.improve.selectors.feedback import PRODUCT, REPAIRS

if TYPE_CHECKING:
    from manyi.demo.network import DemoSize

TROUBLED = "途观L 330TSI"
TROUBLED_PARTS = ["天窗排水管", "变速箱机电单元", "空调鼓风机"]
WORN_PARTS = ["前制动片", "蓄电池", "雨刮片", "空调滤芯", "车窗升降器", "轮胎"]


def _part(rng: random.Random, model: str) -> str | None:
    """The part a repair of ``model`` names, if any."""
    if model == TROUBLED and rng.random() < 0.3:
        return rng.choice(TROUBLED_PARTS)
    return rng.choice(WORN_PARTS) if rng.random() < 0.08 else None


def build_feedback(size: "DemoSize", log: Callable[[str], None]) -> None:
    log("Naming the parts of repairs and product complaints…")
    rng = random.Random(f"{size.seed}:feedback")
    by_part: dict[str, list[int]] = defaultdict(list)
    repairs = ServiceEvent.objects.filter(kind__in=REPAIRS, asset__isnull=False)
    for pk, model in repairs.order_by("pk").values_list("pk", "asset__model_name"):
        part = _part(rng, model)
        if part:
            by_part[part].append(pk)
    for part, pks in by_part.items():
        ServiceEvent.objects.filter(pk__in=pks).update(part=part)
    vehicles: dict[int, list[tuple[int, str]]] = defaultdict(list)
    for pk, customer, model in Asset.objects.order_by("pk").values_list(
        "pk", "customer_id", "model_name"
    ):
        vehicles[customer].append((pk, model))
    named = []
    for case in Case.objects.filter(cause__code=PRODUCT, customer__isnull=False).order_by("pk"):
        owned = vehicles.get(case.customer_id)
        if not owned:
            continue
        case.asset_id, model = rng.choice(owned)
        case.part = (
            rng.choice(TROUBLED_PARTS) if model == TROUBLED and rng.random() < 0.7
            else rng.choice(WORN_PARTS)
        )  # fmt: skip
        named.append(case)
    Case.objects.bulk_update(named, ["asset", "part"], batch_size=500)
    log(f"  {sum(map(len, by_part.values()))} repairs and {len(named)} complaints name a part")
