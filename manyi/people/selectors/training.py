"""Reads of training: the courses, each person's plan (scoped like the cards), what to
propose for one person — the survey items they trail their store on most and the
standards their store failed — and whether a course moved its trainees' figure."""

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import get_language

from manyi.analytics.periods import month_shift, months_from
from manyi.analytics.reports.staff import advisor_report
from manyi.improve.models import StandardVersion
from manyi.improve.selectors.inspection_results import failed_standards_at
from manyi.improve.selectors.targets import figure_label
from manyi.org.permissions import may_review_scorecards, may_see_training
from manyi.org.selectors import visible_unit_filter
from manyi.people.models import OPEN_TRAINING, Course, TrainingAssignment, TrainingStatus
from manyi.surveys.models import Programme
from manyi.surveys.versions import definition_of

COACH_ITEMS = 3  # the items of "where to coach first" a proposal looks at
FAILED_WITHIN = 90  # days of failed standards a proposal looks at


def course_list(*, offered_only: bool = False) -> QuerySet[Course]:
    courses = Course.objects.prefetch_related("standards")
    return courses.filter(is_active=True) if offered_only else courses


def training_list(user: Any, *, status: str = "", staff: int | None = None) -> QuerySet:
    """The assignments the user may read: the office's (HQ, managers) of their part,
    anyone else their own."""
    if not may_see_training(user):
        return TrainingAssignment.objects.none()
    found = TrainingAssignment.objects.select_related("staff", "unit", "course", "assigned_by")
    if may_review_scorecards(user):
        found = found.filter(visible_unit_filter(user))
    else:
        found = found.filter(staff_id=user.pk)
    if status == "open":
        found = found.filter(status__in=OPEN_TRAINING)
    elif status == "overdue":
        found = found.filter(status=TrainingStatus.ASSIGNED, due_on__lt=timezone.localdate())
    elif status in TrainingStatus.values:
        found = found.filter(status=status)
    return found.filter(staff_id=staff) if staff else found


@dataclass
class Proposal:
    course: Course
    reasons: list[tuple[str, str]] = field(default_factory=list)  # (code, words)


def coaching_programme() -> Programme | None:
    """The programme whose answers "where to coach first" reads: the first with an index."""
    for programme in Programme.objects.order_by("pk"):
        if definition_of(programme.version_id).factors:
            return programme
    return None


def _factor_of(version_id: int) -> dict[str, str]:
    return {item.code: item.factor for item in definition_of(version_id).items if item.factor}


def training_proposals(staff: Any, *, today: date | None = None) -> list[Proposal]:
    """Courses for ``staff``: those addressing the survey items they trail their store
    on most, weighted by importance, over the last six whole months; and those
    addressing the standards their store failed in the last 90 days. Courses already
    open in their plan are left out; the most reasons first."""
    today = today or timezone.localdate()
    reasons: dict[str, list[tuple[str, str]]] = {}
    programme = coaching_programme()
    language = get_language() or "zh-hans"
    if programme is not None:
        last = month_shift(today.replace(day=1), -1)
        months = months_from(month_shift(last, -5), last)
        report = advisor_report(version_id=programme.version_id, months=months, staff=staff,
                                min_n=programme.min_n_staff)  # fmt: skip
        factors = _factor_of(programme.version_id)
        for shortfall in report.shortfalls[:COACH_ITEMS]:
            words = figure_label(programme.version_id, shortfall.item, language)
            for key in (shortfall.item, f"factor:{factors.get(shortfall.item, '')}"):
                reasons.setdefault(key, []).append((f"item:{shortfall.item}", words))
    failed = failed_standards_at(staff.unit, since=today - timedelta(days=FAILED_WITHIN))
    open_courses = set(
        TrainingAssignment.objects.filter(staff=staff, status__in=OPEN_TRAINING).values_list(
            "course_id", flat=True
        )
    )
    proposals = []
    for course in course_list(offered_only=True).exclude(pk__in=open_courses):
        found = [reason for item in course.items for reason in reasons.get(item, [])]
        found += [(f"standard:{standard.code}", title) for standard in course.standards.all()
                  for code, title in failed if code == standard.code]  # fmt: skip
        if found:
            proposals.append(Proposal(course, list(dict.fromkeys(found))))
    return sorted(proposals, key=lambda proposal: (-len(proposal.reasons), str(proposal.course)))


def reason_words(reasons: set[str]) -> dict[str, str]:
    """Each stored reason (``item:SA2``, ``standard:covers``) in words: the survey item's
    or the standard's own."""
    programme = coaching_programme()
    language = get_language() or "zh-hans"
    codes = {reason.split(":", 1)[1] for reason in reasons if reason.startswith("standard:")}
    titles: dict[str, str] = {}
    versions = StandardVersion.objects.filter(standard__code__in=codes).order_by("number")
    for code, title in versions.values_list("standard__code", "title"):
        titles[code] = title  # the latest wins
    words = {}
    for reason in reasons:
        kind, _colon, code = reason.partition(":")
        if kind == "item" and programme is not None:
            words[reason] = figure_label(programme.version_id, code, language)
        elif kind == "standard":
            words[reason] = titles.get(code, code)
        else:
            words[reason] = reason
    return words
