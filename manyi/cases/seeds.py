"""What a new installation starts with: China's public holidays and make-up working
days (from the ``chinesecalendar`` package), the usual causes, SLA policies with the
field's usual deadlines, and a default calendar. All of it is data, editable later.

The functions take the model classes, so a migration can pass its historical ones.
"""

from typing import Any

import chinese_calendar

CAUSES = [
    ("product", "产品", "Product", "company"),
    ("process", "制度与流程", "System or process", "company"),
    ("staff", "员工", "Staff", "company"),
    ("operation", "客户操作", "Customer's operation", "customer"),
    ("installation", "安装", "Installation", "customer"),
]

# (kind, severity) → (first response, resolution) in business hours; VIP tiers get half.
HOURS = {
    "complaint": {"critical": (1, 8), "high": (2, 16), "normal": (4, 24), "low": (8, 48)},
    "request": {"critical": (2, 16), "high": (4, 24), "normal": (8, 40), "low": (16, 80)},
    "suggestion": {"critical": (4, 40), "high": (8, 40), "normal": (16, 80), "low": (24, 120)},
    "inquiry": {"critical": (1, 8), "high": (2, 8), "normal": (4, 16), "low": (8, 24)},
    "praise": {"critical": (8, 40), "high": (8, 40), "normal": (16, 80), "low": (24, 120)},
}
SHORTER_DEADLINE_TIERS = ("super_heavyweight", "heavyweight")


def national_days() -> list[tuple[Any, str, str]]:
    """(date, "holiday" | "workday", name) for every year the package knows. Only the
    make-up days that fall on a weekend are workdays to record."""
    days = [(day, "holiday", name) for day, name in chinese_calendar.constants.holidays.items()]
    days += [
        (day, "workday", name)
        for day, name in chinese_calendar.constants.workdays.items()
        if day.weekday() >= 5
    ]
    return sorted(days)


def seed_holidays(calendar_day: Any) -> int:
    """Add the national days not there yet; edited ones are kept. The number added."""
    known = set(calendar_day.objects.filter(calendar=None).values_list("day", flat=True))
    new = [
        calendar_day(calendar=None, day=day, kind=kind, name=name)
        for day, kind, name in national_days()
        if day not in known
    ]
    calendar_day.objects.bulk_create(new)
    return len(new)


def seed_defaults(cause: Any, policy: Any, calendar: Any) -> None:
    for code, name, name_en, side in CAUSES:
        cause.objects.get_or_create(
            code=code, defaults={"name": name, "name_en": name_en, "side": side}
        )
    for kind, severities in HOURS.items():
        for severity, (first, resolution) in severities.items():
            policy.objects.get_or_create(
                kind=kind,
                severity=severity,
                tier="",
                defaults={"first_response_hours": first, "resolution_hours": resolution},
            )
            for tier in SHORTER_DEADLINE_TIERS:
                policy.objects.get_or_create(
                    kind=kind,
                    severity=severity,
                    tier=tier,
                    defaults={
                        "first_response_hours": first / 2,
                        "resolution_hours": resolution / 2,
                    },
                )
    calendar.objects.get_or_create(
        unit=None,
        defaults={
            "name": "Default · 默认",
            "hours": {str(day): ["09:00", "18:00"] for day in range(5)},
        },
    )


# What each role may grant on its own (yuan); headquarters and admins without limit.
LIMITS = {
    "advisor": 0,
    "agent": 0,
    "case_handler": 200,
    "store_manager": 2000,
    "region_manager": 10000,
    "hq_analyst": None,
    "admin": None,
}


def seed_limits(limit: Any) -> None:
    for role, amount in LIMITS.items():
        limit.objects.get_or_create(role=role, defaults={"max_amount": amount})
