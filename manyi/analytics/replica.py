"""Reports read from a PostgreSQL read replica when one is configured.

With ``DATABASE_REPLICA_URL`` set, the reads of the analytics pages and API (GET and
HEAD only: a page that has just written reads its own write from the primary) go to
the replica; everything else, every write and every migration stays on the primary.
Without it, reports read the primary as before."""

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse

REPLICA = "replica"
_reports: ContextVar[bool] = ContextVar("reading_reports", default=False)


def replica_configured() -> bool:
    return REPLICA in settings.DATABASES


@contextmanager
def reading_reports() -> Iterator[None]:
    """Reads inside go to the replica, if there is one."""
    token = _reports.set(True)
    try:
        yield
    finally:
        _reports.reset(token)


# The data reports are made of. Sign-in, sessions, staff and units stay on the primary:
# a session written a moment ago must be found, whatever the replica's lag.
# What the reports read. A user's own requests (PDF exports, comments) stay on the
# primary: the page after "Export" must find the export just asked for.
REPLICA_APPS = {"analytics", "surveys", "customers", "cases", "care", "improve", "people"}
PRIMARY_MODELS = {"analytics.reportexport", "analytics.comment"}


class ReplicaRouter:
    def db_for_read(self, model: Any, **hints: Any) -> str | None:
        meta = model._meta
        if (
            _reports.get()
            and meta.app_label in REPLICA_APPS
            and meta.label_lower not in PRIMARY_MODELS
            and replica_configured()
        ):
            return REPLICA
        return None

    def db_for_write(self, model: Any, **hints: Any) -> str:
        return "default"

    def allow_relation(self, first: Any, second: Any, **hints: Any) -> bool:
        return True  # the replica holds the primary's rows: one database to relate in

    def allow_migrate(self, db: str, app_label: str, **hints: Any) -> bool:
        return db == "default"


REPORT_PATHS = ("/analytics/", "/api/v1/analytics/")


class ReportsFromReplicaMiddleware:
    """Runs the report pages' reads against the replica."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        reading = request.method in ("GET", "HEAD") and request.path.startswith(REPORT_PATHS)
        if not (reading and replica_configured()):
            return self.get_response(request)
        with reading_reports():
            return self.get_response(request)
