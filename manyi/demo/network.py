"""Build the demo network: units, staff, customers with vehicles, and service events."""

import bisect
import itertools
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.contrib.auth.hashers import make_password
from django.db import transaction

from manyi.analytics.services import rollups_rebuild
from manyi.audit.services import audit_record
from manyi.care.touches import touches_plan
from manyi.customers.models import Asset, Contact, Customer
from manyi.customers.pinyin import name_pinyin
from manyi.customers.served import customers_served_from_history
from manyi.customers.tiering import tiers_recompute
from manyi.demo import names
from manyi.demo.actions import build_actions
from manyi.demo.care import build_care, build_owner_event
from manyi.demo.cases import build_cases
from manyi.demo.churn import build_winbacks, plant_lapses
from manyi.demo.feedback import build_feedback
from manyi.demo.history import BATCH, build_events
from manyi.demo.inspections import build_inspections
from manyi.demo.people import build_people
from manyi.demo.standards import build_standards
from manyi.demo.structure import advisor_skill, customer_value
from manyi.demo.surveys import build_surveys
from manyi.org.models import Position, Role, Staff, Unit, UnitKind, UnitLevel

NO_LOGIN = make_password(None)  # staff without a demo login cannot sign in
DEMO_PASSWORD = "manyi-demo"  # noqa: S105 - published demo logins, printed by `make demo`


# Each store's people: (number, where, role, position, demo login in the first store).
STORE_STAFF = [
    (0, "store", Role.STORE_MANAGER, Position.GENERAL_MANAGER, "store1"),
    (1, "service", Role.ADVISOR, Position.SERVICE_ADVISOR, "advisor1"),
    (2, "store", Role.CASE_HANDLER, Position.COMPLAINT_HANDLER, "handler1"),
    (3, "service", Role.ADVISOR, Position.TECHNICIAN, None),
    *((seq, "service", Role.ADVISOR, Position.SERVICE_ADVISOR, None) for seq in range(4, 8)),
    (10, "sales", Role.ADVISOR, Position.SALES_CONSULTANT, None),
]


@dataclass
class DemoSize:
    seed: int = 7
    stores: int = 24
    customers: int = 20_000
    events: int = 80_000
    months: int = 18
    until: date = field(default_factory=date.today)


@dataclass
class StoreInfo:
    unit: Unit
    city: str
    province: str
    region_index: int
    advisors: list[int] = field(default_factory=list)
    advisor_weights: list[float] = field(default_factory=list)


def demo_loaded() -> bool:
    return Unit.objects.filter(code="HQ").exists()


def build(size: DemoSize, log: Callable[[str], None] = print) -> None:
    with transaction.atomic():
        stores = _build_org(size, log)
        _build_customers(size, stores, log)
        build_events(size, stores, log)
        build_surveys(size, log)
        plant_lapses(size, log)
        build_cases(size, log)
        build_care(size, log)
        customers_served_from_history()
        build_owner_event(size)  # drawn from the customers the store has served
        audit_record(
            actor=None,
            action="demo_load",
            object_type="demo",
            object_repr="demo network",
            changes={
                "seed": size.seed,
                "stores": size.stores,
                "customers": size.customers,
                "events": size.events,
                "months": size.months,
                "until": size.until.isoformat(),
            },
        )
    log("Ranking customers into tiers…")
    tiers_recompute(actor=None)
    log("Planning reminders, birthdays and seasonal care…")
    touches_plan()
    log("Rolling up the survey answers…")
    rollups_rebuild()
    log("Finding who may be drifting away…")
    build_winbacks(size, log)
    build_actions(size, log)
    build_standards(log)
    build_inspections(size, log)
    build_feedback(size, log)
    build_people(size, log)


def _unit(code: str, name: str, level: str, kind: str, parent: Unit | None, **extra: str) -> Unit:
    unit = Unit.objects.create(code=code, name=name, level=level, kind=kind, parent=parent, **extra)
    unit.path = f"{parent.path if parent else '/'}{unit.pk}/"
    unit.save(update_fields=["path"])
    return unit


