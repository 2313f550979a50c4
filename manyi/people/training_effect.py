"""Did a course move its trainees' figure? Each trainee's customers' mean on the
course's first survey item (or factor) in the three whole months before the month
they attended and in the three after, against active colleagues of the same role never
given the course over the same months: the difference in differences of ``stats.did``
on each person's two means — every person counts once, whoever had more customers, and
a person is compared with themself — with its interval clustered by person (Student's t
on the persons). With no untrained colleague to compare, the trainees' own change with
its interval."""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

import numpy as np
from django.utils import timezone
from django.utils.translation import get_language
from scipy import stats

from manyi.analytics import cells
from manyi.analytics.periods import month_shift, months_from
from manyi.analytics.selectors import staff_summaries
from manyi.improve.selectors.targets import figure_label
from manyi.org.models import Staff
from manyi.people.models import Course, TrainingAssignment, TrainingStatus
from manyi.people.selectors.training import coaching_programme
from manyi.stats.did import cells_of, clustered_inference, did
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
    colleagues = set(Staff.objects.filter(role__in=roles, is_active=True)
                     .values_list("pk", flat=True)) - ever  # fmt: skip
    rows: list[tuple[int, int, int, float]] = []  # person, trained, after, their mean
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
                    n, sy, _syy = summary[:, column]
                    rows.append((staff, int(staff in trainees), after, sy / n))
    return _estimate(
        rows, figure_label(programme.version_id, variable, get_language() or "zh-hans")
    )


def _estimate(rows: list[tuple[int, int, int, float]], label: str) -> CourseEffect | None:
    if not any(row[1] for row in rows):
        return None
    person = np.array([row[0] for row in rows])
    treated = np.array([row[1] for row in rows])
    after = np.array([row[2] for row in rows])
    y = np.array([row[3] for row in rows])
    means = [float(y[(treated == 1) & (after == a)].mean()) for a in (0, 1)]
    trainees = len(set(person[treated == 1]))
    controls = len(set(person[treated == 0]))
    if controls:
        result = did(cells_of(y, treated, after, person), clustered=True)
        low, high, _p = clustered_inference(result)
        return CourseEffect(label, trainees, controls, "did", result.estimate, low, high,
                            means[0], means[1])  # fmt: skip
    # The trainees alone: the mean of each one's change, with Student's t on the persons.
    change = y[after == 1] - y[after == 0]
    half = stats.t.ppf(0.975, max(change.size - 1, 1)) * (
        change.std(ddof=1) / np.sqrt(change.size) if change.size > 1 else np.inf)  # fmt: skip
    estimate = float(change.mean())
    return CourseEffect(label, trainees, 0, "before_after", estimate, estimate - half,
                        estimate + half, means[0], means[1])  # fmt: skip
