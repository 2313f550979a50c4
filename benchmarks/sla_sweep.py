"""The deadline sweep over a million open cases, 1 % of them due.

    .venv/bin/python benchmarks/sla_sweep.py [--cases 1000000] [--stores 500]
        [--database sqlite|postgres]

Generates a network (HQ, 10 regions, ``--stores`` stores, each with a store manager
who gets escalations by e-mail) and ``--cases`` open complaints whose next checks lie
in the coming days. Then makes 0.1 % of them due (half at their 80 % warning, half
past their deadline) and times the sweep until nothing is due; then 1 % of others,
timed the same way. Prints both, cases per second, and the ratio, which should be
about 10 (the cost tracks due cases, not open ones). Target: ≤ 1 s for the 1 % pass.
"""

import argparse
import random
import sys
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from import_events import setup_database  # noqa: E402

BATCH = 10_000


def build(cases: int, stores: int) -> list[int]:
    from django.utils import timezone

    from manyi.cases.models import BusinessCalendar, Case
    from manyi.org.models import Role
    from manyi.org.services import staff_create, unit_create

    hq = unit_create(actor=None, code="HQ", name="HQ", level="hq", kind="headquarters")
    regions = [
        unit_create(
            actor=None, code=f"R{r}", name=f"Region {r}", level="region", kind="region_office",
            parent=hq,
        )
        for r in range(10)
    ]  # fmt: skip
    units = [
        unit_create(
            actor=None, code=f"S{s:04d}", name=f"Store {s}", level="store", kind="dealer",
            parent=regions[s % 10],
        )
        for s in range(stores)
    ]  # fmt: skip
    for unit in units:
        manager = staff_create(
            actor=None, username=f"m{unit.code}", full_name=f"Manager {unit.code}", unit=unit,
            role=Role.STORE_MANAGER,
        )  # fmt: skip
        manager.email = f"{unit.code.lower()}@example.com"
        manager.save(update_fields=["email"])
    # Stores answer round the clock, so the generator can set deadlines in plain hours.
    BusinessCalendar.objects.filter(unit=None).update(always_open=True)
    rng = random.Random(7)
    now = timezone.now()
    batch, ids = [], []
    for n in range(cases):
        opened = now - timedelta(minutes=rng.randrange(60, 180))
        batch.append(
            Case(
                number=f"B{n:08d}",
                kind="complaint",
                severity="normal",
                channel="phone",
                unit=units[n % stores],
                subject="Benchmark complaint",
                opened_at=opened,
                clock_started_at=opened,
                first_response_due=opened + timedelta(hours=4),
                resolution_due=opened + timedelta(hours=24),
            )
        )
        if len(batch) == BATCH:
            watch(Case.objects.bulk_create(batch), now, rng)
            batch = []
    watch(Case.objects.bulk_create(batch), now, rng)
    ids = list(Case.objects.order_by("pk").values_list("pk", flat=True))
    rng.shuffle(ids)
    return ids


def watch(cases: list, now: datetime, rng: random.Random) -> None:
    """Each case's next check somewhere in the coming three days."""
    from manyi.cases.models import DeadlineWatch

    DeadlineWatch.objects.bulk_create(
        DeadlineWatch(
            case=case,
            next_check_at=now + timedelta(minutes=rng.randrange(60, 3 * 24 * 60)),
            next_check_deadline="first_response",
        )
        for case in cases
    )


def make_due(ids: list[int]) -> None:
    """Half the cases at their 80 % warning, half past their first-response deadline."""
    from django.utils import timezone

    from manyi.cases.models import Case, DeadlineWatch

    now = timezone.now()
    half = len(ids) // 2
    for part, (opened_ago, check_ago) in (
        (ids[:half], (timedelta(hours=3, minutes=30), timedelta(minutes=18))),
        (ids[half:], (timedelta(hours=5), timedelta(hours=1))),
    ):
        for start in range(0, len(part), BATCH):
            chunk = part[start : start + BATCH]
            opened = now - opened_ago
            Case.objects.filter(pk__in=chunk).update(
                opened_at=opened,
                clock_started_at=opened,
                first_response_due=opened + timedelta(hours=4),
                resolution_due=opened + timedelta(hours=24),
            )
            DeadlineWatch.objects.filter(case_id__in=chunk).update(next_check_at=now - check_ago)


def timed_pass() -> tuple[float, int]:
    from manyi.cases.sweep import BATCH as SWEEP_BATCH
    from manyi.cases.sweep import sla_sweep

    started = time.perf_counter()
    acted = total = sla_sweep()
    while acted == SWEEP_BATCH:
        acted = sla_sweep()
        total += acted
    return time.perf_counter() - started, total


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=1_000_000)
    parser.add_argument("--stores", type=int, default=500)
    parser.add_argument("--database", choices=["sqlite", "postgres"], default="sqlite")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as workdir:
        setup_database(args.database, Path(workdir))
        started = time.perf_counter()
        ids = build(args.cases, args.stores)
        print(
            f"{args.cases:,} open cases, {args.stores} stores, {args.database}: "
            f"generated in {time.perf_counter() - started:.0f} s"
        )
        if args.database == "postgres":
            from django.db import connection

            with connection.cursor() as cursor:
                cursor.execute("VACUUM ANALYZE cases_case")
                cursor.execute("VACUUM ANALYZE cases_deadlinewatch")
        small, large = args.cases // 1000, args.cases // 100
        make_due(ids[:small])
        small_time, small_done = timed_pass()
        make_due(ids[small : small + large])
        large_time, large_done = timed_pass()
        from manyi.cases.models import DeadlineAction
        from manyi.notify.models import Message

        print(f"0.1 % due: {small_done:,} cases in {small_time:.3f} s "
              f"({small_done / small_time:,.0f}/s)")  # fmt: skip
        print(f"1 % due:   {large_done:,} cases in {large_time:.3f} s "
              f"({large_done / large_time:,.0f}/s)")  # fmt: skip
        print(f"ratio (1 % / 0.1 %): {large_time / small_time:.1f}   target ≤ 1 s for the 1 % pass")
        print(
            f"actions {DeadlineAction.objects.count():,}, "
            f"messages {Message.objects.count():,}, each case acted on once"
        )
        if args.database == "postgres":
            from django.db import connection

            connection.close()


if __name__ == "__main__":
    main()
