"""The rules found by probing the people pages: each closes a way round them."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from manyi.cases.models import DeadlineAction
from manyi.org.models import Role
from manyi.people.models import PointEntry
from manyi.people.services.scorecards import (
    MeasureRule,
    ScorecardError,
    period_close,
    period_reissue,
    periods_ensure,
    scorecards_compute,
    template_save,
)
from manyi.people.services.training import TrainingError, course_save, training_assign
from tests.conftest import _person


def test_a_deadline_breached_twice_counts_twice_and_the_month_still_computes(last_month, advisors):
    _alan, bo, *_rest = advisors
    first = DeadlineAction.objects.get(staff=bo)
    DeadlineAction.objects.create(case=first.case, deadline="first_response",
                                  due_at=first.due_at + timedelta(hours=5), action="breach",
                                  staff=bo)  # fmt: skip
    scorecards_compute(period=last_month)
    assert PointEntry.objects.filter(staff=bo, kind="first_response_late").count() == 2


def test_points_belong_to_the_persons_unit_not_the_cases(network, last_month, advisors):
    _alan, bo, *_rest = advisors
    type(bo).objects.filter(pk=bo.pk).update(unit=network.store_b)
    scorecards_compute(period=last_month)
    assert PointEntry.objects.get(staff=bo, kind="first_response_late").unit == network.store_b


def test_no_deadline_due_is_no_evidence_of_none_missed(last_month, advisors):
    alan, *_rest = advisors
    scorecards_compute(period=last_month)
    missed = last_month.cards.get(staff=alan).lines.get(kind="deadlines_missed")
    assert missed.points is None and missed.met is None
    assert not PointEntry.objects.filter(staff=alan, line=missed).exists()


def test_a_count_of_events_takes_no_minimum_n(hq_analyst, programme):
    with pytest.raises(ScorecardError, match="count of events"):
        template_save(actor=hq_analyst, name="Praise", subject="staff", applies_to=Role.ADVISOR,
                      programme=programme, rules=[MeasureRule("praise", 10, 0, 3, 2)])  # fmt: skip


def test_a_quarter_closes_after_its_months(hq_analyst, last_month, advisors):
    today = timezone.localdate()
    quarter = periods_ensure(today)[2]
    scorecards_compute(period=quarter)
    months = [m for m in (last_month,) if quarter.start <= m.start <= quarter.end]
    if months:  # last month lies in the last quarter only in its last month
        with pytest.raises(ScorecardError, match="months first"):
            period_close(actor=hq_analyst, period=quarter)


def test_the_same_reissue_sent_twice_is_issued_once(hq_analyst, last_month, advisors):
    scorecards_compute(period=last_month)
    period_close(actor=hq_analyst, period=last_month)
    period_reissue(actor=hq_analyst, period=last_month, reason="Late import")
    with pytest.raises(ScorecardError, match="already"):
        period_reissue(actor=hq_analyst, period=last_month, reason="Late import")
    last_month.refresh_from_db()
    assert last_month.version == 2


def test_no_one_assigns_their_own_training_nor_a_leavers(network, hq_analyst, store_a_manager):
    course = course_save(actor=hq_analyst, title="倾听", hours=Decimal(1), items=["SA2"],
                         standards=[])  # fmt: skip
    due = timezone.localdate() + timedelta(days=5)
    with pytest.raises(TrainingError, match="someone else"):
        training_assign(actor=store_a_manager, staff=store_a_manager, course=course, due_on=due)
    gone = _person("gone", network.store_a, Role.ADVISOR)
    type(gone).objects.filter(pk=gone.pk).update(is_active=False)
    gone.refresh_from_db()
    with pytest.raises(TrainingError, match="left"):
        training_assign(actor=store_a_manager, staff=gone, course=course, due_on=due)


def test_a_course_effect_is_read_by_headquarters_only(client, hq_analyst, advisor_a):
    course = course_save(actor=hq_analyst, title="倾听", hours=Decimal(1), items=["SA2"],
                         standards=[])  # fmt: skip
    client.force_login(advisor_a)
    assert 'data-testid="course-effect"' not in client.get(
        f"/people/training/courses/{course.pk}/").content.decode()  # fmt: skip
    client.force_login(hq_analyst)
    assert 'data-testid="course-effect"' in client.get(
        f"/people/training/courses/{course.pk}/").content.decode()  # fmt: skip


def test_ids_too_large_for_the_database_are_refused_not_crashed(client, hq_analyst):
    client.force_login(hq_analyst)
    for url, field in (("/people/employee/new/", "units"),
                       ("/people/training/courses/new/", "standards")):  # fmt: skip
        response = client.post(url, {field: "100000000000000000000", "title": "x"})
        assert response.status_code == 200 and "is not a valid value" in response.content.decode()
