"""Dashboard pages under concurrent users: Locust against gunicorn and PostgreSQL.

    .venv/bin/python benchmarks/dashboard_load.py [--users 20 100] [--seconds 60]
        [--workers 5] [--keep]

Loads the demo network into a throw-away PostgreSQL database (kept for the next run
with --keep), starts gunicorn with the production configuration
(`-c python:manyi.gunicorn_conf`) on loopback, and runs Locust headless (loopback only,
bounded in time) with 20 and then 100 users who sign in as demo staff and browse home,
CSI, drivers, the case queue and a case, with a bare page (/healthz) in the same run.
Prints p50/p95/p99 and requests/s per page and in all, and the errors, counted from
when all users have been started (their sign-ins before that are left out).
Target: p95 ≤ 300 ms at 20 users, no errors. Needs the bench extra (`pip install
'.[bench]'`), PostgreSQL on 127.0.0.1:5432 and Redis on 127.0.0.1:6379.
"""

import argparse
import csv
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


def serve(workers: int) -> subprocess.Popen:
    env = {**environment(), "WEB_CONCURRENCY": str(workers)}
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


def swarm(users: int, seconds: int, out: Path) -> list[dict[str, str]]:
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
            # The figures of browsing: counted from when every user has signed in (a
            # sign-in hashes a password on purpose slowly, once a day per person).
            "--reset-stats",
            "--loglevel",
            "ERROR",
        ],
        check=False,
        stdout=subprocess.DEVNULL,
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
    pages = [r for r in rows if r["Name"] not in ("Aggregated", "sign in", "bare page (/healthz)")]
    total = next(r for r in rows if r["Name"] == "Aggregated")
    worst = max(int(r["95%"]) for r in pages)
    errors = int(total["Failure Count"])
    bare = next((r for r in rows if r["Name"].startswith("bare")), None)
    if bare:
        print(f"  bare page p95 {bare['95%']} ms; slowest dashboard page p95 {worst} ms")
    ok = worst <= 300 and errors == 0
    print(f"  target p95 ≤ 300 ms, no errors: {'met' if ok else 'not met'}")
    return ok


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, nargs="+", default=[20, 100])
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--workers", type=int, default=5)
    parser.add_argument("--keep", action="store_true", help="reuse the loaded demo database")
    arguments = parser.parse_args()
    prepare(arguments.keep)
    server = serve(arguments.workers)
    try:
        with tempfile.TemporaryDirectory() as out:
            for users in arguments.users:
                report(users, swarm(users, arguments.seconds, Path(out)))
    finally:
        server.terminate()
        server.wait()


if __name__ == "__main__":
    main()
