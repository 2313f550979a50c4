"""What drives overall satisfaction: importance–performance positions (from the CSI
report's relative weights) and the Kano/BPM class of each item (penalty–reward on
the latest raw answers of the slice)."""

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import numpy as np
from django.core.cache import cache
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from manyi.analytics.periods import as_span
from manyi.analytics.selectors import Months, recent_scores
from manyi.org.models import Unit
from manyi.stats.ipa import CONCENTRATE, KEEP_UP, LOW_PRIORITY, OVERKILL
from manyi.stats.kano import KanoItem, penalty_reward
from manyi.surveys.versions import definition_of

# An item score (0–1000) at or below LOW counts as a miss, at or above HIGH as a
# delight: on a 1–10 scale answers 1–6 and 9–10, on 1–5 answers 1–3 and 5.
LOW, HIGH = 600.0, 850.0
SAMPLE = 5000
# Seconds a classification is shown again before the sample is read afresh: a few more
# answers move the latest 5,000 little, and reading them is most of the drivers page.
KEPT = 300

QUADRANTS = {
    CONCENTRATE: gettext_lazy("Concentrate here"),
    KEEP_UP: gettext_lazy("Keep up the good work"),
    LOW_PRIORITY: gettext_lazy("Low priority"),
    OVERKILL: gettext_lazy("Possible overkill"),
}
CLASSES = {
    "basic": gettext_lazy("Basic"),
    "performance": gettext_lazy("Performance"),
    "motivation": gettext_lazy("Motivation"),
}


@dataclass
class KanoResult:
    items: list[KanoItem] = field(default_factory=list)
    n: int = 0
    problem: str = ""
    at: datetime | None = None  # when the sample was read


def kano_report(
    *, version_id: int, months: Months, scope: Unit | None, sample: int = SAMPLE
) -> KanoResult:
    """Basic, performance and motivation items from up to ``sample`` latest responses,
    classified once for ``KEPT`` seconds per questionnaire version, period, scope and
    language (the page, the API, the workbook and the PDF share it)."""
    since, until = as_span(months).bounds()
    key = ":".join(
        str(part)
        for part in ("analytics:kano", version_id, since.isoformat(), until.isoformat(),
                     scope.pk if scope else "all", sample, translation.get_language())
    )  # fmt: skip
    result = cache.get(key)
    if result is None:
        result = _classified(version_id=version_id, months=months, scope=scope, sample=sample)
        cache.set(key, result, timeout=KEPT)
    return result


def _classified(*, version_id: int, months: Months, scope: Unit | None, sample: int) -> KanoResult:
    at = timezone.now()
    definition = definition_of(version_id)
    overall = definition.role("overall")
    codes = [
        item.code
        for item in definition.items
        if item.type in ("rating", "servqual") and (overall is None or item.code != overall.code)
    ]
    if overall is None or not codes:
        return KanoResult(problem=_("The questionnaire has no overall satisfaction item."), at=at)
    data = recent_scores(
        version_id=version_id,
        months=months,
        unit_id=scope.pk if scope else None,
        codes=[*codes, overall.code],
        limit=sample,
    )
    complete = data[~np.isnan(data).any(axis=1)]
    if len(complete) < 3 * len(codes):
        return KanoResult(
            n=len(complete), problem=_("Too few complete answers to classify the items."), at=at
        )
    try:
        items = penalty_reward(complete[:, :-1], complete[:, -1], codes, low=LOW, high=HIGH)
    except ValueError:
        return KanoResult(
            n=len(complete),
            problem=_(
                "Some item is never answered at the bottom or the top of its scale here, "
                "or two items always move together."
            ),
            at=at,
        )
    return KanoResult(items=items, n=len(complete), at=at)


def quadrant_series(positions: list, texts: dict[str, str]) -> dict[str, Any]:
    """The importance–performance chart's data: each item's performance and importance
    (per cent) with its quadrant, the dashed lines at mean importance and the network's
    mean score, and the quadrants' names for the colour key."""
    count = len(positions)
    return {
        "points": [
            {
                "name": texts.get(p.item, p.item),
                "value": [round(p.performance, 1), round(100 * p.importance, 2)],
                "quadrant": p.quadrant,
            }
            for p in positions
        ],
        "split": round(100 * sum(p.importance for p in positions) / count, 2) if count else None,
        "performance_split": round(sum(p.network for p in positions) / count, 1) if count else None,
        "quadrants": {code: str(label) for code, label in QUADRANTS.items()},
        "labels": {"performance": _("Performance"), "importance": _("Importance")},
    }
