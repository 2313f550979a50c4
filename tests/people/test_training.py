"""Training from shortfalls: Hana (HQ) keeps the courses; Amy (store A) assigns Bo the
course that addresses the items he trails his store on and the standard her store
failed, records his attendance and signs it off; whether a course moved its trainees'
figure is measured against colleagues not trained."""

import uuid
from datetime import datetime, time, timedelta
from decimal import Decimal

import numpy as np
import pytest
from django.utils import timezone

from manyi.analytics.periods import month_shift
from manyi.analytics.services import rollups_fold
from manyi.improve.services.inspections import Given, inspection_record, inspections_schedule
from manyi.org.models import Role
from manyi.people.models import TrainingStatus
from manyi.people.selectors.training import training_list, training_proposals
from manyi.people.services.training import (
    TrainingError,
    course_save,
    training_assign,
    training_attended,
    training_sign_off,
)
from manyi.people.training_effect import course_effect
from manyi.surveys.services.responses import create_scored
from tests.analytics.report_fixtures import CSI_ITEMS, QUALITY
from tests.conftest import _person
from tests.surveys.fixtures import GOOD_ANSWERS


@pytest.fixture
def courses(hq_analyst, reception):
    covers, _lounge, _drinks = reception
    listening = course_save(actor=hq_analyst, title="倾听与解释", title_en="Listen and explain",
                            hours=Decimal("4"), items=list(CSI_ITEMS + QUALITY),
                            standards=[])  # fmt: skip
    protect = course_save(actor=hq_analyst, title="三件套", title_en="Protective covers",
                          hours=Decimal("1"), items=[], standards=[covers])  # fmt: skip
    return listening, protect


def test_a_course_is_proposed_for_the_items_trailed_and_the_standard_failed(
    network, hq_analyst, store_a_manager, checklist, reception, advisors, courses
):
    _alan, bo, *_rest = advisors
    listening, protect = courses
    check = inspections_schedule(actor=hq_analyst, checklist=checklist, units=[network.store_a],
                                 planned_for=timezone.localdate())[0]  # fmt: skip
    covers, lounge, drinks = reception
    inspection_record(actor=store_a_manager, inspection=check, submission_key=uuid.uuid4(),
                      answers={covers.pk: Given("no"), lounge.pk: Given("4"),
                               drinks.pk: Given("yes")})  # fmt: skip
    proposed = {p.course: p.reasons for p in training_proposals(bo)}
    assert any(code.startswith("item:") for code, _words in proposed[listening])
    assert proposed[protect] == [("standard:covers", "Protective covers in front of the customer")]


def test_a_manager_assigns_records_attendance_and_signs_off(store_a_manager, advisors, courses):
    _alan, bo, *_rest = advisors
    listening, _protect = courses
    due = timezone.localdate() + timedelta(days=30)
    plan = training_assign(actor=store_a_manager, staff=bo, course=listening, due_on=due,
                           reason="item:SA2")  # fmt: skip
    with pytest.raises(TrainingError, match="already"):
        training_assign(actor=store_a_manager, staff=bo, course=listening, due_on=due)
    with pytest.raises(TrainingError, match="attended"):
        training_sign_off(actor=store_a_manager, assignment=plan)
    training_attended(actor=store_a_manager, assignment=plan, on=timezone.localdate())
    plan = training_sign_off(actor=store_a_manager, assignment=plan)
    assert plan.status == TrainingStatus.SIGNED_OFF and plan.signed_off_by == store_a_manager


@pytest.mark.parametrize("days", [-1, 400])
def test_a_due_date_in_the_past_or_beyond_a_year_is_refused(store_a_manager, advisors, courses,
                                                            days):  # fmt: skip
    with pytest.raises(TrainingError, match="due date"):
        training_assign(actor=store_a_manager, staff=advisors[1], course=courses[0],
                        due_on=timezone.localdate() + timedelta(days=days))  # fmt: skip


