"""The surprise draw: which units are inspected and on which days, from a seed. The same
seed over the same units and days draws the same again, so a draw can be shown to have
been random after the fact."""

from collections.abc import Sequence
from datetime import date

import numpy as np


def draw_surprises(
    *, seed: int, unit_ids: Sequence[int], days: Sequence[date], count: int
) -> list[tuple[int, date]]:
    """``count`` distinct units of ``unit_ids`` (taken in increasing id order, so the
    order they were read in does not matter), each with a day of ``days``, drawn
    uniformly by NumPy's PCG64 generator seeded with ``seed``."""
    units = sorted(set(unit_ids))
    days = sorted(set(days))
    if count < 1 or count > len(units) or not days:
        raise ValueError("count must lie between 1 and the number of units, with days to draw")
    generator = np.random.default_rng(seed)
    chosen = generator.choice(len(units), size=count, replace=False)
    on = generator.integers(0, len(days), size=count)
    return sorted(
        ((units[int(i)], days[int(d)]) for i, d in zip(chosen, on, strict=True)),
        key=lambda pair: (pair[1], pair[0]),
    )
