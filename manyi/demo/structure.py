"""The hidden truth of the demo network, reproducible from the seed.

Later parts of manyi (survey answers, cases) draw from these same functions, so the
weak stores, the seasonal dip and the better advisors are consistent everywhere
and analysis has something real to find.
"""

import random
from dataclasses import dataclass

# The five J.D. Power after-sales factors (DOMAIN.md): where a store can be weak.
FACTORS = [
    "service_initiation",
    "service_advisor",
    "service_facility",
    "vehicle_pickup",
    "service_quality",
]

# The RATER dimension a store weak on a CSI factor falls short on in SERVQUAL terms;
# across the network responsiveness falls furthest short of what customers expect.
RATER_OF_FACTOR = {
    "service_initiation": "responsiveness",
    "service_advisor": "empathy",
    "service_facility": "tangibles",
    "vehicle_pickup": "assurance",
    "service_quality": "reliability",
}
NETWORK_SHORTFALL = "responsiveness"

# Relative service volume by calendar month: the Spring Festival dip in Jan/Feb and a
# smaller one in the October Golden Week.
SEASON = {
    1: 0.85,
    2: 0.6,
    3: 1.0,
    4: 1.05,
    5: 1.0,
    6: 1.05,
    7: 1.1,
    8: 1.1,
    9: 1.0,
    10: 0.85,
    11: 1.05,
    12: 1.1,
}


@dataclass(frozen=True)
class StoreProfile:
    quality: float  # overall level, 0 = network average, in standard deviations
    weak_factors: tuple[str, ...]
    comeback_rate: float  # share of repairs that come back within weeks


def store_profile(seed: int, store_code: str) -> StoreProfile:
    """One store in six is weak on one or two factors, and weak stores fix less first time.

    Which stores are weak depends on the seed; the first weak store is always weak on
    service quality (the heaviest factor), the next ones on each other factor in turn,
    so even a small network has shortfalls of every kind to find.
    """
    rng = random.Random(f"{seed}:store:{store_code}")
    digits = "".join(ch for ch in store_code if ch.isdigit())
    number = int(digits) if digits else 0
    shifted = number + random.Random(seed).randrange(6)
    weak: tuple[str, ...] = ()
    if number and shifted % 6 == 0:
        first = FACTORS[(shifted // 6 + len(FACTORS) - 2) % len(FACTORS)]
        extra = rng.choice([f for f in FACTORS if f != first]) if rng.random() < 0.3 else None
        weak = tuple(sorted({first, extra} - {None}))
    quality = rng.gauss(0, 0.5) - 0.8 * len(weak)
    comeback = 0.22 if "service_quality" in weak else 0.05
    return StoreProfile(quality=quality, weak_factors=weak, comeback_rate=comeback)


def advisor_skill(seed: int, staff_code: str) -> float:
    """Advisors differ: skill in standard deviations around their store's level."""
    return random.Random(f"{seed}:advisor:{staff_code}").gauss(0, 0.7)


def customer_value(seed: int, index: int) -> float:
    """Spending propensity: log-normal, so a fifth of customers bring most of the revenue."""
    return random.Random(f"{seed}:customer:{index}").lognormvariate(0, 1.0)


# Satisfaction dips when the workshops are busiest (summer holidays, year-end rush).
SATISFACTION_SEASON = {7: -0.3, 8: -0.35, 12: -0.25}

# What a dissatisfied customer writes, by the factor the store is weak on.
COMPLAINTS = {
    "service_initiation": ["预约电话总是打不通", "想约的时间都约不上"],
    "service_advisor": ["服务顾问态度冷淡", "没跟我解释清楚要做哪些项目"],
    "service_facility": ["休息区太挤，没有座位", "洗手间不干净"],
    "vehicle_pickup": ["交车等了一个多小时", "收费不透明，比说好的贵"],
    "service_quality": ["车修了两次还没修好", "取车时车里很脏"],
}
PRAISE = ["服务很周到", "顾问很专业，谢谢", "修得又快又好", "环境不错，会再来"]


# Improvement actions the demo plants, and what really happened at their stores. The
# month that triggered them is TRIGGER_AGO months before the demo's last month; they were
# opened and done in the month after it, so their effect is read from the month after that.
TRIGGER_AGO = 4


@dataclass(frozen=True)
class ActionStory:
    kind: str  # "worked", "nothing", "overdue" (at weak stores) or "recovered"
    store_code: str
    figure: str  # the rollup variable it aims at: "factor:…" or "@index"


def action_stories(seed: int, store_codes: list[str]) -> dict[str, ActionStory]:
    """Which store tells which story: one weak store's action really fixes its weak
    factor, another's does nothing, a third's runs overdue; a steady store has one bad
    month, acts on it, and recovers by itself."""
    codes = sorted(store_codes)
    weak = [code for code in codes if store_profile(seed, code).weak_factors]
    # Not the first two stores: the demo's logins work at one, the other games its results.
    steady = [code for code in codes[2:] if code not in weak]
    stories: dict[str, ActionStory] = {}
    for kind, pool in (("worked", weak), ("nothing", weak), ("overdue", weak),
                       ("recovered", steady)):  # fmt: skip
        free = [code for code in pool if code not in stories]
        if free:
            factors = store_profile(seed, free[0]).weak_factors
            figure = f"factor:{factors[0]}" if factors else "@index"
            stories[free[0]] = ActionStory(kind, free[0], figure)
    return stories


def months_between(first: tuple[int, int], second: tuple[int, int]) -> int:
    """Whole months from (year, month) ``first`` to ``second``."""
    return (second[0] - first[0]) * 12 + second[1] - first[1]


def story_effect(story: ActionStory, months_after_trigger: int) -> tuple[float, bool]:
    """What the story does to its store's answers in a month: a shift of satisfaction in
    standard deviations, and whether the action's weak factor is fixed by then."""
    if story.kind == "recovered" and months_after_trigger == 0:
        return -1.2, False
    if story.kind == "worked" and months_after_trigger >= 2:
        return 0.0, True
    return 0.0, False
