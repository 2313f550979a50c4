"""Importance–performance analysis and the shortfall list (服务短板).

Items are placed by derived importance (for overall satisfaction) and performance
(the unit's mean score); the cross-hairs are the mean importance of the items and
the network's performance on each item (J. A. Martilla and J. C. James,
"Importance-performance analysis", *Journal of Marketing* 41 (1977) 77–79):

* concentrate here — important, below the network;
* keep up the good work — important, at or above the network;
* low priority — less important, below the network;
* possible overkill — less important, above the network.

The shortfall list ranks the items where the unit is below the network by
``importance × (network − unit)``: what to fix first. Items with fewer answers than
the minimum n are listed apart, never ranked.
"""

from collections.abc import Mapping
from dataclasses import dataclass

CONCENTRATE = "concentrate_here"
KEEP_UP = "keep_up"
LOW_PRIORITY = "low_priority"
OVERKILL = "possible_overkill"


@dataclass(frozen=True)
class ItemPosition:
    item: str
    importance: float
    performance: float
    network: float
    quadrant: str
    n: int


@dataclass(frozen=True)
class Shortfall:
    item: str
    importance: float
    gap: float  # network − unit, in score points
    priority: float  # importance × gap
    n: int


def ipa(
    importance: Mapping[str, float],
    performance: Mapping[str, float],
    network: Mapping[str, float],
    counts: Mapping[str, int],
) -> list[ItemPosition]:
    """Each item's quadrant; importance is split at its mean over the items."""
    items = [item for item in importance if item in performance and item in network]
    if not items:
        raise ValueError("no item has importance, performance and a network figure")
    split = sum(importance[item] for item in items) / len(items)
    positions = []
    for item in items:
        important = importance[item] >= split
        below = performance[item] < network[item]
        quadrant = (
            (CONCENTRATE if below else KEEP_UP)
            if important
            else (LOW_PRIORITY if below else OVERKILL)
        )
        positions.append(
            ItemPosition(
                item,
                importance[item],
                performance[item],
                network[item],
                quadrant,
                counts.get(item, 0),
            )
        )
    return positions


def shortfalls(positions: list[ItemPosition], *, min_n: int) -> tuple[list[Shortfall], list[str]]:
    """Items below the network, most urgent first; and the items too thin to rank."""
    ranked, thin = [], []
    for position in positions:
        if position.n < min_n:
            thin.append(position.item)
            continue
        gap = position.network - position.performance
        if gap > 0:
            ranked.append(
                Shortfall(
                    position.item, position.importance, gap, position.importance * gap, position.n
                )
            )
    ranked.sort(key=lambda shortfall: shortfall.priority, reverse=True)
    return ranked, thin
