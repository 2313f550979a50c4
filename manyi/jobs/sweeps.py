"""The registry of periodic sweeps that ``manyi worker`` runs between tasks.

A sweep is a function run at most every ``every`` seconds by each worker; it must be
safe to run in several workers at once (claim rows with a conditional UPDATE).
Later parts of manyi (SLA deadlines, campaign triggers, reminders, the outbox)
register theirs here.
"""

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field

logger = logging.getLogger(__name__)


@dataclass
class Sweep:
    name: str
    every: float
    run: Callable[[], object]
    last_run: float = field(default=0.0)


SWEEPS: dict[str, Sweep] = {}


def sweep(name: str, *, every: float) -> Callable[[Callable[[], object]], Callable[[], object]]:
    def register(function: Callable[[], object]) -> Callable[[], object]:
        SWEEPS[name] = Sweep(name=name, every=every, run=function)
        return function

    return register


def run_due_sweeps(now: float | None = None) -> list[str]:
    """Run every sweep whose interval has passed; a failing sweep is logged, not fatal."""
    now = time.monotonic() if now is None else now
    ran = []
    for item in SWEEPS.values():
        if now - item.last_run < item.every:
            continue
        item.last_run = now
        try:
            item.run()
        except Exception:
            logger.exception("sweep %s failed", item.name)
        ran.append(item.name)
    return ran
