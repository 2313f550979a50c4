"""Inspections as the network runs them: Nick (North's manager) draws surprise
inspections that Amy's store cannot see coming; Amy carries out her store's scheduled
self-inspection — scored, stored once however often her phone sends it — and turns a
failure into an action or a case with one click; failures wait in her inbox until then."""

import calendar
import io
import uuid
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from manyi.errors import DomainError
from manyi.improve.draw import draw_surprises
from manyi.improve.models import Inspection, InspectionAnswer
from manyi.improve.selectors.inspections import (
    inspection_list,
    unfollowed_failures,
    waiting_inspections,
)
from manyi.improve.services.inspections import (
    Given,
    InspectionError,
    answer_to_action,
    answer_to_case,
    inspection_record,
    inspections_schedule,
    surprise_draw,
)
from manyi.web.registry import SOURCES


def _answers(reception, covers="no", lounge="4", drinks="na", **extra):
    first, second, third = reception
    return {first.pk: Given(covers, **extra), second.pk: Given(lounge), third.pk: Given(drinks)}


@pytest.fixture
def self_inspection(checklist, network, hq_analyst):
    return inspections_schedule(actor=hq_analyst, checklist=checklist, units=[network.store_a],
                                planned_for=timezone.localdate())[0]  # fmt: skip


def test_a_surprise_draw_is_the_same_again_with_its_seed():
    units, days = list(range(1, 51)), [date(2026, 12, d) for d in range(1, 32)]
    first = draw_surprises(seed=20261202, unit_ids=units, days=days, count=5)
    assert draw_surprises(seed=20261202, unit_ids=units[::-1], days=days, count=5) == first
    assert draw_surprises(seed=20261203, unit_ids=units, days=days, count=5) != first
    assert len({unit for unit, _day in first}) == 5 and all(day in days for _u, day in first)


def test_the_draw_names_its_seed_and_draws_what_the_seed_draws(checklist, network,
                                                               north_manager):  # fmt: skip
    today = timezone.localdate()
    draw = surprise_draw(actor=north_manager, checklist=checklist, scope=network.north,
                         month=today, count=1, inspector=north_manager, seed=7)  # fmt: skip
    drawn = [(i.unit_id, i.planned_for) for i in draw.inspections.all()]
    last = calendar.monthrange(today.year, today.month)[1]
    days = [today.replace(day=day) for day in range(today.day, last + 1)]
    expected = draw_surprises(seed=7, unit_ids=[network.store_a.pk, network.store_b.pk],
                              days=days, count=1)  # fmt: skip
    assert drawn == expected and draw.seed == 7


def test_the_store_never_sees_its_surprise_inspection_coming(
    checklist, network, north_manager, store_a_manager, reception
):
    surprise_draw(actor=north_manager, checklist=checklist, scope=network.north,
                  month=timezone.localdate(), count=2, inspector=north_manager, seed=1)  # fmt: skip
    assert inspection_list(north_manager, status="planned").count() == 2
    assert not inspection_list(store_a_manager).exists()
    assert not waiting_inspections(store_a_manager).exists()
    at_a = Inspection.objects.get(unit=network.store_a)
    inspection_record(actor=north_manager, inspection=at_a, answers=_answers(reception),
                      submission_key=uuid.uuid4())  # fmt: skip
    assert list(inspection_list(store_a_manager)) == [at_a]


def test_a_store_may_not_carry_out_its_own_surprise_inspection(
    checklist, network, north_manager, store_a_manager, reception
):
    surprise_draw(actor=north_manager, checklist=checklist, scope=network.north,
                  month=timezone.localdate(), count=2, inspector=north_manager, seed=1)  # fmt: skip
    at_a = Inspection.objects.get(unit=network.store_a)
    with pytest.raises(InspectionError, match="may not carry out"):
        inspection_record(actor=store_a_manager, inspection=at_a, answers=_answers(reception),
                          submission_key=uuid.uuid4())  # fmt: skip
    with pytest.raises(InspectionError, match="from above the store"):
        surprise_draw(actor=north_manager, checklist=checklist, scope=network.north,
                      month=timezone.localdate(), count=1, inspector=store_a_manager)  # fmt: skip


