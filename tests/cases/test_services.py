"""Opening and handling cases: deadlines in the unit's business time, waits that stop
the clock, reopening that restarts it, and a closed case that stays a record."""

from datetime import datetime, timedelta

import pytest
from django.utils import timezone

from manyi.cases.business_time import SHANGHAI
from manyi.cases.models import BusinessCalendar, CaseStatus, EntryKind
from manyi.cases.services import (
    CaseClosedError,
    case_close,
    case_open,
    case_reopen,
    case_reply,
    case_resolve,
    case_resume,
    case_update,
    case_wait,
)
from manyi.cases.steps import case_review
from manyi.errors import DomainError

FRIDAY_FIVE_PM = datetime(2026, 11, 20, 17, tzinfo=SHANGHAI)


def _complaint(handler, store, **extra):
    values = {
        "actor": handler,
        "kind": "complaint",
        "unit": store,
        "subject": "Car returned dirty",
        "channel": "phone",
        "opened_at": FRIDAY_FIVE_PM,
    }
    values.update(extra)
    return case_open(**values)


@pytest.fixture
def handler(store_a_manager):
    return store_a_manager


def test_a_friday_evening_complaint_is_due_in_working_hours(handler, network):
    case = _complaint(handler, network.store_a)
    # Four business hours: one on Friday, three on Monday morning (default 09–18).
    assert case.first_response_due == datetime(2026, 11, 23, 12, tzinfo=SHANGHAI)
    # Twenty-four: 1 Friday + 9 Monday + 9 Tuesday + 5 Wednesday.
    assert case.resolution_due == datetime(2026, 11, 25, 14, tzinfo=SHANGHAI)
    assert case.number.startswith("20261120-")
    assert case.entries.get().step == "record"


def test_a_vip_customer_gets_half_the_time(handler, network, customer_a):
    type(customer_a).objects.filter(pk=customer_a.pk).update(tier="super_heavyweight")
    customer_a.refresh_from_db()
    case = _complaint(handler, network.store_a, customer=customer_a)
    assert case.tier == "super_heavyweight"
    assert case.first_response_due == datetime(2026, 11, 23, 10, tzinfo=SHANGHAI)


def test_a_store_open_round_the_clock_counts_every_hour(handler, network):
    BusinessCalendar.objects.create(unit=network.store_b, name="24×7", always_open=True)
    case = _complaint(handler, network.store_b)
    assert case.first_response_due == FRIDAY_FIVE_PM + timedelta(hours=4)


def test_a_year_without_holiday_data_warns_and_counts_working_hours(handler, network):
    new_year = datetime(2027, 3, 1, 9, tzinfo=SHANGHAI)  # chinesecalendar 1.11 knows to 2026
    case = _complaint(handler, network.store_a, opened_at=new_year)
    note = case.entries.get(kind=EntryKind.NOTE)
    assert "2027" in note.body
    assert case.first_response_due == datetime(2027, 3, 1, 13, tzinfo=SHANGHAI)


def test_the_golden_week_is_off_and_its_make_up_saturday_is_worked(handler, network):
    # Seeded from chinesecalendar: 1–7 October 2026 off, Saturday 10 October worked.
    before_holiday = datetime(2026, 9, 30, 17, tzinfo=SHANGHAI)
    case = _complaint(handler, network.store_a, opened_at=before_holiday)
    assert case.first_response_due == datetime(2026, 10, 8, 12, tzinfo=SHANGHAI)
    friday = datetime(2026, 10, 9, 17, tzinfo=SHANGHAI)
    case = _complaint(handler, network.store_a, opened_at=friday)
    assert case.first_response_due == datetime(2026, 10, 10, 12, tzinfo=SHANGHAI)


def test_the_first_public_reply_meets_the_first_response_deadline(handler, network):
    case = _complaint(handler, network.store_a, opened_at=timezone.now())
    case_reply(actor=handler, case=case, body="Sorry, we are on it.", public=False)
    case.refresh_from_db()
    assert case.first_responded_at is None
    case_reply(actor=handler, case=case, body="We apologise and will call you today.")
    case.refresh_from_db()
    # The first reply to the customer is step 2 (acknowledge and apologise): the
    # case moves on to analysing the cause.
    assert case.first_responded_at is not None and case.step == "analyse"
    assert case.entries.get(step="acknowledge").author == handler
    assert case.watch.next_check_deadline == "resolution"


def test_waiting_on_the_customer_moves_the_deadlines_by_the_wait(handler, network):
    BusinessCalendar.objects.create(unit=network.store_b, name="24×7", always_open=True)
    case = _complaint(handler, network.store_b, opened_at=timezone.now() - timedelta(hours=3))
    due = case.resolution_due
    case_wait(actor=handler, case=case)
    case.refresh_from_db()
    assert case.status == CaseStatus.WAITING and case.watch.next_check_at is None
    pause = case.pauses.get()
    type(pause).objects.filter(pk=pause.pk).update(started_at=timezone.now() - timedelta(hours=2))
    case_resume(actor=handler, case=case)
    case.refresh_from_db()
    assert case.resolution_due - due == pytest.approx(timedelta(hours=2), abs=timedelta(seconds=5))
    assert case.watch.next_check_at is not None


def test_moving_a_case_to_another_store_follows_that_stores_calendar(handler, network):
    BusinessCalendar.objects.create(unit=network.store_b, name="24×7", always_open=True)
    case = _complaint(handler, network.store_a)
    moved = case_update(actor=handler, case=case, unit=network.store_b)
    assert moved.first_response_due == FRIDAY_FIVE_PM + timedelta(hours=4)
    change = moved.entries.get(kind=EntryKind.CHANGE)
    assert change.changes["unit"] == ["Store A", "Store B"]


def test_a_higher_severity_tightens_the_deadlines(handler, network):
    case = _complaint(handler, network.store_a)
    critical = case_update(actor=handler, case=case, severity="critical")
    assert critical.first_response_due == datetime(2026, 11, 20, 18, tzinfo=SHANGHAI)


def test_a_closed_case_is_reopened_not_edited(handler, network):
    case = _complaint(handler, network.store_a, opened_at=timezone.now())
    case_resolve(actor=handler, case=case, body="Cleaned and returned with apologies.")
    with pytest.raises(DomainError, match="review"):
        case_close(actor=handler, case=case)  # a complaint closes by its review
    case_review(
        actor=handler, case=case, root_cause="No check at hand-over.",
        prevention="A cleanliness check on the hand-over list.",
    )  # fmt: skip
    with pytest.raises(CaseClosedError):
        case_update(actor=handler, case=case, severity="high")
    with pytest.raises(CaseClosedError):
        case_reply(actor=handler, case=case, body="More")
    again = case_reopen(actor=handler, case=case, reason="The customer called back.")
    assert again.status == CaseStatus.OPEN and again.reopened == 1
    assert again.resolution_due > timezone.now()


def test_a_second_complaint_from_the_customer_is_linked_to_the_first(handler, network, customer_a):
    first = _complaint(handler, network.store_a, customer=customer_a)
    second = _complaint(
        handler, network.store_a, customer=customer_a, opened_at=FRIDAY_FIVE_PM + timedelta(days=3)
    )
    assert second.repeat_of == first


def test_a_case_needs_a_subject(handler, network):
    with pytest.raises(DomainError):
        _complaint(handler, network.store_a, subject="  ")
