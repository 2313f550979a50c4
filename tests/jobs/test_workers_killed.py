"""Production on real engines: two task workers (RQ on Redis) and two sweep workers
(``manyi worker``) on PostgreSQL, all as separate processes started as the production
guide starts them. While they import a large file, render a PDF, escalate overdue
cases, schedule callbacks and fold responses into rollups, one task worker is killed
in the middle of the import and one sweep worker in the middle of its pass. Every
effect is then found exactly once: the import stored once, the PDF rendered once, each
case escalated once with one notice, each visit given one callback, each response
counted once.

Runs on PostgreSQL with Redis answering (the second pass of ``make test``)."""

import csv
import json
import os
import shlex
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections import Counter
from datetime import timedelta
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.utils import timezone
from rq import Worker
from rq.job import Job, JobStatus

from manyi.analytics.models import ReportExport, Rollup
from manyi.analytics.pdf import report_export_request
from manyi.analytics.query import report_query
from manyi.audit.models import AuditEntry
from manyi.care.models import Callback
from manyi.cases.models import BusinessCalendar, Case, Cause, SlaPolicy
from manyi.cases.seeds import seed_defaults
from manyi.cases.services import case_open
from manyi.cases.timeline import timeline
from manyi.customers.models import ServiceEvent
from manyi.customers.services import customer_create, event_create
from manyi.imports import tasks as import_tasks
from manyi.imports.models import ImportJob, ImportStatus
from manyi.imports.services import import_job_create
from manyi.jobs.models import SweepPass
from manyi.notify.models import Message
from manyi.surveys.models import Invitation, Response
from manyi.surveys.services import invitation_create, response_submit
from tests.care.test_callbacks import rule  # noqa: F401 - the three-day callback rule
from tests.surveys.fixtures import GOOD_ANSWERS, csi_version, programme  # noqa: F401

REDIS_URL = os.environ.get("TEST_RQ_URL", "redis://127.0.0.1:6379/14")
IMPORTED = 60_000
CASES = VISITS = RESPONSES = 30
ROOT = Path(__file__).resolve().parents[2]
# The production guide's processes, as docs/deploy/Procfile names them.
PROCFILE = dict(
    line.split(": ", 1) for line in (ROOT / "docs/deploy/Procfile").read_text().splitlines()
)


def _redis():
    import redis

    client = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1)
    try:
        client.ping()
    except redis.RedisError:
        return None
    return client


pytestmark = pytest.mark.django_db(transaction=True)


def _children(pid: int) -> list[int]:
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:  # the field after the state is the parent's pid
            found.append(int(stat.parent.name))
    return found


class Workers:
    """The four processes, each in its own process group so a kill takes its children."""

    def __init__(self, env: dict[str, str], logs: Path) -> None:
        self.env, self.logs, self.processes = env, logs, {}
        self.waiting_for: list[str] = []

    def start(self, name: str, kind: str, *extra: str, **env: str) -> None:
        program, *arguments = shlex.split(PROCFILE[kind])
        log = (self.logs / f"{name}.log").open("w")
        self.processes[name] = subprocess.Popen(
            [str(Path(sys.executable).with_name(program)), *arguments, *extra],
            env={**self.env, **env},
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def kill(self, name: str) -> None:
        """As if its host died: the process and every process it forked (RQ's work horse
        leaves the group, so it is found by its parent)."""
        pid = self.processes[name].pid
        for child in _children(pid):
            os.kill(child, signal.SIGKILL)
        os.killpg(pid, signal.SIGKILL)
        self.processes[name].wait()

    def stop_all(self) -> None:
        for process in self.processes.values():
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
        for process in self.processes.values():
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)

    def alive(self) -> list[str]:
        return [name for name, process in self.processes.items() if process.poll() is None]


@pytest.fixture
def queue(settings, monkeypatch):
    import django_rq.settings

    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: SQLite is the one-host embedded mode")
    redis = _redis()
    if redis is None:
        pytest.skip("needs Redis")
    redis.flushdb()
    settings.TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend"}}
    monkeypatch.setitem(django_rq.settings.QUEUES["default"], "URL", REDIS_URL)
    return redis


