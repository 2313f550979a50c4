"""Prometheus metrics: requests counted by each web process as they pass, and the
state of the queues and sweeps read from the database when Prometheus scrapes.

Under gunicorn with several processes, set ``PROMETHEUS_MULTIPROC_DIR`` to an empty
directory (see docs/production.md): each process then writes its counts there and a
scrape adds them up."""

import os
import time
from collections.abc import Callable, Iterator

from django.http import HttpRequest, HttpResponse
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
    multiprocess,
)
from prometheus_client.core import GaugeMetricFamily, Metric
from prometheus_client.registry import REGISTRY, Collector

from manyi.jobs.health import Backlog, outbox_backlog, sweeps_health, task_backlog

METHODS = {"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"}
REQUESTS = Counter(
    "manyi_http_requests",
    "HTTP requests answered, by view and status class.",
    ["view", "method", "status"],
)
LATENCY = Histogram(
    "manyi_http_request_seconds",
    "Time to answer an HTTP request, by view.",
    ["view"],
    buckets=(0.025, 0.05, 0.1, 0.2, 0.3, 0.5, 1.0, 2.5, 5.0, 10.0),
)


class RequestMetricsMiddleware:
    """Counts each request under its URL pattern's name (never its path: ids and
    tokens in paths would make a series per customer)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        start = time.perf_counter()
        response = self.get_response(request)
        match = getattr(request, "resolver_match", None)
        view = (match.view_name if match else "") or "unmatched"
        LATENCY.labels(view).observe(time.perf_counter() - start)
        method = request.method if request.method in METHODS else "other"
        REQUESTS.labels(view, method, f"{response.status_code // 100}xx").inc()
        return response


class WorkCollector(Collector):
    """Outbox, task queue and sweeps, read at each scrape from the shared database."""

    def collect(self) -> Iterator[Metric]:
        outbox = outbox_backlog()
        try:
            tasks = task_backlog()
        except Exception:  # the queue's store is down: its figures are left out
            tasks = Backlog(count=0, oldest=None)
        yield GaugeMetricFamily("manyi_outbox_due", "Messages due and not sent.", outbox.count)
        yield GaugeMetricFamily(
            "manyi_outbox_oldest_seconds",
            "How long the oldest due message has waited.",
            outbox.oldest or 0.0,
        )
        yield GaugeMetricFamily("manyi_tasks_waiting", "Tasks ready and not started.", tasks.count)
        yield GaugeMetricFamily(
            "manyi_task_wait_seconds",
            "How long the oldest waiting task has waited (the task queue's latency).",
            tasks.oldest or 0.0,
        )
        lag = GaugeMetricFamily(
            "manyi_sweep_lag_seconds",
            "Seconds since the sweep's last pass ended.",
            labels=["sweep"],
        )
        took = GaugeMetricFamily(
            "manyi_sweep_duration_seconds", "How long the last pass took.", labels=["sweep"]
        )
        ok = GaugeMetricFamily("manyi_sweep_ok", "1 if the last pass succeeded.", labels=["sweep"])
        for sweep in sweeps_health():
            if sweep.age is None:
                continue
            lag.add_metric([sweep.name], sweep.age)
            took.add_metric([sweep.name], sweep.seconds or 0.0)
            ok.add_metric([sweep.name], 1.0 if sweep.ok else 0.0)
        yield from (lag, took, ok)


def metrics_text() -> bytes:
    """The exposition text: this process's (or all processes') request metrics, then
    the shared state of the work."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
    else:
        registry = REGISTRY
    work = CollectorRegistry()
    work.register(WorkCollector())
    return generate_latest(registry) + generate_latest(work)


CONTENT_TYPE = CONTENT_TYPE_LATEST
