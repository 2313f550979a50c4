"""Soak: the web and the workers under steady submits and sweeps, memory and queues flat.

    .venv/bin/python benchmarks/soak.py [--minutes 10] [--rate 40] [--every 30]

Sets up a throw-away PostgreSQL database (a network of ten stores, a CSI programme with
its hot-alert rules, a case handler per store, one invitation per submit to come) and
starts the Procfile's three processes as production runs them: gunicorn with the
production configuration, a sweep worker (`manyi worker`) and a task worker (`manyi
rqworker default`, RQ on Redis). Posts completed forms at a steady rate — one in ten a
poor score, which raises an alert, which the sweeps turn into a case with deadlines and
notices in the outbox — and every ``--every`` seconds samples each process group's
memory (RSS), the outbox (messages waiting), the task queue, the responses not yet
folded into the rollups and the alerts not yet cases, with the window's p95.

Prints the samples, then each figure's slope per minute over the run after the first
third (warm-up) and its last value against its value then: memory is flat when it grows
less than 10 %, a queue when it ends no longer than it was. Not a test: run it by hand
on a quiet machine. Needs PostgreSQL on 127.0.0.1:5432 and Redis on 127.0.0.1:6379.
"""

import argparse
import http.client
import os
import secrets
import shlex
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
DATABASE = "manyi_bench_soak"
PORT = 8767
REDIS = "redis://127.0.0.1:6379/7"
GOOD = {
    "SI1": 9, "SI2": 8, "SA1": 10, "SA2": 9, "SF1": 8, "SF2": 9, "SF3": 7, "VP1": 9,
    "VP2": 8, "VP3": 9, "SQ1": 9, "SQ2": 10, "SQ3": 10, "OVERALL": 9, "NPS": 10,
    "CONTACT_ME": "no",
}  # fmt: skip
POOR = {**GOOD, "SQ1": 3, "SQ2": 4, "OVERALL": 3, "NPS": 4}


def environment(var: Path) -> dict[str, str]:
    return {
        **os.environ,
        "DATABASE_URL": f"postgres://postgres@127.0.0.1:5432/{DATABASE}",
        "CACHE_URL": REDIS,
        "TASK_BACKEND": "django_tasks_rq.RQBackend",
        "RQ_URL": REDIS,
        "SECRET_KEY": "bench-" + "x" * 50,
        "MANYI_VAR_DIR": str(var),
        "TWO_FACTOR_ROLES": "",
        "ALLOWED_HOSTS": "127.0.0.1",
        "BIND": f"127.0.0.1:{PORT}",
        "WEB_CONCURRENCY": "3",
        "ACCESS_LOG": "",
        "LOG_LEVEL": "ERROR",
        "SURVEY_POSTS_PER_IP": "100000000",  # one address sends every post
        "PYTHONPATH": str(ROOT),
    }


def recreate_database() -> None:
    import psycopg

    with psycopg.connect("postgresql://postgres@127.0.0.1:5432/postgres", autocommit=True) as c:
        c.execute(f"DROP DATABASE IF EXISTS {DATABASE} WITH (FORCE)")
        c.execute(f"CREATE DATABASE {DATABASE}")


def seed(count: int) -> tuple[list[str], int]:
    """Ten stores with a case handler each, a CSI programme, ``count`` invitations."""
    import django

    django.setup()
    from datetime import timedelta

    from django.utils import timezone

    from manyi.cases.models import BusinessCalendar, Cause, SlaPolicy
    from manyi.cases.seeds import seed_defaults
    from manyi.customers.models import Customer
    from manyi.org.services import staff_create, unit_create
    from manyi.surveys.models import Invitation, InvitationStatus
    from manyi.surveys.services import (
        programme_create,
        questionnaire_create,
        questionnaire_publish,
        wave_for,
    )
    from manyi.surveys.services.invitations import new_token

    seed_defaults(Cause, SlaPolicy, BusinessCalendar)
    hq = unit_create(actor=None, code="HQ", name="HQ", level="hq", kind="headquarters")
    region = unit_create(
        actor=None, code="R1", name="Region", level="region", kind="region_office", parent=hq
    )
    stores = []
    for i in range(10):
        store = unit_create(
            actor=None, code=f"S{i}", name=f"Store {i}", level="store", kind="dealer", parent=region
        )
        staff_create(
            actor=None, username=f"handler{i}", full_name=f"Handler {i}", unit=store,
            role="case_handler", email=f"handler{i}@example.com", password=secrets.token_hex(8),
        )  # fmt: skip
        stores.append(store)
    questionnaire = questionnaire_create(
        actor=None, code="csi", name="CSI", template="csi_5_factor"
    )
    version = questionnaire_publish(actor=None, questionnaire=questionnaire)
    programme = programme_create(actor=None, code="csi", name="CSI", version=version, units=[hq])
    customers = Customer.objects.bulk_create(
        Customer(external_id=f"C{i}", name=f"Customer {i}", unit=stores[i % 10])
        for i in range(count)
    )
    now = timezone.now()
    wave = wave_for(programme, timezone.localdate(now))
    invitations = Invitation.objects.bulk_create(
        Invitation(
            programme=programme,
            wave=wave,
            version=version,
            customer=customer,
            unit_id=customer.unit_id,
            token=new_token(),
            channel="sms",
            status=InvitationStatus.SENT,
            sent_at=now,
            expires_at=now + timedelta(days=14),
        )
        for customer in customers
    )
    return [invitation.token for invitation in invitations], version.pk


