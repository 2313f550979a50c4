"""A batch's new rows sent in a thread of their own while the engine checks the next batch.

On PostgreSQL a COPY keeps the database busy after the last row is sent (the indexes,
the foreign keys): on two cores that time can overlap the checks of the next batch,
which are Python. Both threads use the import's one connection, so its transaction is
the same: any query of the caller's through Django waits for the writer first (an
execute wrapper), and so does the engine before each batch's writes and before the
commit. A raw driver cursor is not seen by the wrapper: the one of ``customers.served``
runs after a Django query. On other databases the work runs at once, in the caller's
thread.
"""

import threading
from collections.abc import Callable
from contextlib import ExitStack
from types import TracebackType
from typing import Any

from django.db import DEFAULT_DB_ALIAS, connections


class BackgroundWriter:
    """Runs database work behind the caller, one piece after another; use as a context
    manager around the work's transaction (inside ``atomic``), so leaving it waits."""

    def __init__(self, alias: str = DEFAULT_DB_ALIAS) -> None:
        self.alias = alias
        self.connection = connections[alias]
        self._thread: threading.Thread | None = None
        self._error: BaseException | None = None
        self._writing = threading.local()  # set in the writer's threads
        self._stack = ExitStack()

    def __enter__(self) -> "BackgroundWriter":
        self.connection.inc_thread_sharing()
        self._stack.callback(self.connection.dec_thread_sharing)
        self._stack.enter_context(self.connection.execute_wrapper(self._wait_first))
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        with self._stack:
            if exc is None:
                self.wait()
            else:  # the caller's error goes on; the writer's, if any, is a consequence
                self._join()

    def start(self, work: Callable[[], None]) -> None:
        """Run ``work`` (database writes on the import's connection, no reads the caller
        waits for) behind the caller, after the work started before."""
        if self.connection.vendor != "postgresql":
            self.wait()
            work()
            return
        self._thread = threading.Thread(
            target=self._run, args=(work, self._thread), name="import-writer", daemon=True
        )
        self._thread.start()

    def wait(self) -> None:
        """Return when the work started last is done; raise its error here, and again
        at every later wait (the transaction is lost: only a rollback helps)."""
        self._join()
        if self._error is not None:
            raise self._error

    def _join(self) -> None:
        if self._thread is not None:
            self._thread.join()
            self._thread = None

    def _run(self, work: Callable[[], None], before: threading.Thread | None) -> None:
        try:
            if before is not None:
                before.join()
            if self._error is not None:
                return
            self._writing.active = True
            # The caller's connection (and transaction) in this thread too.
            connections[self.alias] = self.connection
            with self.connection.wrap_database_errors:  # as Django's own (a COPY is not)
                work()
        except BaseException as error:  # handed to the caller, raised at its next wait
            self._error = error

    def _wait_first(self, execute: Callable[..., Any], *args: Any) -> Any:
        if not getattr(self._writing, "active", False):
            self.wait()
        return execute(*args)
