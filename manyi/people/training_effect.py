"""Did a course move its trainees' figure? Each trainee's customers' answers on the
course's first survey item (or factor) in the three whole months before the month
they attended and the three after, against colleagues of the same role never given the
course over the same months: the difference in differences of ``stats.did``, clustered
by person. With no untrained colleague to compare, the trainees' own before and after
with its interval."""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

import numpy as np
from django.utils import timezone
from django.utils.translation import get_language

from manyi.analytics import cells
from manyi.analytics.periods import month_shift, months_from
from manyi.analytics.selectors import staff_summaries
from manyi.improve.selectors.targets import figure_label
from manyi.org.models import Staff
from manyi.people.models import Course, TrainingAssignment, TrainingStatus
from manyi.people.selectors.training import coaching_programme
from manyi.stats.did import DidCells, did
from manyi.stats.shrinkage import Z95
from manyi.surveys.versions import definition_of

MONTHS_EACH = 3


@dataclass(frozen=True)
class CourseEffect:
    label: str
    trainees: int  # with answers both before and after
    controls: int
    method: str  # "did" or "before_after"
    estimate: float
    low: float
    high: float
    before: float  # the trainees' mean before and after
    after: float


def _windows(attended: date, today: date) -> tuple[list[date], list[date]] | None:
    month = attended.replace(day=1)
    last_ended = month_shift(today.replace(day=1), -1)
    after = months_from(month_shift(month, 1), month_shift(month, MONTHS_EACH))
    if after[-1] > last_ended:
        return None  # the months after are not over yet
    return months_from(month_shift(month, -MONTHS_EACH), month_shift(month, -1)), after


def course_effect(course: Course, *, today: date | None = None) -> CourseEffect | None:
    """The effect of ``course`` on its first survey item, or None when there is no
    item, no programme asking it, or no trainee whose months after are over."""
    today = today or timezone.localdate()
    programme = coaching_programme()
    if programme is None or not course.items:
        return None
    names = cells.variables(definition_of(programme.version_id))
    variable = course.items[0]
    if variable not in names:
        return None
    column = names.index(variable)
    done = TrainingAssignment.objects.filter(
        course=course, status__in=(TrainingStatus.ATTENDED, TrainingStatus.SIGNED_OFF),
        attended_on__isnull=False,
    )  # fmt: skip
    by_month: dict[date, set[int]] = defaultdict(set)
    for staff, attended in done.values_list("staff_id", "attended_on"):
        by_month[attended.replace(day=1)].add(staff)
    ever = set(TrainingAssignment.objects.filter(course=course).values_list("staff_id", flat=True))
    roles = set(Staff.objects.filter(pk__in=ever).values_list("role", flat=True))
    colleagues = set(Staff.objects.filter(role__in=roles).values_list("pk", flat=True)) - ever
    rows: list[tuple[int, int, int, float, float, float]] = []
    for month, trainees in by_month.items():
        windows = _windows(month, today)
        if windows is None:
            continue
        sums = [staff_summaries(version_id=programme.version_id, months=window, unit_id=None)
                for window in windows]  # fmt: skip
        for staff in trainees | colleagues:
            found = [s.get(staff) for s in sums]
            if all(f is not None and f[1][0, column] > 0 for f in found):
                for after, (_unit, summary) in enumerate(found):
                    n, sy, syy = summary[:, column]
                    rows.append((staff, int(staff in trainees), after, n, sy, syy))
    return _estimate(
        rows, figure_label(programme.version_id, variable, get_language() or "zh-hans")
    )


def _estimate(
    rows: list[tuple[int, int, int, float, float, float]], label: str
) -> CourseEffect | None:
    if not any(row[1] for row in rows):
        return None
    data = np.array(rows, dtype=float)
    treated, after = data[:, 1] == 1, data[:, 2] == 1
    means = [data[treated & (after == a), 4].sum() / data[treated & (after == a), 3].sum()
             for a in (False, True)]  # fmt: skip
    trainees = len({row[0] for row in rows if row[1]})
    controls = len({row[0] for row in rows if not row[1]})
    if controls:
        result = did(DidCells(data[:, 0].astype(int), data[:, 1].astype(int),
                              data[:, 2].astype(int), data[:, 3], data[:, 4], data[:, 5]),
                     clustered=trainees + controls > 2)  # fmt: skip
        return CourseEffect(label, trainees, controls, "did", result.estimate, result.ci_low,
                            result.ci_high, means[0], means[1])  # fmt: skip
    # Before and after only: the difference of the trainees' two means, Welch's error.
    parts = []
    for a in (False, True):
        part = data[after == a]
        n, sy, syy = part[:, 3].sum(), part[:, 4].sum(), part[:, 5].sum()
        parts.append((n, sy / n, max(syy - sy * sy / n, 0.0) / max(n - 1, 1)))
    (n0, m0, v0), (n1, m1, v1) = parts
    se = float(np.sqrt(v0 / n0 + v1 / n1))
    return CourseEffect(label, trainees, 0, "before_after", m1 - m0, m1 - m0 - Z95 * se,
                        m1 - m0 + Z95 * se, m0, m1)  # fmt: skip
