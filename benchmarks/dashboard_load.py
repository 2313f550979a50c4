"""Dashboard pages under concurrent users: Locust against gunicorn and PostgreSQL.

    .venv/bin/python benchmarks/dashboard_load.py [--users 20 100] [--seconds 60]
        [--workers 5] [--keep]

Loads the demo network into a throw-away PostgreSQL database (kept for the next run
with --keep), starts gunicorn with the production configuration
(`-c python:manyi.gunicorn_conf`) on loopback, and runs Locust headless (loopback only,
bounded in time) with 20 and then 100 users who browse home, CSI, drivers, the case
queue and a case as demo staff, with a bare page (/healthz) in the same run. Each demo
person signs in once before the swarm and the users share those sessions: a sign-in
hashes the password slowly on purpose (about a second of this CPU), once a day a person,
and a hundred at once would be all the machine did. Prints p50/p95/p99 and requests/s
per page and in all, and the errors, counted from when all users have been started.
Target: p95 ≤ 300 ms at 20 users, no errors. ``--live-seconds 0`` draws the live home
cards at every visit (the cards of whole months and the Kano classification stay kept).
Needs the bench extra (`pip install '.[bench]'`), PostgreSQL on 127.0.0.1:5432 and Redis
on 127.0.0.1:6379.
"""

import argparse
import csv
import json
import os
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
DATABASE = "manyi_bench_load"
PORT = 8766
TARGET_USERS = 20
# The demo's sign-ins: HQ, two regions, a store manager, a complaint handler, an advisor.
PEOPLE = ["hq", "region1", "region2", "store1", "handler1", "advisor1"]
PASSWORD = "manyi-demo"  # noqa: S105 - the published demo logins


def environment() -> dict[str, str]:
    return {
        **os.environ,
        "DATABASE_URL": f"postgres://postgres@127.0.0.1:5432/{DATABASE}",
        "CACHE_URL": "redis://127.0.0.1:6379/8",
        "SECRET_KEY": "bench-" + "x" * 50,
        "MANYI_VAR_DIR": str(Path(tempfile.gettempdir()) / "manyi-bench-load"),
        "TWO_FACTOR_ROLES": "",
        "AXES_ENABLED": "false",  # every user signs in from one address
        "ALLOWED_HOSTS": "127.0.0.1",
        "BIND": f"127.0.0.1:{PORT}",
        "ACCESS_LOG": "",
        "LOG_LEVEL": "ERROR",
    }


def prepare(keep: bool) -> None:
    import psycopg

    admin = "postgresql://postgres@127.0.0.1:5432/postgres"
    with psycopg.connect(admin, autocommit=True) as connection:
        exists = connection.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [DATABASE]
        ).fetchone()
        if exists and keep:
            print(f"reusing the demo network in {DATABASE}")
            return
        connection.execute(f"DROP DATABASE IF EXISTS {DATABASE}")
        connection.execute(f"CREATE DATABASE {DATABASE}")
    started = time.monotonic()
    env = environment()
    for command in (["migrate", "-v0"], ["demo"], ["collectstatic", "--noinput", "-v0"]):
        subprocess.run([BIN / "manyi", *command], env=env, check=True, stdout=subprocess.DEVNULL)
    print(f"demo network loaded in {time.monotonic() - started:.0f} s")


def serve(workers: int, live_seconds: int | None) -> subprocess.Popen:
    import redis

    redis.Redis.from_url(environment()["CACHE_URL"]).flushdb()  # every run starts cold
    env = {**environment(), "WEB_CONCURRENCY": str(workers)}
    if live_seconds is not None:
        env["HOME_LIVE_SECONDS"] = str(live_seconds)
    server = subprocess.Popen(
        [BIN / "gunicorn", "-c", "python:manyi.gunicorn_conf", "manyi.wsgi"], env=env
    )
    for _ in range(100):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{PORT}/healthz", timeout=1)
            return server
        except OSError:
            time.sleep(0.2)
    server.kill()
    raise SystemExit("gunicorn did not start")


def sign_in() -> dict[str, str]:
    """Each demo person's session, signed in through the sign-in form."""
    import requests

    sessions = {}
    for person in PEOPLE:
        browser = requests.Session()
        url = f"http://127.0.0.1:{PORT}/login/"
        browser.get(url, timeout=30)
        form = {"username": person, "password": PASSWORD,
                "csrfmiddlewaretoken": browser.cookies.get("csrftoken", "")}  # fmt: skip
        browser.post(url, form, timeout=30).raise_for_status()
        if "sessionid" not in browser.cookies:
            raise SystemExit(f"{person} could not sign in")
        sessions[person] = browser.cookies["sessionid"]
    return sessions


def swarm(users: int, seconds: int, out: Path, sessions: dict[str, str]) -> list[dict[str, str]]:
    prefix = out / f"u{users}"
    subprocess.run(
        [
            BIN / "locust",
            "-f",
            str(ROOT / "benchmarks" / "dashboard_locustfile.py"),
            "--headless",
            "--users",
            str(users),
            "--spawn-rate",
            str(max(users // 5, 1)),
            "--run-time",
            f"{seconds}s",
            "--host",
            f"http://127.0.0.1:{PORT}",
            "--csv",
            str(prefix),
            "--only-summary",
            "--reset-stats",  # the figures of browsing, once every user has started
            "--loglevel",
            "ERROR",
        ],
        check=False,
        stdout=subprocess.DEVNULL,
        env={**os.environ, "MANYI_BENCH_SESSIONS": json.dumps(sessions)},
    )
    with open(f"{prefix}_stats.csv", newline="") as stats:
        return list(csv.DictReader(stats))


def report(users: int, rows: list[dict[str, str]]) -> bool:
    print(f"\n{users} users")
    print(
        f"  {'page':<24}{'requests':>9}{'failed':>8}"
        f"{'p50 ms':>8}{'p95 ms':>8}{'p99 ms':>8}{'req/s':>8}"
    )
    for row in rows:
        print(
            f"  {row['Name']:<24}{row['Request Count']:>9}{row['Failure Count']:>8}"
            f"{row['50%']:>8}{row['95%']:>8}{row['99%']:>8}{float(row['Requests/s']):>8.1f}"
        )
    pages = [r for r in rows if r["Name"] not in ("Aggregated", "bare page (/healthz)")]
    total = next(r for r in rows if r["Name"] == "Aggregated")
    worst = max(int(r["95%"]) for r in pages)
    errors = int(total["Failure Count"])
    bare = next((r for r in rows if r["Name"].startswith("bare")), None)
    if bare:
        print(f"  bare page p95 {bare['95%']} ms; slowest dashboard page p95 {worst} ms")
    ok = worst <= 300 and errors == 0
    if users == TARGET_USERS:
        print(f"  target p95 ≤ 300 ms, no errors: {'met' if ok else 'not met'}")
    else:
        print(f"  (the target is set at {TARGET_USERS} users) errors: {errors}")
    return ok


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, nargs="+", default=[20, 100])
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--workers", type=int, default=5)
    parser.add_argument("--keep", action="store_true", help="reuse the loaded demo database")
    parser.add_argument(
        "--live-seconds", type=int, help="HOME_LIVE_SECONDS for the run (0: live cards drawn)"
    )
    arguments = parser.parse_args()
    prepare(arguments.keep)
    server = serve(arguments.workers, arguments.live_seconds)
    try:
        sessions = sign_in()
        with tempfile.TemporaryDirectory() as out:
            for users in arguments.users:
                report(users, swarm(users, arguments.seconds, Path(out), sessions))
    finally:
        server.terminate()
        server.wait()


if __name__ == "__main__":
    main()