def _login(username: str, full_name: str, unit: Unit, role: str, position: str, code: str) -> Staff:
    staff = Staff(
        username=username,
        full_name=full_name,
        unit=unit,
        role=role,
        position=position,
        code=code,
        is_staff=role == Role.ADMIN,
        is_superuser=role == Role.ADMIN,
    )
    staff.set_password(DEMO_PASSWORD)
    staff.save()
    return staff


def _person(rng: random.Random) -> str:
    return rng.choice(names.SURNAMES) + "".join(
        rng.choice(names.GIVEN) for _ in range(rng.choice([1, 2]))
    )


def _build_org(size: DemoSize, log: Callable[[str], None]) -> list[StoreInfo]:
    rng = random.Random(f"{size.seed}:org")
    log(f"Building 1 HQ, {len(names.REGIONS)} regions and {size.stores} stores…")
    hq = _unit(
        "HQ",
        "满意汽车集团总部",
        UnitLevel.HQ,
        UnitKind.HEADQUARTERS,
        None,
        province="北京市",
        city="北京",
    )
    _login("admin", "系统管理员", hq, Role.ADMIN, Position.OTHER, "A0001")
    _login("hq", "周静（总部质量经理）", hq, Role.HQ_ANALYST, Position.ANALYST, "A0002")
    _login("agent", "孙丽（呼叫中心）", hq, Role.AGENT, Position.CALL_AGENT, "A0003")
    regions = []
    for index, (code, name, _cities) in enumerate(names.REGIONS):
        region = _unit(code, name, UnitLevel.REGION, UnitKind.REGION_OFFICE, hq)
        regions.append(region)
        _login(
            f"region{index + 1}",
            f"{_person(rng)}（{name}经理）",
            region,
            Role.REGION_MANAGER,
            Position.GENERAL_MANAGER,
            f"{code}-M",
        )
    stores: list[StoreInfo] = []
    staff_batch: list[Staff] = []
    for number in range(size.stores):
        region_index = number % len(names.REGIONS)
        _code, _name, cities = names.REGIONS[region_index]
        province, city = cities[(number // len(names.REGIONS)) % len(cities)]
        round_ = number // (len(names.REGIONS) * len(cities))
        suffix = names.STORE_SUFFIXES[round_ % len(names.STORE_SUFFIXES)]
        label = f"{city}{suffix}{'' if round_ < len(names.STORE_SUFFIXES) else round_}"
        code = f"S{number + 1:04d}"
        store = _unit(
            code,
            f"{label}4S店",
            UnitLevel.STORE,
            UnitKind.DEALER,
            regions[region_index],
            province=province,
            city=city,
            address=f"{rng.choice(names.DISTRICTS)}汽车园{rng.randint(1, 99)}号",
        )
        service = _unit(
            f"{code}-SV",
            f"{label}店售后服务部",
            UnitLevel.DEPARTMENT,
            UnitKind.SERVICE_DEPARTMENT,
            store,
        )
        sales = _unit(
            f"{code}-SA", f"{label}店销售部", UnitLevel.DEPARTMENT, UnitKind.SALES_DEPARTMENT, store
        )
        info = StoreInfo(unit=store, city=city, province=province, region_index=region_index)
        stores.append(info)
        places = {"store": store, "service": service, "sales": sales}
        for seq, place, role, position, login in STORE_STAFF:
            staff_code = f"{code}-E{seq:02d}"
            if number == 0 and login:  # the demo logins live in the first store
                _login(
                    login,
                    f"{_person(rng)}（{Position(position).label}）",
                    places[place],
                    role,
                    position,
                    staff_code,
                )
                continue
            staff_batch.append(
                Staff(
                    username=staff_code.lower(),
                    full_name=_person(rng),
                    unit=places[place],
                    role=role,
                    position=position,
                    code=staff_code,
                    password=NO_LOGIN,
                )
            )
        if len(staff_batch) >= BATCH:
            Staff.objects.bulk_create(staff_batch)
            staff_batch = []
    Staff.objects.bulk_create(staff_batch)
    by_store = {info.unit.pk: info for info in stores}
    service_to_store = dict(
        Unit.objects.filter(level=UnitLevel.DEPARTMENT).values_list("pk", "parent_id")
    )
    for pk, code, unit_id in Staff.objects.filter(position=Position.SERVICE_ADVISOR).values_list(
        "pk", "code", "unit_id"
    ):
        info = by_store[service_to_store[unit_id]]
        info.advisors.append(pk)
        # Better advisors are given more customers: skill shows in volume too.
        info.advisor_weights.append(1.0 + 0.15 * advisor_skill(size.seed, code))
    log(f"  {Staff.objects.count()} staff")
    return stores


def _phone(rng: random.Random) -> str:
    return f"+86{rng.choice(names.MOBILE_PREFIXES)}{rng.randint(0, 99_999_999):08d}"


def _build_customers(size: DemoSize, stores: list[StoreInfo], log: Callable[[str], None]) -> None:
    log(f"Building {size.customers} customers with vehicles…")
    rng = random.Random(f"{size.seed}:customers")
    store_weights = [0.5 + rng.random() for _ in stores]
    cum = list(itertools.accumulate(store_weights))
    for start in range(0, size.customers, BATCH):
        customers, assets, contacts = [], [], []
        for index in range(start, min(start + BATCH, size.customers)):
            info = stores[bisect.bisect(cum, rng.random() * cum[-1])]
            business = rng.random() < 0.06
            name = (
                f"{info.city}{rng.choice(names.SURNAMES)}氏{rng.choice(names.COMPANIES)}"
                if business
                else _person(rng)
            )
            customers.append(
                Customer(
                    external_id=f"C{index + 1:07d}",
                    unit=info.unit,
                    name=name,
                    name_pinyin=name_pinyin(name),
                    party_type="organisation" if business else "person",
                    kind="business" if business else "retail",
                    gender="" if business else rng.choice(["男", "女"]),
                    province=info.province,
                    city=info.city,
                    district=rng.choice(names.DISTRICTS),
                )
            )
        Customer.objects.bulk_create(customers)
        for customer in customers:
            index = int(customer.external_id[1:]) - 1
            contacts.append(Contact(customer=customer, channel="phone", value=_phone(rng)))
            if rng.random() < 0.3:
                contacts.append(
                    Contact(customer=customer, channel="email", value=f"c{index + 1}@example.com")
                )
            city = customer.city
            for car in range(2 if customer_value(size.seed, index) > 3 else 1):
                bought = size.until - timedelta(days=rng.randint(30, 365 * 8))
                assets.append(
                    Asset(
                        external_id=f"V{index + 1:07d}-{car + 1}",
                        customer=customer,
                        kind="vehicle",
                        model_name=rng.choice(names.MODELS),
                        identifier="LFV"
                        + "".join(
                            rng.choice("ABCDEFGHJKLMNPRSTUVWXYZ0123456789") for _ in range(14)
                        ),
                        plate=names.PLATE_PREFIX.get(city, "京A")
                        + "".join(rng.choice(names.PLATE_LETTERS) for _ in range(5)),
                        purchased_on=bought,
                    )
                )
        Contact.objects.bulk_create(contacts)
        Asset.objects.bulk_create(assets)
    pks = list(Customer.objects.order_by("pk").values_list("pk", flat=True))
    vip = rng.sample(pks, max(1, len(pks) // 200))
    for start in range(0, len(vip), 900):
        Customer.objects.filter(pk__in=vip[start : start + 900]).update(
            is_vip=True, vip_reason="集团大客户"
        )
