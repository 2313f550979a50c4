"""Running manyi's tasks on RQ (Redis) with several workers on several hosts.

RQ by itself forgets a job whose worker died: it stays in the started registry until
its heartbeat lapses, and is then filed as failed. Here every job is enqueued with
retries, and ``abandoned_jobs_retry`` (a sweep of ``manyi worker``) files lapsed jobs
at once, so RQ puts each back on its queue; the tasks themselves are idempotent (an
import commits with its job's status in one transaction), so a retry repeats no effect.
"""

from datetime import timedelta
from typing import Any

import django_rq
from django.conf import settings
from django.utils import timezone
from django_rq.queues import DjangoRQ
from django_tasks_rq.backend import Job as TaskJob
from rq import Retry
from rq import Worker as RQWorker
from rq.intermediate_queue import IntermediateQueue
from rq.job import Job, JobStatus
from rq.queue import Queue
from rq.registry import StartedJobRegistry


class RetryingQueue(DjangoRQ):
    """A queue whose jobs are tried again when their worker dies or they fail."""

    def create_job(self, *args: Any, retry: Retry | None = None, **kwargs: Any) -> Job:
        retry = retry or Retry(max=settings.RQ_RETRIES)
        return super().create_job(*args, retry=retry, **kwargs)


class Worker(RQWorker):
    """RQ's forking worker whose jobs count as abandoned ``RQ_HEARTBEAT_GRACE`` seconds
    after their last heartbeat (RQ's own grace is a fixed minute)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("job_monitoring_interval", settings.RQ_JOB_MONITORING_INTERVAL)
        super().__init__(*args, **kwargs)

    def get_heartbeat_ttl(self, job: Job, working_time: float = 0.0) -> int:
        longest = super().get_heartbeat_ttl(job, working_time)
        return min(longest, int(self.job_monitoring_interval) + settings.RQ_HEARTBEAT_GRACE)


def rq_in_use() -> bool:
    return settings.TASKS["default"]["BACKEND"] == "django_tasks_rq.RQBackend"


def abandoned_jobs_retry() -> int:
    """Give the jobs of dead workers back to their queue (or, out of retries, to the
    failed registry); safe in any number of processes at once. Returns how many lapsed.

    A job is abandoned when its heartbeat lapsed while it ran, or when it was taken
    off its queue by a worker that died before starting it (it then sits in RQ's
    intermediate list, which RQ itself looks at only after a minute)."""
    lapsed = 0
    for name in settings.RQ_QUEUES:
        queue = django_rq.get_queue(name, job_class=TaskJob)
        # One worker at a time per queue: two cleanups at once would each put the same
        # lapsed job back.
        lock = queue.connection.lock(f"manyi:abandoned:{name}", timeout=60, blocking=False)
        if not lock.acquire():
            continue
        try:
            registry = StartedJobRegistry(queue=queue, job_class=TaskJob)
            lapsed += len(registry.get_expired_job_ids())
            registry.cleanup()
            lapsed += _retry_taken_not_started(queue)
        finally:
            lock.release()
    return lapsed


def _retry_taken_not_started(queue: Queue) -> int:
    taken = IntermediateQueue(queue.key, connection=queue.connection)
    grace = timedelta(seconds=settings.RQ_JOB_MONITORING_INTERVAL + settings.RQ_HEARTBEAT_GRACE)
    retried = 0
    for job_id in taken.get_job_ids():
        if job_id in queue.started_job_registry or taken.set_first_seen(job_id):
            continue
        first_seen = taken.get_first_seen(job_id)
        if first_seen is None or timezone.now() - first_seen < grace:
            continue
        if not queue.connection.lrem(taken.key, 1, job_id):
            continue  # another worker's sweep took it first
        job = queue.fetch_job(job_id)
        if job is None:
            continue
        with queue.connection.pipeline() as pipeline:
            if job.retries_left:
                job.retry(queue, pipeline)
            else:
                job.set_status(JobStatus.FAILED, pipeline=pipeline)
                job.failed_job_registry.add(job, exc_string="worker died", pipeline=pipeline)
            pipeline.execute()
        retried += 1
    return retried
