"""Headquarters changes the rules behind deadlines — policies, working hours, holidays —
and the open cases follow; nobody else may."""

from datetime import datetime, timedelta

import pytest
from django.utils import timezone

from manyi.cases.business_time import SHANGHAI
from manyi.cases.models import CalendarDay, Case, DeadlineAction, SlaPolicy
from manyi.cases.services import case_open, case_reopen, case_resolve
from manyi.cases.sweep import sla_sweep

FRIDAY_FIVE_PM = datetime(2026, 11, 20, 17, tzinfo=SHANGHAI)


def _complaint(network, opened_at=FRIDAY_FIVE_PM):
    return case_open(
        actor=None,
        kind="complaint",
        unit=network.store_a,
        subject="Wrong part fitted",
        channel="phone",
        opened_at=opened_at,
    )


@pytest.fixture
def hq(client, hq_analyst):
    client.force_login(hq_analyst)
    return client


def test_loosening_a_policy_moves_the_open_cases(hq, network, django_capture_on_commit_callbacks):
    case = _complaint(network)
    policy = SlaPolicy.objects.get(kind="complaint", severity="normal", tier="")
    with django_capture_on_commit_callbacks(execute=True):
        answer = hq.post(
            "/cases/rules/policy/",
            {
                "policy": policy.pk,
                "first_response_hours": "8",
                "resolution_hours": "24",
                "business_hours": "on",
            },
        )
    assert answer.status_code == 302
    case.refresh_from_db()
    # Eight business hours from Friday 17:00: one on Friday, seven on Monday.
    assert case.first_response_due == datetime(2026, 11, 23, 16, tzinfo=SHANGHAI)


def test_a_new_holiday_moves_the_deadline_past_it(hq, network, django_capture_on_commit_callbacks):
    case = _complaint(network)
    with django_capture_on_commit_callbacks(execute=True):
        hq.post("/cases/rules/holiday/", {"day": "2026-11-23", "kind": "holiday", "name": "Test"})
    case.refresh_from_db()
    assert case.first_response_due == datetime(2026, 11, 24, 12, tzinfo=SHANGHAI)
    with django_capture_on_commit_callbacks(execute=True):
        hq.post("/cases/rules/holiday-remove/", {"day": "2026-11-23"})
    case.refresh_from_db()
    assert case.first_response_due == datetime(2026, 11, 23, 12, tzinfo=SHANGHAI)


def test_shorter_working_hours_move_the_deadline(hq, network, django_capture_on_commit_callbacks):
    case = _complaint(network, opened_at=datetime(2026, 11, 23, 9, tzinfo=SHANGHAI))
    weekdays = {f"open_{d}": "09:00" for d in range(5)} | {f"close_{d}": "11:00" for d in range(5)}
    with django_capture_on_commit_callbacks(execute=True):
        hq.post("/cases/rules/calendar/", weekdays)
    case.refresh_from_db()
    assert case.first_response_due == datetime(2026, 11, 24, 11, tzinfo=SHANGHAI)


def test_nonsense_is_refused_with_a_reason(hq, network):
    policy = SlaPolicy.objects.get(kind="complaint", severity="normal", tier="")
    before = (policy.first_response_hours, policy.resolution_hours)
    answer = hq.post(
        "/cases/rules/policy/",
        {"policy": policy.pk, "first_response_hours": "30", "resolution_hours": "8"},
        follow=True,
    )
    assert "before the resolution" in answer.text
    policy.refresh_from_db()
    assert (policy.first_response_hours, policy.resolution_hours) == before
    answer = hq.post(
        "/cases/rules/holiday/", {"day": "next tuesday", "kind": "holiday"}, follow=True
    )
    assert "YYYY-MM-DD" in answer.text


def test_a_year_without_holidays_is_flagged_on_the_page(hq):
    assert not CalendarDay.objects.filter(day__year=2027).exists()
    page = hq.get("/cases/rules/?year=2027")
    assert 'data-testid="no-holidays"' in page.text
    assert 'data-testid="holidays"' in hq.get("/cases/rules/?year=2026").text


def test_only_headquarters_changes_the_rules(client, store_a_manager, network):
    client.force_login(store_a_manager)
    assert client.get("/cases/rules/").status_code == 403
    policy = SlaPolicy.objects.first()
    assert client.post("/cases/rules/policy/", {"policy": policy.pk}).status_code == 403


def test_a_moved_deadline_is_not_breached_twice_but_a_reopened_case_is(network):
    from manyi.cases.business_time import SHANGHAI as _zone  # noqa: F401
    from manyi.cases.models import BusinessCalendar

    BusinessCalendar.objects.create(unit=network.store_a, name="24×7", always_open=True)
    case = _complaint(network, opened_at=timezone.now() - timedelta(hours=30))
    sla_sweep()
    sla_sweep()
    assert DeadlineAction.objects.filter(case=case, action="breach").count() == 2
    from manyi.cases.policies import deadlines_recompute

    SlaPolicy.objects.filter(kind="complaint", severity="normal", tier="").update(
        first_response_hours=6, resolution_hours=26
    )
    deadlines_recompute(kind="complaint", severity="normal")
    sla_sweep()
    assert DeadlineAction.objects.filter(case=case, action="breach").count() == 2
    case_resolve(actor=None, case=case, body="Fixed.")
    case = case_reopen(actor=None, case=Case.objects.get(pk=case.pk), reason="Back again.")
    sla_sweep(now=timezone.now() + timedelta(days=2))
    assert DeadlineAction.objects.filter(case=case, action="breach").count() == 3


def test_public_holidays_are_named_in_the_readers_language(hq):
    hq.post("/i18n/setlang/", {"language": "zh-hans", "next": "/"})
    page = hq.get("/cases/rules/?year=2026")
    assert "国庆节" in page.text and "National Day" not in page.text
    hq.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert "National Day" in hq.get("/cases/rules/?year=2026").text
