"""Import 1,000,000 service-event rows from CSV; compare with plain csv + bulk_create.

    .venv/bin/python benchmarks/import_events.py [--rows 1000000] [--database sqlite|postgres]

Prints rows/s and peak RSS of manyi's import (every row checked, all or nothing), of a
baseline in the same process (csv.DictReader + bulk_create, codes looked up in dicts,
no validation), the ratio of the two, and then proves that the same file with one bad
row at its end stores nothing. Target: ≤ 60 s, flat memory, ratio ≥ 0.5.
"""

import argparse
import csv
import os
import random
import sys
import tempfile
import threading
import time
from datetime import datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def rss_mib() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


class RssSampler:
    """Peak resident memory while a block runs, sampled every 100 ms."""

    def __enter__(self) -> "RssSampler":
        self.start = self.peak = rss_mib()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()
        return self

    def _run(self) -> None:
        while not self._stop.wait(0.1):
            self.peak = max(self.peak, rss_mib())

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()


def setup_database(kind: str, workdir: Path) -> None:
    os.environ["MANYI_VAR_DIR"] = str(workdir)
    if kind == "postgres":
        import psycopg

        with psycopg.connect(
            "postgresql://postgres@127.0.0.1:5432/postgres", autocommit=True
        ) as conn:
            conn.execute("DROP DATABASE IF EXISTS manyi_bench")
            conn.execute("CREATE DATABASE manyi_bench")
        os.environ["DATABASE_URL"] = "postgres://postgres@127.0.0.1:5432/manyi_bench"
    else:
        os.environ["DATABASE_URL"] = f"sqlite:///{workdir / 'bench.sqlite3'}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "manyi.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def write_csv(
    path: Path, rows: int, stores: list[str], customers: list[str], bad_last_row: bool = False
) -> None:
    rng = random.Random(1)
    start = datetime(2025, 1, 1, 8, 0)
    kinds = ["maintenance", "repair", "warranty", "installation"]
    with path.open("w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out)
        writer.writerow(
            [
                "external_id",
                "kind",
                "unit_code",
                "customer_external_id",
                "opened_at",
                "closed_at",
                "amount",
            ]
        )
        for n in range(rows):
            opened = start + timedelta(minutes=rng.randrange(600_000))
            writer.writerow(
                [
                    f"RO{n:08d}",
                    kinds[n % 4],
                    stores[n % len(stores)],
                    customers[rng.randrange(len(customers))],
                    opened.strftime("%Y-%m-%d %H:%M"),
                    (opened + timedelta(hours=3)).strftime("%Y-%m-%d %H:%M"),
                    f"{rng.randrange(100, 5000)}.00",
                ]
            )
        if bad_last_row:
            writer.writerow(["RO-BAD", "repair", stores[0], customers[0], "31/31/2026", "", "1"])


def baseline(path: Path) -> int:
    """Plain csv + bulk_create in one transaction: ids from dicts, no checks."""
    from django.db import transaction
    from django.utils import timezone

    from manyi.customers.models import Customer, ServiceEvent
    from manyi.org.models import Unit

    units = dict(Unit.objects.values_list("code", "pk"))
    customers = dict(Customer.objects.values_list("external_id", "pk"))
    tz = timezone.get_current_timezone()
    count = 0
    with transaction.atomic(), path.open(encoding="utf-8") as source:
        batch = []
        for row in csv.DictReader(source):
            batch.append(
                ServiceEvent(
                    external_id="B" + row["external_id"],
                    kind=row["kind"],
                    unit_id=units[row["unit_code"]],
                    customer_id=customers[row["customer_external_id"]],
                    opened_at=datetime.fromisoformat(row["opened_at"]).replace(tzinfo=tz),
                    closed_at=datetime.fromisoformat(row["closed_at"]).replace(tzinfo=tz),
                    amount=row["amount"],
                )
            )
            if len(batch) == 2000:
                ServiceEvent.objects.bulk_create(batch)
                count += len(batch)
                batch = []
        ServiceEvent.objects.bulk_create(batch)
        count += len(batch)
    return count


def manyi_import(path: Path):  # type: ignore[no-untyped-def]
    from manyi.imports.models import ImportJob
    from manyi.imports.services import import_job_commit

    job = ImportJob.objects.create(
        kind="events", source="cli", original_name=path.name, size=path.stat().st_size
    )
    with path.open("rb") as binary:
        return import_job_commit(job=job, binary=binary)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--stores", type=int, default=500)
    parser.add_argument("--customers", type=int, default=100_000)
    parser.add_argument("--database", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--skip-bad-row", action="store_true")
    args = parser.parse_args()

    workdir = Path(tempfile.mkdtemp(prefix="manyi-bench-"))
    setup_database(args.database, workdir)
    from manyi.customers.models import Customer, ServiceEvent
    from manyi.demo.network import DemoSize, build

    print(
        f"database: {args.database}; building {args.stores} stores and "
        f"{args.customers:,} customers…",
        flush=True,
    )
    build(DemoSize(stores=args.stores, customers=args.customers, events=0), log=lambda _m: None)
    stores = [f"S{n + 1:04d}" for n in range(args.stores)]
    customers = list(Customer.objects.values_list("external_id", flat=True))
    path = workdir / "events.csv"
    write_csv(path, args.rows, stores, customers)
    size_mb = path.stat().st_size / 1e6
    print(f"file: {args.rows:,} rows, {size_mb:.0f} MB", flush=True)

    with RssSampler() as base_mem:
        started = time.perf_counter()
        stored = baseline(path)
        base_time = time.perf_counter() - started
    print(
        f"baseline (csv + bulk_create): {base_time:6.1f} s  {stored / base_time:9,.0f} rows/s"
        f"  peak RSS {base_mem.peak:5.0f} MiB (+{base_mem.peak - base_mem.start:.0f})",
        flush=True,
    )

    with RssSampler() as mem:
        started = time.perf_counter()
        job = manyi_import(path)
        took = time.perf_counter() - started
    assert job.error_count == 0, job.errors[:5]
    print(
        f"manyi import:                 {took:6.1f} s  {job.rows / took:9,.0f} rows/s"
        f"  peak RSS {mem.peak:5.0f} MiB (+{mem.peak - mem.start:.0f})  "
        f"created {job.created_count:,}",
        flush=True,
    )
    print(
        f"ratio (baseline time / manyi time): {base_time / took:.2f}  (target ≥ 0.5; "
        f"≤ 60 s: {'yes' if took <= 60 else 'no'})",
        flush=True,
    )

    if not args.skip_bad_row:
        before = ServiceEvent.objects.count()
        bad = workdir / "events-bad.csv"
        write_csv(bad, args.rows, stores, customers, bad_last_row=True)
        started = time.perf_counter()
        job = manyi_import(bad)
        took = time.perf_counter() - started
        first = job.errors[0]
        print(
            f"one bad row at the end of {bad.stat().st_size / 1e6:.0f} MB: {took:.1f} s, "
            f"{job.error_count} error (row {first['row']}, column {first['column']}: "
            f"{first['message']}); stored rows unchanged: "
            f"{ServiceEvent.objects.count() == before}",
            flush=True,
        )


if __name__ == "__main__":
    main()
