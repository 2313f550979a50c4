"""``manyi rebuild_rollups``: recount every response into the analytics cells."""

import time
from typing import Any

from django.core.management.base import BaseCommand

from manyi.analytics.services import rollups_rebuild


class Command(BaseCommand):
    help = (
        "Throw away the analytics rollups and fold every response into them again. "
        "Stop the workers first."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.perf_counter()
        folded = rollups_rebuild()
        self.stdout.write(f"{folded} responses folded in {time.perf_counter() - started:.1f} s")
