"""Olga, who runs manyi for the group, points the proxy at /healthz and Prometheus at
/metrics: they tell her whether the web can serve and whether the workers keep up."""

from datetime import timedelta

import pytest
from django.utils import timezone

from manyi.imports import tasks
from manyi.jobs import sweeps as sweeps_module
from manyi.jobs.models import SweepPass
from manyi.jobs.sweeps import SWEEPS, Sweep, run_due_sweeps
from manyi.notify.models import Message, MessageStatus


@pytest.fixture
def every_sweep_ran(db):
    for sweep in SWEEPS.values():
        sweep.last_run = None
    run_due_sweeps(worker="w1")


def test_a_worker_pass_runs_every_sweep_at_once_and_records_it(every_sweep_ran):
    assert set(SweepPass.objects.values_list("name", flat=True)) == set(SWEEPS)


def test_health_is_ok_when_every_sweep_ran_lately(client, every_sweep_ran):
    answer = client.get("/healthz")
    assert answer.status_code == 200
    assert answer.json()["status"] == "ok"
    assert answer.json()["late"] == []


def test_a_sweep_no_worker_ran_for_hours_makes_health_degraded_not_down(client, every_sweep_ran):
    SweepPass.objects.filter(name="sla").update(finished_at=timezone.now() - timedelta(hours=2))
    answer = client.get("/healthz")
    assert answer.status_code == 200  # the web still serves: the proxy keeps it
    assert answer.json()["status"] == "degraded"
    assert answer.json()["late"] == ["sla"]
    assert answer.json()["sweeps"]["sla"]["age_seconds"] > 7000


def test_a_failing_sweep_is_recorded_and_shown(client, every_sweep_ran, monkeypatch):
    def broken() -> None:
        raise RuntimeError("gateway down")

    monkeypatch.setitem(SWEEPS, "outbox", Sweep(name="outbox", every=5, run=broken))
    run_due_sweeps(worker="w1")
    assert SweepPass.objects.get(name="outbox").ok is False
    assert client.get("/healthz").json()["status"] == "degraded"


def test_health_is_down_with_503_when_the_cache_does_not_answer(client, db, settings):
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",  # nothing listens there
        }
    }
    answer = client.get("/healthz")
    assert answer.status_code == 503
    assert answer.json()["cache"] is False


def test_two_web_processes_checking_at_once_both_find_the_cache(db, monkeypatch):
    from django.core.cache import cache

    from manyi.jobs import health

    class AnotherCheckBetween:
        """The cache, where another process checks between this one's write and read."""

        checked = False

        def set(self, *args, **kwargs):
            return cache.set(*args, **kwargs)

        def get(self, *args, **kwargs):
            if not self.checked:
                self.checked = True
                assert health.cache_ok()
            return cache.get(*args, **kwargs)

        def delete(self, *args, **kwargs):
            return cache.delete(*args, **kwargs)

    monkeypatch.setattr(health, "cache", AnotherCheckBetween())
    assert health.cache_ok()


def test_health_counts_waiting_tasks_and_due_messages(client, every_sweep_ran, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    tasks.check_import.enqueue(1)
    Message.objects.create(
        channel="sms",
        recipient="+8613900000001",
        body="Hello",
        status=MessageStatus.QUEUED,
        send_after=timezone.now() - timedelta(minutes=3),
    )
    report = client.get("/healthz").json()
    assert report["tasks"]["waiting"] == 1
    assert report["outbox"]["due"] == 1
    assert report["outbox"]["oldest_seconds"] >= 180


def test_metrics_are_read_from_this_host_by_name_of_view_never_by_path(client, every_sweep_ran):
    client.get("/healthz")
    client.get("/s/not-a-real-token/")
    text = client.get("/metrics", REMOTE_ADDR="127.0.0.1").content.decode()
    assert 'manyi_http_requests_total{method="GET",status="2xx",view="healthz"}' in text
    assert "not-a-real-token" not in text
    assert 'manyi_sweep_lag_seconds{sweep="sla"}' in text
    assert "manyi_outbox_due 0.0" in text


def test_metrics_are_refused_to_other_hosts_without_the_token(client, db, settings):
    assert client.get("/metrics", REMOTE_ADDR="203.0.113.9").status_code == 403
    settings.METRICS_TOKEN = "scrape-secret"
    assert client.get("/metrics", REMOTE_ADDR="127.0.0.1").status_code == 403
    scraped = client.get(
        "/metrics", REMOTE_ADDR="203.0.113.9", headers={"Authorization": "Bearer scrape-secret"}
    )
    assert scraped.status_code == 200


def test_the_first_pass_of_a_worker_runs_its_nightly_sweeps_too(db, monkeypatch):
    ran = []
    monkeypatch.setattr(
        sweeps_module, "SWEEPS", {"nightly": Sweep("nightly", 3600, lambda: ran.append(1))}
    )
    run_due_sweeps(now=5.0)  # a machine up five seconds: monotonic time is small
    run_due_sweeps(now=6.0)
    assert ran == [1]


def test_a_task_queue_that_is_down_degrades_health_but_the_web_still_serves(
    client, every_sweep_ran, settings, monkeypatch
):
    import django_rq.settings

    settings.TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend"}}
    monkeypatch.setitem(django_rq.settings.QUEUES["default"], "URL", "redis://127.0.0.1:1/0")
    answer = client.get("/healthz")
    assert answer.status_code == 200
    assert answer.json()["status"] == "degraded" and answer.json()["tasks"] is None
    assert client.get("/metrics", REMOTE_ADDR="127.0.0.1").status_code == 200


def test_metrics_through_a_proxy_on_this_host_are_refused_without_the_token(client, db):
    through_proxy = client.get(
        "/metrics", REMOTE_ADDR="127.0.0.1", headers={"X-Forwarded-For": "203.0.113.9"}
    )
    assert through_proxy.status_code == 403


def test_a_made_up_method_makes_no_series_of_its_own(client, db):
    client.generic("BREW", "/healthz")
    text = client.get("/metrics", REMOTE_ADDR="127.0.0.1").content.decode()
    assert "BREW" not in text and 'method="other"' in text
