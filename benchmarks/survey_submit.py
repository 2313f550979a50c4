"""Survey submits per second through gunicorn and PostgreSQL, against a bare endpoint.

    .venv/bin/python benchmarks/survey_submit.py [--submits 3000] [--concurrency 16]
        [--workers 5]

Sets up a throw-away PostgreSQL database with a published CSI questionnaire (17
items), a programme with its hot-alert rules and one invitation per submit; starts
gunicorn (sync workers, Redis cache for the rate limits, as in production) and posts
one completed form per invitation from a local load generator (threads with
keep-alive connections). Each submit is checked, stored, scored and alert-checked in
one transaction. Then posts the same bodies to a bare Django endpoint in the same
project (same middleware, one row inserted). Prints submits/s and p95 for both and
their ratio. Target: ≥ 200 submits/s on 2 cores, ratio ≥ 0.5.
"""

import argparse
import http.client
import os
import queue
import secrets
import subprocess
import sys
import threading
import time
import urllib.parse
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
DATABASE = "manyi_bench_submit"
PORT = 8765
ANSWERS = {
    "SI1": 9, "SI2": 8, "SA1": 10, "SA2": 9, "SF1": 8, "SF2": 9, "SF3": 7, "VP1": 9,
    "VP2": 8, "VP3": 9, "SQ1": 9, "SQ2": 10, "SQ3": 10, "OVERALL": 9, "NPS": 10,
    "CONTACT_ME": "no",
}  # fmt: skip


def environment() -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        DATABASE_URL=f"postgres://postgres@127.0.0.1:5432/{DATABASE}",
        DJANGO_SETTINGS_MODULE="benchmarks.bench_settings",
        CACHE_URL=os.environ.get("CACHE_URL", "redis://127.0.0.1:6379/9"),
        SECRET_KEY="bench-" + "x" * 50,
        # One address sends every post here; the per-address guard would stop it.
        SURVEY_POSTS_PER_IP="100000000",
        PYTHONPATH=str(ROOT),
    )
    return env


def create_database() -> None:
    import psycopg

    with psycopg.connect("postgresql://postgres@127.0.0.1:5432/postgres", autocommit=True) as c:
        c.execute(f"DROP DATABASE IF EXISTS {DATABASE}")
        c.execute(f"CREATE DATABASE {DATABASE}")


def drop_database() -> None:
    import psycopg

    with psycopg.connect("postgresql://postgres@127.0.0.1:5432/postgres", autocommit=True) as c:
        c.execute(f"DROP DATABASE IF EXISTS {DATABASE} WITH (FORCE)")


def seed(count: int) -> tuple[list[str], int]:
    """A store network, a CSI programme and ``count`` invitations; returns their tokens."""
    import django

    django.setup()
    from datetime import timedelta

    from django.utils import timezone

    from manyi.customers.models import Customer
    from manyi.org.services import unit_create
    from manyi.surveys.models import Invitation, InvitationStatus
    from manyi.surveys.services import (
        programme_create,
        questionnaire_create,
        questionnaire_publish,
        wave_for,
    )
    from manyi.surveys.services.invitations import new_token

    hq = unit_create(actor=None, code="HQ", name="HQ", level="hq", kind="headquarters")
    region = unit_create(
        actor=None, code="R1", name="Region", level="region", kind="region_office", parent=hq
    )
    stores = [
        unit_create(
            actor=None, code=f"S{i}", name=f"Store {i}", level="store", kind="dealer", parent=region
        )
        for i in range(10)
    ]
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


def body(version_id: int, csrf: str) -> bytes:
    fields = {f"a-{code}": value for code, value in ANSWERS.items()}
    fields.update(version=version_id, csrfmiddlewaretoken=csrf)
    return urllib.parse.urlencode(fields).encode()


def load(
    paths: list[str], payload: bytes, csrf: str, concurrency: int
) -> tuple[float, list[float], dict[int, int]]:
    """POST ``payload`` to every path from ``concurrency`` keep-alive connections."""
    work: queue.Queue[str] = queue.Queue()
    for path in paths:
        work.put(path)
    latencies: list[float] = []
    statuses: dict[int, int] = {}
    lock = threading.Lock()
    headers = {
        "Content-Type": "application/x-www-form-urlencoded",
        "Cookie": f"csrftoken={csrf}",
        "Referer": f"http://127.0.0.1:{PORT}/",
    }

    def worker() -> None:
        connection = http.client.HTTPConnection("127.0.0.1", PORT, timeout=60)
        while True:
            try:
                path = work.get_nowait()
            except queue.Empty:
                break
            started = time.perf_counter()
            connection.request("POST", path, body=payload, headers=headers)
            response = connection.getresponse()
            response.read()
            took = time.perf_counter() - started
            with lock:
                latencies.append(took)
                statuses[response.status] = statuses.get(response.status, 0) + 1
        connection.close()

    threads = [threading.Thread(target=worker) for _ in range(concurrency)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return time.perf_counter() - started, latencies, statuses


def p95(latencies: list[float]) -> float:
    ordered = sorted(latencies)
    return ordered[int(0.95 * (len(ordered) - 1))] * 1000


def wait_for_server() -> None:
    for _ in range(100):
        try:
            connection = http.client.HTTPConnection("127.0.0.1", PORT, timeout=1)
            connection.request("GET", "/login/")
            connection.getresponse().read()
            return
        except OSError:
            time.sleep(0.1)
    raise SystemExit("gunicorn did not start")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--submits", type=int, default=3000)
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--workers", type=int, default=5)
    args = parser.parse_args()

    env = environment()
    os.environ.update(env)
    create_database()
    subprocess.run(
        [sys.executable, "-m", "manyi.cli", "migrate", "-v0"], check=True, env=env, cwd=ROOT
    )
    tokens, version_id = seed(args.submits)
    from django.db import connection

    connection.close()
    server = subprocess.Popen(
        [
            str(Path(sys.executable).with_name("gunicorn")),
            "manyi.wsgi",
            f"--bind=127.0.0.1:{PORT}",
            f"--workers={args.workers}",
            "--log-level=warning",
        ],
        env=env,
        cwd=ROOT,
    )
    try:
        wait_for_server()
        csrf = secrets.token_hex(16)  # 32 characters: an unmasked CSRF secret
        payload = body(version_id, csrf)
        print(
            f"{args.submits} completed CSI forms, {args.concurrency} concurrent clients, "
            f"{args.workers} gunicorn workers, PostgreSQL"
        )
        took, latencies, statuses = load(
            [f"/s/{t}/" for t in tokens], payload, csrf, args.concurrency
        )
        rate = len(latencies) / took
        print(
            f"manyi submit:  {rate:7.1f} submits/s  p95 {p95(latencies):6.1f} ms  "
            f"statuses {statuses}"
        )
        bare_took, bare_latencies, bare_statuses = load(
            ["/bench/bare/"] * args.submits, payload, csrf, args.concurrency
        )
        bare_rate = len(bare_latencies) / bare_took
        print(
            f"bare endpoint: {bare_rate:7.1f} posts/s    p95 {p95(bare_latencies):6.1f} ms  "
            f"statuses {bare_statuses}"
        )
        print(f"ratio (manyi / bare): {rate / bare_rate:.2f}   target ≥ 200 submits/s, ≥ 0.5")

        from manyi.surveys.models import Response

        stored = Response.objects.count()
        print(f"responses stored: {stored} of {args.submits} (each invitation once)")
        connection.close()
    finally:
        server.terminate()
        server.wait()
        drop_database()


if __name__ == "__main__":
    main()