def test_another_stores_manager_may_not_assign_and_the_page_is_not_found(
    client, store_b_manager, advisors, courses
):
    with pytest.raises(TrainingError):
        training_assign(actor=store_b_manager, staff=advisors[1], course=courses[0],
                        due_on=timezone.localdate() + timedelta(days=5))  # fmt: skip
    client.force_login(store_b_manager)
    assert client.get(f"/people/training/assign/{advisors[1].pk}/").status_code == 404


def test_an_advisor_sees_only_their_own_plan(store_a_manager, advisor_a, advisors, courses):
    _alan, bo, *_rest = advisors
    due = timezone.localdate() + timedelta(days=9)
    for person in (advisor_a, bo):
        training_assign(actor=store_a_manager, staff=person, course=courses[0], due_on=due)
    assert [a.staff for a in training_list(advisor_a)] == [advisor_a]
    assert training_list(store_a_manager).count() == 2


def test_only_headquarters_keeps_courses_and_a_course_addresses_something(
    hq_analyst, store_a_manager
):
    with pytest.raises(TrainingError):
        course_save(actor=store_a_manager, title="Mine", hours=Decimal(2), items=["SA2"],
                    standards=[])  # fmt: skip
    with pytest.raises(TrainingError, match="addresses"):
        course_save(actor=hq_analyst, title="Vague", hours=Decimal(2), items=[], standards=[])


def test_the_course_form_refuses_an_item_the_survey_does_not_ask(client, hq_analyst, programme):
    client.force_login(hq_analyst)
    given = {"title": "X", "hours": "2", "items": "SA2, NOPE"}
    page = client.post("/people/training/courses/new/", given, follow=True)
    assert "Not items of the survey: NOPE" in page.content.decode()


def test_the_effect_is_the_trainees_change_less_their_untrained_colleagues(
    network, store_a_manager, csi_version, programme, courses
):
    """Three trainees attended four months ago; their customers rate SA2 two points
    higher after, while four untrained colleagues' answers drift up by half a point.
    The course's effect is the difference in differences of the raw answers."""
    listening, _protect = courses
    today = timezone.localdate()
    attended = month_shift(today.replace(day=1), -4)
    trainees = [_person(f"t{i}", network.store_a, Role.ADVISOR) for i in range(3)]
    others = [_person(f"c{i}", network.store_a, Role.ADVISOR) for i in range(4)]
    rng = np.random.default_rng(4)
    raw = {(t, a): [] for t in (0, 1) for a in (0, 1)}
    for offset in (-3, -2, -1, 1, 2, 3):
        day = month_shift(attended, offset).replace(day=10)
        when = timezone.make_aware(datetime.combine(day, time(10)))
        for treated, people in ((1, trainees), (0, others)):
            for person in people:
                for _ in range(6):
                    lift = (2.0 if treated else 0.5) if offset > 0 else 0.0
                    sa2 = int(np.clip(round(6 + lift + rng.normal(0, 1.2)), 1, 10))
                    create_scored(version_id=csi_version.pk, answers={**GOOD_ANSWERS, "SA2": sa2},
                                  unit_id=network.store_a.pk, channel="import",
                                  submitted_at=when, staff_id=person.pk)  # fmt: skip
                    raw[(treated, int(offset > 0))].append((sa2 - 1) / 9 * 1000)
    rollups_fold(limit=10000)
    course_save(actor=listening.updated_by, course=listening, title=listening.title,
                hours=listening.hours, items=["SA2"], standards=[])  # fmt: skip
    for person in trainees:
        plan = training_assign(actor=store_a_manager, staff=person, course=listening,
                               due_on=today)  # fmt: skip
        type(plan).objects.filter(pk=plan.pk).update(
            status=TrainingStatus.SIGNED_OFF, attended_on=attended.replace(day=15)
        )
    effect = course_effect(listening, today=today)
    mean = {key: np.mean(values) for key, values in raw.items()}
    expected = (mean[1, 1] - mean[1, 0]) - (mean[0, 1] - mean[0, 0])
    assert effect.method == "did" and (effect.trainees, effect.controls) == (3, 4)
    assert effect.estimate == pytest.approx(expected, rel=1e-9)
    assert effect.low < effect.estimate < effect.high and effect.low > 0