def test_answers_are_scored_over_the_standards_that_applied(self_inspection, store_a_manager,
                                                           reception):  # fmt: skip
    done = inspection_record(actor=store_a_manager, inspection=self_inspection,
                             answers=_answers(reception), submission_key=uuid.uuid4())  # fmt: skip
    # covers "no" earns 0 of 1, the lounge 4 of 5 (0.8), the drinks do not apply: 0.8 / 2
    assert done.score == 40.0 and done.failed == 1 and done.basic_failed == 1
    assert done.inspector == store_a_manager
    lounge = done.answers.get(standard=reception[1])
    assert lounge.passed is True and lounge.score == 4 and lounge.version.number == 1


def test_a_report_sent_twice_is_stored_once(self_inspection, store_a_manager, reception):
    key = uuid.uuid4()
    for _ in range(2):
        inspection_record(actor=store_a_manager, inspection=self_inspection,
                          answers=_answers(reception), submission_key=key)  # fmt: skip
    assert InspectionAnswer.objects.count() == 3
    with pytest.raises(InspectionError, match="carried out already"):
        inspection_record(actor=store_a_manager, inspection=self_inspection,
                          answers=_answers(reception), submission_key=uuid.uuid4())  # fmt: skip


@pytest.mark.parametrize(("changed", "message"), [
    ({"lounge": ""}, "Answer “A clean lounge"),
    ({"lounge": "6"}, "scored from 0 to 5"),
    ({"covers": "3"}, "has no such answer"),
    ({"photo": SimpleUploadedFile("x.jpg", b"not a picture")}, "JPEG or PNG"),
])  # fmt: skip
def test_a_bad_answer_is_refused_and_nothing_is_stored(self_inspection, store_a_manager,
                                                       reception, changed, message):  # fmt: skip
    with pytest.raises(DomainError, match=message):
        inspection_record(actor=store_a_manager, inspection=self_inspection,
                          answers=_answers(reception, **changed),
                          submission_key=uuid.uuid4())  # fmt: skip
    self_inspection.refresh_from_db()
    assert self_inspection.is_planned and not InspectionAnswer.objects.exists()


def test_a_failure_becomes_an_action_or_a_case_once(self_inspection, store_a_manager, reception,
                                                   hui):  # fmt: skip
    inspection_record(actor=store_a_manager, inspection=self_inspection,
                      answers=_answers(reception), submission_key=uuid.uuid4())  # fmt: skip
    failed = InspectionAnswer.objects.get(passed=False)
    assert list(unfollowed_failures(store_a_manager)) == [failed]
    plan = answer_to_action(actor=store_a_manager, answer=failed)
    assert answer_to_action(actor=store_a_manager, answer=failed) == plan
    assert plan.source == "check" and plan.owner == store_a_manager
    assert plan.evidence["standard"] == "covers" and plan.unit_id == self_inspection.unit_id
    case = answer_to_case(actor=store_a_manager, answer=failed)
    assert case.channel == "check" and case.kind == "request" and case.owner == hui
    assert not unfollowed_failures(store_a_manager).exists()
    with pytest.raises(InspectionError, match="Only a failed standard"):
        answer_to_action(actor=store_a_manager, answer=InspectionAnswer.objects.get(passed=True))


def test_a_store_never_follows_up_another_stores_failure(self_inspection, store_a_manager,
                                                        store_b_manager, reception):  # fmt: skip
    inspection_record(actor=store_a_manager, inspection=self_inspection,
                      answers=_answers(reception), submission_key=uuid.uuid4())  # fmt: skip
    failed = InspectionAnswer.objects.get(passed=False)
    with pytest.raises(InspectionError, match="outside your part"):
        answer_to_action(actor=store_b_manager, answer=failed)
    assert not inspection_list(store_b_manager).exists()


