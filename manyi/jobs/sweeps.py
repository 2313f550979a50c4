"""The registry of periodic sweeps that ``manyi worker`` runs between tasks.

A sweep is a function run at most every ``every`` seconds by each worker; it must be
safe to run in several workers at once (claim rows with a conditional UPDATE).
Later parts of manyi (SLA deadlines, campaign triggers, reminders, the outbox)
register theirs here.
"""

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from django.db import DatabaseError
from django.utils import timezone

logger = logging.getLogger(__name__)


@dataclass
class Sweep:
    name: str
    every: float
    run: Callable[[], object]
    last_run: float | None = None  # monotonic time of this process's last pass


SWEEPS: dict[str, Sweep] = {}


def sweep(name: str, *, every: float) -> Callable[[Callable[[], object]], Callable[[], object]]:
    def register(function: Callable[[], object]) -> Callable[[], object]:
        SWEEPS[name] = Sweep(name=name, every=every, run=function)
        return function

    return register


def run_due_sweeps(now: float | None = None, *, worker: str = "") -> list[str]:
    """Run every sweep whose interval has passed; a failing sweep is logged, not fatal.
    Each pass is recorded (the health check reads how long ago each sweep last ran)."""
    now = time.monotonic() if now is None else now
    ran = []
    # The frequent first: deadlines and the outbox never wait behind a nightly job.
    for item in sorted(SWEEPS.values(), key=lambda sweep: sweep.every):
        if item.last_run is not None and now - item.last_run < item.every:
            continue
        item.last_run = now
        started, clock, ok = timezone.now(), time.perf_counter(), True
        try:
            item.run()
        except Exception:
            ok = False
            logger.exception("sweep %s failed", item.name)
        _record(item.name, started, time.perf_counter() - clock, ok=ok, worker=worker)
        ran.append(item.name)
    return ran


def _record(name: str, started: datetime, seconds: float, *, ok: bool, worker: str) -> None:
    from manyi.jobs.models import SweepPass

    row = SweepPass(
        name=name,
        started_at=started,
        finished_at=timezone.now(),
        seconds=seconds,
        ok=ok,
        worker=worker[:64],
    )
    try:  # one statement, whichever worker writes first
        SweepPass.objects.bulk_create(
            [row],
            update_conflicts=True,
            unique_fields=["name"],
            update_fields=["started_at", "finished_at", "seconds", "ok", "worker"],
        )
    except DatabaseError:
        logger.exception("the pass of sweep %s was not recorded", name)
