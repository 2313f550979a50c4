"""Running manyi's tasks on RQ (Redis) with several workers on several hosts.

RQ by itself forgets a job whose worker died: it stays in the started registry until
its heartbeat lapses, and is then filed as failed. Here every job is enqueued with
retries, and ``abandoned_jobs_retry`` (a sweep of ``manyi worker``) files lapsed jobs
at once, so RQ puts each back on its queue; the tasks themselves are idempotent (an
import commits with its job's status in one transaction), so a retry repeats no effect.
"""

from typing import Any

import django_rq
from django.conf import settings
from django_rq.queues import DjangoRQ
from rq import Retry
from rq import Worker as RQWorker
from rq.job import Job
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
    failed registry); safe in any number of processes at once. Returns how many lapsed."""
    lapsed = 0
    for name in settings.RQ_QUEUES:
        registry = StartedJobRegistry(queue=django_rq.get_queue(name, job_class=Job))
        lapsed += len(registry.get_expired_job_ids())
        registry.cleanup()
    return lapsed