@pytest.fixture
def workers(queue, settings, tmp_path):
    db = connection.settings_dict
    env = {
        **os.environ,
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
        "SECRET_KEY": settings.SECRET_KEY,
        "MANYI_VAR_DIR": str(tmp_path / "var"),
        "MEDIA_ROOT": str(settings.MEDIA_ROOT),
        "LANGUAGE_CODE": "en",
        "TASK_BACKEND": "django_tasks_rq.RQBackend",
        "RQ_URL": REDIS_URL,
        "RQ_JOB_MONITORING_INTERVAL": "1",
        "RQ_HEARTBEAT_GRACE": "2",
        "WORKER_INTERVAL": "0.2",
    }
    started = Workers(env, tmp_path)
    yield started
    started.stop_all()


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _get(port: int, path: str) -> str:
    deadline = time.monotonic() + 30
    while True:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=10) as answer:
                return answer.read().decode()
        except (urllib.error.URLError, ConnectionError):
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)


def _events_file(path: Path, rows: int) -> bytes:
    with path.open("w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out)
        writer.writerow(["external_id", "kind", "unit_code", "customer_external_id", "opened_at"])
        for n in range(rows):
            writer.writerow([f"RO{n:07d}", "maintenance", "S-A", "C-IMPORT", "2025-03-01 09:00"])
    return path.read_bytes()


def _wait(condition, *, seconds: float, workers: Workers) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, (
            f"timed out; alive: {workers.alive()}; waiting for {workers.waiting_for}"
        )
        time.sleep(0.05)


def _world(network, programme, owner, managers, admin, tmp_path) -> dict:  # noqa: F811
    """Given: overdue complaints, fresh visits, answered surveys, a large file and a PDF."""
    # The deadlines' seeds, which an earlier test's flush of the tables may have taken.
    seed_defaults(Cause, SlaPolicy, BusinessCalendar)
    BusinessCalendar.objects.create(unit=network.store_a, name="24×7", always_open=True)
    for person, address in zip(managers, ("amy@example.com", "nick@example.com"), strict=True):
        person.email = address
        person.save()
    customer = customer_create(
        actor=None, external_id="C-IMPORT", unit=network.store_a, name="Li Ming"
    )
    for n in range(CASES):
        case_open(
            actor=None,
            kind="complaint",
            unit=network.store_a,
            subject=f"Scratched door {n}",
            channel="phone",
            owner=owner,
            opened_at=timezone.now() - timedelta(hours=5),
        )
    visits = [
        event_create(
            actor=None,
            external_id=f"V{n}",
            kind="repair",
            unit=network.store_a,
            customer=customer,
            opened_at=timezone.now() - timedelta(days=2, hours=3),
            closed_at=timezone.now() - timedelta(days=2),
        )
        for n in range(VISITS)
    ]
    for n in range(RESPONSES):
        answering = customer_create(
            actor=None, external_id=f"C-{n}", unit=network.store_a, name=f"Owner {n}"
        )
        installed = event_create(  # a kind no care rule or programme follows
            actor=None,
            external_id=f"I{n}",
            kind="installation",
            unit=network.store_a,
            customer=answering,
            opened_at=timezone.now() - timedelta(days=1, hours=2),
            closed_at=timezone.now() - timedelta(days=1),
        )
        invitation = invitation_create(
            programme=programme, customer=answering, event=installed, channel="link", address=""
        )
        opened = timezone.now() - timedelta(minutes=5)  # a customer who took their time
        Invitation.objects.filter(pk=invitation.pk).update(opened_at=opened)
        response_submit(token=invitation.token, answers=GOOD_ANSWERS)
    upload = SimpleUploadedFile("events.csv", _events_file(tmp_path / "events.csv", IMPORTED))
    job = import_job_create(actor=admin, kind="events", upload=upload)
    ImportJob.objects.filter(pk=job.pk).update(status=ImportStatus.CHECKED)
    query = report_query(admin, programme=programme.pk, unit=network.north.pk, period=3)
    return {"job": job, "visits": visits, "query": query}


def test_two_workers_of_each_kind_one_killed_mid_pass_do_every_effect_once(
    workers,
    queue,
    network,
    programme,  # noqa: F811
    rule,  # noqa: F811
    admin,
    advisor_a,
    store_a_manager,
    north_manager,
    tmp_path,
):
    world = _world(network, programme, advisor_a, (store_a_manager, north_manager), admin, tmp_path)
    job = world["job"]
    ImportJob.objects.filter(pk=job.pk).update(status=ImportStatus.COMMITTING)
    result = import_tasks.commit_import.enqueue(job.pk)
    export = report_export_request(actor=admin, query=world["query"], language="en")

    # When: two task workers and two sweep workers start, as the production guide runs them.
    for name in ("tasks-1", "tasks-2"):
        workers.start(name, "tasks", "--name", name)
    for name in ("sweeps-1", "sweeps-2"):
        workers.start(name, "sweeps")
    port = _free_port()
    metrics_dir = tmp_path / "metrics"
    workers.start(
        "web",
        "web",
        BIND=f"127.0.0.1:{port}",
        WEB_CONCURRENCY="2",
        PROMETHEUS_MULTIPROC_DIR=str(metrics_dir),
        ALLOWED_HOSTS="127.0.0.1",
    )

    # The task worker that took the import dies in the middle of it…
    def importing() -> bool:
        return Job.fetch(result.id, connection=queue).get_status() == JobStatus.STARTED

    _wait(importing, seconds=60, workers=workers)
    time.sleep(1)  # well into the file's 60,000 rows
    [holder] = [w.name for w in Worker.all(connection=queue) if w.get_current_job_id() == result.id]
    assert holder in ("tasks-1", "tasks-2")
    workers.kill(holder)
    # Nothing of the import is left: its transaction died with it.
    assert ImportJob.objects.get(pk=job.pk).status == ImportStatus.COMMITTING
    assert not ServiceEvent.objects.filter(external_id__startswith="RO").exists()
    # …and a sweep worker in the middle of its first pass.
    _wait(lambda: SweepPass.objects.exists(), seconds=30, workers=workers)
    workers.kill("sweeps-1")

    # Then: the survivors finish everything.
    def finished() -> bool:
        state = {
            "import": ImportJob.objects.get(pk=job.pk).status == ImportStatus.DONE,
            "pdf": ReportExport.objects.get(pk=export.pk).status == ReportExport.Status.DONE,
            "rollups": not Response.objects.filter(rolled_up=False).exists(),
            "callbacks": Callback.objects.count() >= VISITS,
            "notices": Message.objects.filter(recipient="amy@example.com").count() >= CASES,
        }
        workers.waiting_for = [name for name, done in state.items() if not done]
        return not workers.waiting_for

    _wait(finished, seconds=180, workers=workers)
    time.sleep(2)  # a late duplicate, if there were one, would land now
    # The survivor ran the import again: the killed worker did not finish it.
    survivor = "tasks-2" if holder == "tasks-1" else "tasks-1"
    assert f"commit_import({job.pk}) job" in (tmp_path / f"{survivor}.log").read_text()
    assert "Successfully" not in (tmp_path / f"{holder}.log").read_text().split(result.id)[-1]

    # The import: every row once, committed once.
    imported = ServiceEvent.objects.filter(external_id__startswith="RO")
    assert imported.count() == IMPORTED
    commits = AuditEntry.objects.filter(action="import_commit", object_id=str(job.pk))
    assert commits.count() == 1
    # The PDF: rendered once.
    renders = AuditEntry.objects.filter(action="report_export.render", object_id=str(export.pk))
    assert renders.count() == 1
    # The cases: each escalated once, its store manager told once.
    for case in Case.objects.all():
        assert [line.kind for line in timeline(case)].count("escalation") == 1
    notices = Counter(Message.objects.filter(recipient="amy@example.com").values_list("subject"))
    assert len(notices) == CASES and set(notices.values()) == {1}
    # The visits: one callback each; at most one survey invitation each.
    callbacks = Counter(Callback.objects.values_list("event_id", flat=True))
    assert set(callbacks) == {visit.pk for visit in world["visits"]}
    assert set(callbacks.values()) == {1}
    invited = Counter(Invitation.objects.exclude(event=None).values_list("event_id", flat=True))
    assert set(invited.values()) <= {1}
    # The web behind gunicorn sees the workers well and the queues empty.
    report = json.loads(_get(port, "/healthz"))
    assert report["status"] == "ok", report
    assert report["tasks"]["waiting"] == 0 and report["late"] == []
    _get(port, "/healthz")  # answered by either process, counted by both
    metrics = _get(port, "/metrics")
    assert 'manyi_http_requests_total{method="GET",status="2xx",view="healthz"} 2.0' in metrics
    # The responses: each counted once in the rollups.
    cells = Rollup.objects.filter(unit=network.store_a, staff=None)
    counted = sum(cell.responses for cell in cells)
    assert counted == RESPONSES
