"""gunicorn's settings for manyi: ``gunicorn -c python:manyi.gunicorn_conf manyi.wsgi``.

Every value comes from the environment, like manyi's own settings."""

import os
import shutil
from pathlib import Path

bind = os.environ.get("BIND", "127.0.0.1:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", 2 * (os.cpu_count() or 1) + 1))
threads = int(os.environ.get("WEB_THREADS", "1"))
timeout = int(os.environ.get("WEB_TIMEOUT", "60"))
max_requests = 2000  # a slow leak anywhere costs nothing: each process is renewed
max_requests_jitter = 200
accesslog = os.environ.get("ACCESS_LOG", "-") or None  # empty: no access log
# X-Forwarded-Proto and -For believed only from the reverse proxy (as manyi's own
# TRUSTED_PROXIES); gunicorn takes one list of addresses, separated by commas.
forwarded_allow_ips = os.environ.get("TRUSTED_PROXIES", "127.0.0.1")


def on_starting(server: object) -> None:
    """Each start counts its request metrics afresh in an empty directory."""
    if directory := os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        shutil.rmtree(directory, ignore_errors=True)
        Path(directory).mkdir(parents=True, exist_ok=True)


def child_exit(server: object, worker: object) -> None:
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(worker.pid)  # type: ignore[attr-defined]
