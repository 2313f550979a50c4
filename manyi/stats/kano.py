"""Kano / basic–performance–motivation classes by penalty–reward analysis.

Each item is coded with two dummies — low (answer in the bottom of the scale) and
high (answer in the top) — and overall satisfaction is regressed on all dummies by
OLS. An item's penalty is the (negative) coefficient of its low dummy, its reward
the coefficient of its high dummy (E. R. Brandt, "How to make customer satisfaction
research more useful", *Marketing Research* (1987); K. Matzler et al., "The
asymmetric relationship between attribute-level performance and overall customer
satisfaction", *Industrial Marketing Management* 33 (2004) 271–277). The impact
asymmetry ``IA = (reward − |penalty|) / (reward + |penalty|)`` (J. Mikulić and
D. Prebežac, *Managing Service Quality* 18 (2008) 559–576) classes an item as basic
(IA < −0.2: only missed when absent), motivation (IA > 0.2: delights when present)
or performance (in between: more is better).
"""

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

BASIC, PERFORMANCE, MOTIVATION = "basic", "performance", "motivation"


@dataclass(frozen=True)
class KanoItem:
    item: str
    penalty: float
    reward: float
    asymmetry: float
    category: str


def dummies(answers: np.ndarray, low: float, high: float) -> tuple[np.ndarray, np.ndarray]:
    """Low (answer ≤ ``low``) and high (answer ≥ ``high``) indicators per item column."""
    answers = np.asarray(answers, dtype=float)
    return (answers <= low).astype(float), (answers >= high).astype(float)


def penalty_reward(
    answers: np.ndarray,
    overall: np.ndarray,
    items: Sequence[str],
    *,
    low: float,
    high: float,
    threshold: float = 0.2,
) -> list[KanoItem]:
    """Penalty, reward and class of each item from complete rows of raw answers."""
    low_d, high_d = dummies(answers, low, high)
    design = np.column_stack([np.ones(len(overall)), low_d, high_d])
    if np.linalg.matrix_rank(design) < design.shape[1]:
        raise ValueError(
            "some item never reaches the bottom or top of the scale, or two items move "
            "together; penalty–reward needs answers at both ends"
        )
    coefficients, *_ = np.linalg.lstsq(design, np.asarray(overall, dtype=float), rcond=None)
    k = len(items)
    results = []
    for index, item in enumerate(items):
        penalty, reward = float(coefficients[1 + index]), float(coefficients[1 + k + index])
        total = reward + abs(penalty)
        asymmetry = (reward - abs(penalty)) / total if total else 0.0
        category = (
            BASIC
            if asymmetry < -threshold
            else MOTIVATION
            if asymmetry > threshold
            else PERFORMANCE
        )
        results.append(KanoItem(item, penalty, reward, asymmetry, category))
    return results
