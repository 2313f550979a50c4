"""Batches read and parsed in a thread of their own while the engine looks up, writes
and checks the ones before: parsing is Python, the rest mostly waits on the database,
so on two cores the two overlap (about an eighth of an import's time, measured on
100,000 events before the writing had a thread of its own too)."""

import logging
import threading
from collections.abc import Callable, Iterator
from queue import Full, Queue
from typing import TypeVar

from django.utils import translation

log = logging.getLogger(__name__)

T = TypeVar("T")
_END = object()
# How long a reader that stops early waits for the thread (a read of slow storage).
JOIN_SECONDS = 5.0


def read_ahead(produce: Callable[[], Iterator[T]], *, depth: int = 2) -> Iterator[T]:
    """The items of ``produce()``, made up to ``depth`` ahead in another thread (in the
    caller's language, for the messages of what it refuses). An exception there is
    raised here, at the item it stopped at. Close the iterator when leaving early (a
    ``with contextlib.closing(...)``): that stops the thread."""
    made: Queue = Queue(maxsize=depth)
    stop = threading.Event()
    language = translation.get_language()

    def put(item: object) -> bool:
        while not stop.is_set():
            try:
                made.put(item, timeout=0.1)
                return True
            except Full:
                continue
        return False

    def run() -> None:
        with translation.override(language):
            try:
                for item in produce():
                    if not put(item):
                        return
                put(_END)
            except BaseException as error:  # handed to the reader, raised there
                put(error)

    thread = threading.Thread(target=run, name="import-read-ahead", daemon=True)
    thread.start()
    try:
        # The thread always ends with _END or its exception unless told to stop.
        while (item := made.get()) is not _END:
            if isinstance(item, BaseException):
                raise item
            yield item
    finally:
        stop.set()
        thread.join(timeout=JOIN_SECONDS)
        if thread.is_alive():
            log.warning("the import's reading thread is still in a read; left to end")
