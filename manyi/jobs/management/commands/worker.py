"""``manyi worker``: run queued tasks (imports, exports…) and the periodic sweeps."""

import signal
import time
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import close_old_connections
from django.utils.crypto import get_random_string
from django_tasks import task_backends

from manyi.jobs.sweeps import run_due_sweeps


class Command(BaseCommand):
    help = "Run background tasks and periodic sweeps until stopped."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--once",
            action="store_true",
            help="Run what is due now, then exit (for cron and tests).",
        )
        parser.add_argument("--interval", type=float, default=settings.WORKER_INTERVAL)

    def handle(self, *args: Any, once: bool, interval: float, **options: Any) -> None:
        self.running = True
        signal.signal(signal.SIGTERM, self._stop)
        signal.signal(signal.SIGINT, self._stop)
        worker_id = get_random_string(24)
        self.stdout.write(f"manyi worker {worker_id} started")
        while self.running:
            close_old_connections()
            run_due_sweeps(worker=worker_id)
            self._run_tasks(worker_id)
            if once:
                break
            time.sleep(interval)

    def _stop(self, signum: int, frame: Any) -> None:
        self.running = False

    def _run_tasks(self, worker_id: str) -> None:
        """Drain the database task queue, when that is the backend in use."""
        from django_tasks_db.backend import DatabaseBackend
        from django_tasks_db.management.commands.db_worker import Worker

        backend = task_backends["default"]
        if not isinstance(backend, DatabaseBackend):
            return  # RQ or Celery workers run the tasks; this process runs the sweeps
        Worker(
            queue_names=["*"],
            interval=0,
            batch=True,
            backend_name="default",
            startup_delay=False,
            max_tasks=None,
            worker_id=worker_id,
            excluded_queue_names=[],
        ).run()