def start(command: str, env: dict[str, str], log: Path) -> subprocess.Popen:
    program, *arguments = shlex.split(command)
    return subprocess.Popen(
        [str(Path(sys.executable).with_name(program)), *arguments],
        env=env,
        cwd=ROOT,
        stdout=log.open("w"),
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )


def rss_mib(pid: int) -> float:
    """The resident memory of a process and everything it forked, in MiB."""
    total, todo = 0, [pid]
    while todo:
        current = todo.pop()
        try:
            status = Path(f"/proc/{current}/status").read_text()
            total += int(next(line for line in status.splitlines() if line.startswith("VmRSS"))
                         .split()[1])  # fmt: skip
            children = Path(f"/proc/{current}/task/{current}/children").read_text().split()
        except (FileNotFoundError, ProcessLookupError, StopIteration):
            continue
        todo.extend(int(child) for child in children)
    return total / 1024


class Load:
    """Posts forms at a steady rate from a few keep-alive connections."""

    def __init__(self, tokens: list[str], version_id: int, rate: float) -> None:
        self.tokens, self.rate = iter(tokens), rate
        self.csrf = secrets.token_hex(16)
        self.bodies = [self._body(POOR if i % 10 == 0 else GOOD, version_id) for i in range(10)]
        self.latencies: list[float] = []
        self.statuses: dict[int, int] = {}
        self.lock = threading.Lock()
        self.stop = threading.Event()
        self.sent = 0

    def _body(self, answers: dict[str, object], version_id: int) -> bytes:
        fields = {f"a-{code}": value for code, value in answers.items()}
        fields.update(version=version_id, csrfmiddlewaretoken=self.csrf)
        return urllib.parse.urlencode(fields).encode()

    def run(self, connections: int = 4) -> None:
        threads = [threading.Thread(target=self._worker, args=(i, connections))
                   for i in range(connections)]  # fmt: skip
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()

    def _worker(self, index: int, connections: int) -> None:
        connection = http.client.HTTPConnection("127.0.0.1", PORT, timeout=60)
        headers = {
            "Content-Type": "application/x-www-form-urlencoded",
            "Cookie": f"csrftoken={self.csrf}",
            "Referer": f"http://127.0.0.1:{PORT}/",
        }
        interval = connections / self.rate
        due = time.perf_counter() + index * interval / connections
        while not self.stop.is_set():
            time.sleep(max(0.0, due - time.perf_counter()))
            due += interval
            with self.lock:
                token = next(self.tokens, None)
                number = self.sent
                self.sent += 1
            if token is None:
                return
            started = time.perf_counter()
            try:
                connection.request(
                    "POST", f"/s/{token}/", body=self.bodies[number % 10], headers=headers
                )
                response = connection.getresponse()
                response.read()
                status = response.status
            except OSError:
                connection.close()
                connection = http.client.HTTPConnection("127.0.0.1", PORT, timeout=60)
                status = 0
            with self.lock:
                self.latencies.append(time.perf_counter() - started)
                self.statuses[status] = self.statuses.get(status, 0) + 1

    def window(self) -> tuple[int, float]:
        with self.lock:
            taken, self.latencies = self.latencies, []
        ordered = sorted(taken)
        return len(ordered), (ordered[int(0.95 * (len(ordered) - 1))] * 1000 if ordered else 0.0)


def queues() -> dict[str, int]:
    import redis
    from django.db import connection

    from manyi.notify.models import Message, MessageStatus
    from manyi.surveys.models import Alert, AlertStatus, Response

    waiting = {
        "outbox": Message.objects.filter(
            status__in=(MessageStatus.QUEUED, MessageStatus.SENDING)
        ).count(),
        "unfolded": Response.objects.filter(rolled_up=False).count(),
        "alerts": Alert.objects.filter(status=AlertStatus.OPEN).count(),  # not yet cases
        "queued": redis.Redis.from_url(REDIS).llen("rq:queue:default"),
    }
    connection.close()
    return waiting


