"""Is manyi well: the database and cache answer, the task queue and the outbox are not
backing up, and each sweep has run lately. Read by ``/healthz`` and ``/metrics``."""

import time
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.core.cache import cache
from django.db import DatabaseError, connection
from django.utils import timezone
from django.utils.crypto import get_random_string

from manyi.jobs.models import SweepPass
from manyi.jobs.rq import rq_in_use
from manyi.jobs.sweeps import SWEEPS
from manyi.notify.models import Message, MessageStatus


@dataclass(frozen=True)
class SweepHealth:
    name: str
    every: float
    age: float | None  # seconds since its last pass ended; None: never ran
    seconds: float | None  # how long that pass took
    ok: bool | None  # whether it succeeded

    @property
    def late(self) -> bool:
        """Not run for three of its intervals and a minute: no worker runs it."""
        return self.age is None or self.age > 3 * self.every + 60


@dataclass(frozen=True)
class Backlog:
    count: int
    oldest: float | None  # seconds the oldest has waited


def database_ok() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError:
        return False
    return True


def cache_ok() -> bool:
    # A key of its own: with one shared key, another process checking at the same
    # moment overwrote the value between this one's write and read (a false 503).
    value = get_random_string(12)
    key = f"healthz:{value}"
    try:
        cache.set(key, value, timeout=5)
        found = cache.get(key) == value
        cache.delete(key)  # a file cache deletes an expired file only when it is read
        return found
    except Exception:  # any backend's connection error
        return False


def sweeps_health(now: datetime | None = None) -> list[SweepHealth]:
    now = now or timezone.now()
    passes = {row.name: row for row in SweepPass.objects.filter(name__in=list(SWEEPS))}
    health = []
    for name, sweep in sorted(SWEEPS.items()):
        row = passes.get(name)
        health.append(
            SweepHealth(
                name=name,
                every=sweep.every,
                age=(now - row.finished_at).total_seconds() if row else None,
                seconds=row.seconds if row else None,
                ok=row.ok if row else None,
            )
        )
    return health


def _age(moment: datetime | None, now: datetime) -> float | None:
    return None if moment is None else max((now - moment).total_seconds(), 0.0)


def task_backlog(now: datetime | None = None) -> Backlog:
    """Tasks ready to run and not started, and how long the oldest has waited."""
    now = now or timezone.now()
    if rq_in_use():
        import django_rq

        count, oldest = 0, None
        for name in settings.RQ_QUEUES:
            queue = django_rq.get_queue(name)
            count += queue.count
            first = queue.get_jobs(0, 1)
            if first and first[0].enqueued_at:
                waited = time.time() - first[0].enqueued_at.timestamp()
                oldest = max(oldest or 0.0, waited)
        return Backlog(count=count, oldest=oldest)
    from django_tasks_db.models import DBTaskResult

    ready = DBTaskResult.objects.ready()
    first = ready.order_by("enqueued_at").values_list("enqueued_at", flat=True).first()
    return Backlog(count=ready.count(), oldest=_age(first, now))


def outbox_backlog(now: datetime | None = None) -> Backlog:
    """Messages due to be sent and not sent yet."""
    now = now or timezone.now()
    due = Message.objects.filter(status=MessageStatus.QUEUED, send_after__lte=now)
    first = due.order_by("send_after").values_list("send_after", flat=True).first()
    return Backlog(count=due.count(), oldest=_age(first, now))


def health_report() -> tuple[bool, dict]:
    """(whether this process can serve, the details). Workers that stopped, or a queue
    backing up, make the status "degraded" without failing the web's own check."""
    report: dict = {"database": database_ok(), "cache": cache_ok()}
    serving = report["database"] and report["cache"]
    if not report["database"]:
        return False, {"status": "down", **report}
    sweeps = sweeps_health()
    try:
        tasks: Backlog | None = task_backlog()
    except Exception:  # the task queue's own store (Redis) is down: the web still serves
        tasks = None
    outbox = outbox_backlog()
    report |= {
        "tasks": {"waiting": tasks.count, "oldest_seconds": tasks.oldest} if tasks else None,
        "outbox": {"due": outbox.count, "oldest_seconds": outbox.oldest},
        "sweeps": {
            item.name: {"age_seconds": item.age, "seconds": item.seconds, "ok": item.ok}
            for item in sweeps
        },
        "late": [item.name for item in sweeps if item.late],
    }
    degraded = report["late"] or tasks is None or any(item.ok is False for item in sweeps)
    status = "down" if not serving else "degraded" if degraded else "ok"
    return serving, {"status": status, **report}