def test_inspections_and_failures_wait_in_the_inbox(self_inspection, store_a_manager, reception):
    assert {"improve.inspections", "improve.failures"} <= set(SOURCES)
    assert list(SOURCES["improve.inspections"].waiting(store_a_manager)) == [self_inspection]
    inspection_record(actor=store_a_manager, inspection=self_inspection,
                      answers=_answers(reception), submission_key=uuid.uuid4())  # fmt: skip
    assert not SOURCES["improve.inspections"].waiting(store_a_manager).exists()
    waiting = SOURCES["improve.failures"]
    assert waiting.shown_to(store_a_manager)
    item = waiting.item(waiting.waiting(store_a_manager).get())
    assert item.title == "Protective covers in front of the customer"


def test_a_photo_is_kept_with_its_answer(self_inspection, store_a_manager, reception):
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), "red").save(buffer, "PNG")
    photo = SimpleUploadedFile("covers.png", buffer.getvalue())
    done = inspection_record(actor=store_a_manager, inspection=self_inspection,
                             answers=_answers(reception, photo=photo),
                             submission_key=uuid.uuid4())  # fmt: skip
    answer = done.answers.get(standard=reception[0])
    assert answer.photo_type == "image/png" and answer.photo.name.endswith(".png")


def test_a_called_off_surprise_and_its_audit_rows_stay_hidden_from_the_store(
    checklist, network, north_manager, store_a_manager
):
    from manyi.audit.models import AuditEntry
    from manyi.improve.services.inspections import inspection_cancel
    from manyi.org.selectors import visible_units

    surprise_draw(actor=north_manager, checklist=checklist, scope=network.north,
                  month=timezone.localdate(), count=2, inspector=north_manager, seed=3)  # fmt: skip
    at_a = Inspection.objects.get(unit=network.store_a)
    inspection_cancel(actor=north_manager, inspection=at_a, reason="Region meeting that day")
    assert not inspection_list(store_a_manager).exists()
    seen_by_a = AuditEntry.objects.filter(unit__in=visible_units(store_a_manager))
    assert not seen_by_a.filter(action__startswith="inspection.").exists()


def test_answers_sent_for_one_inspection_are_not_stored_for_another(
    checklist, network, hq_analyst, store_a_manager, reception
):
    first, second = inspections_schedule(
        actor=hq_analyst, checklist=checklist, units=[network.store_a, network.service_a],
        planned_for=timezone.localdate(),
    )  # fmt: skip
    key = uuid.uuid4()
    inspection_record(actor=store_a_manager, inspection=first, answers=_answers(reception),
                      submission_key=key)  # fmt: skip
    with pytest.raises(InspectionError, match="another inspection"):
        inspection_record(actor=store_a_manager, inspection=second,
                          answers=_answers(reception), submission_key=key)  # fmt: skip


def test_planning_refuses_what_would_bend_the_rules(
    checklist, network, north_manager, hq_analyst, store_a_manager, reception
):
    from manyi.improve.services.checklists import ChecklistError, checklist_save
    from manyi.improve.services.inspections import inspection_cancel
    from manyi.improve.services.mystery import mystery_shop_order

    with pytest.raises(InspectionError, match="among the stores of a region"):
        surprise_draw(actor=hq_analyst, checklist=checklist, scope=network.store_a,
                      month=timezone.localdate(), count=1, inspector=north_manager)  # fmt: skip
    shop, _token = mystery_shop_order(actor=hq_analyst, checklist=checklist, unit=network.store_a,
                                      planned_for=timezone.localdate(), agency="Mingcha",
                                      scenario="Book a service.")  # fmt: skip
    with pytest.raises(InspectionError, match="orders mystery shops"):
        inspection_cancel(actor=north_manager, inspection=shop, reason="Not needed")
    with pytest.raises(ChecklistError, match="scored standard must be one"):
        checklist_save(actor=hq_analyst, name="Odd", standards=reception[:1],
                       scored=reception[1:2])  # fmt: skip
    (planned,) = inspections_schedule(
        actor=hq_analyst, checklist=checklist, units=[network.store_a],
        planned_for=timezone.localdate(),
    )  # fmt: skip
    stray = {**_answers(reception), 999999: Given("yes")}
    with pytest.raises(InspectionError, match="not on this checklist"):
        inspection_record(actor=store_a_manager, inspection=planned, answers=stray,
                          submission_key=uuid.uuid4())  # fmt: skip