def slope(points: list[tuple[float, float]]) -> float:
    """Least-squares slope of (minute, value)."""
    n = len(points)
    if n < 2:
        return 0.0
    mean_x = sum(x for x, _ in points) / n
    mean_y = sum(y for _, y in points) / n
    spread = sum((x - mean_x) ** 2 for x, _ in points)
    return sum((x - mean_x) * (y - mean_y) for x, y in points) / spread if spread else 0.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--minutes", type=float, default=10)
    parser.add_argument("--rate", type=float, default=40, help="submits a second")
    parser.add_argument("--every", type=float, default=30, help="seconds between samples")
    args = parser.parse_args()

    var = Path(tempfile.mkdtemp(prefix="manyi-soak-"))
    env = environment(var)
    os.environ.update(env)
    os.environ["DJANGO_SETTINGS_MODULE"] = "manyi.settings"
    import redis

    redis.Redis.from_url(REDIS).flushdb()
    recreate_database()
    for command in (["migrate"], ["collectstatic", "--noinput"]):
        subprocess.run([sys.executable, "-m", "manyi.cli", *command, "-v0"], check=True, env=env)
    count = int(args.rate * args.minutes * 60 * 1.1) + 100
    tokens, version_id = seed(count)
    from django.db import connection

    connection.close()
    processes = {
        "web": start("gunicorn -c python:manyi.gunicorn_conf manyi.wsgi", env, var / "web.log"),
        "sweeps": start("manyi worker", env, var / "sweeps.log"),
        "tasks": start("manyi rqworker default", env, var / "tasks.log"),
    }
    load = Load(tokens, version_id, args.rate)
    samples: list[dict[str, float]] = []
    try:
        time.sleep(5)
        print(
            f"soak: {args.rate:g} submits/s (one in ten poor) for {args.minutes:g} min; "
            f"gunicorn ×3, one sweep worker, one RQ worker; PostgreSQL, Redis; logs in {var}"
        )
        print(f"{'min':>5} {'posts':>6} {'p95 ms':>7} {'web MiB':>8} {'sweeps':>7} "
              f"{'tasks':>6} {'outbox':>7} {'queue':>6} {'unfolded':>9} {'alerts':>7}")  # fmt: skip
        runner = threading.Thread(target=load.run)
        began = time.monotonic()
        runner.start()
        while time.monotonic() - began < args.minutes * 60:
            time.sleep(args.every)
            posts, p95 = load.window()
            sample = {
                "minute": (time.monotonic() - began) / 60,
                "posts": posts,
                "p95": p95,
                **{name: rss_mib(process.pid) for name, process in processes.items()},
                **queues(),
            }
            samples.append(sample)
            print(f"{sample['minute']:5.1f} {posts:6d} {p95:7.0f} {sample['web']:8.0f} "
                  f"{sample['sweeps']:7.0f} {sample['tasks']:6.0f} {sample['outbox']:7d} "
                  f"{sample['queued']:6d} "
                  f"{sample['unfolded']:9d} {sample['alerts']:7d}", flush=True)  # fmt: skip
        load.stop.set()
        runner.join()
    finally:
        for process in processes.values():
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
        for process in processes.values():
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
    settled = samples[len(samples) // 3 :]
    if len(settled) < 2:
        print("too short a run to judge: run for more minutes")
        return
    print(f"\nstatuses {load.statuses}; after the first third (warm-up):")
    half = len(settled) // 2
    for name, kind in (("web", "memory"), ("sweeps", "memory"), ("tasks", "memory"),
                       ("outbox", "queue"), ("queued", "queue"), ("unfolded", "queue"),
                       ("alerts", "queue")):  # fmt: skip
        first, last = settled[0][name], settled[-1][name]
        per_minute = slope([(sample["minute"], sample[name]) for sample in settled])
        if kind == "memory":
            verdict = "flat" if last <= first * 1.10 else "GROWING"
            print(
                f"  {name:8} {first:7.0f} → {last:7.0f} MiB, {per_minute:+6.1f} MiB/min: {verdict}"
            )
        else:
            # A sweep drains its queue every few seconds: judge the means of the halves,
            # allowing five seconds' worth of submits.
            before = sum(sample[name] for sample in settled[:half]) / half
            after = sum(sample[name] for sample in settled[half:]) / (len(settled) - half)
            verdict = "no growth" if after <= before * 1.1 + 5 * args.rate else "GROWING"
            print(
                f"  {name:8} mean {before:7.0f} → {after:7.0f}, {per_minute:+6.1f}/min: {verdict}"
            )


if __name__ == "__main__":
    main()
