"""Complaint reports: the causes that matter most, deadlines kept per unit and the
overdue per person — only over the user's own units."""

from datetime import timedelta

import pytest
from django.utils import timezone

from manyi.cases.models import BusinessCalendar, Cause
from manyi.cases.reports import cause_pareto, compliance_by_unit, handling_times, overdue_by_staff
from manyi.cases.services import case_open, case_reply
from manyi.cases.sweep import sla_sweep


@pytest.fixture
def month(network, advisor_a):
    """Store A: five complaints about the process, two about staff, one overdue."""
    BusinessCalendar.objects.create(unit=network.store_a, name="24×7", always_open=True)
    process, staff = Cause.objects.get(code="process"), Cause.objects.get(code="staff")
    now = timezone.now()
    made = []
    for index, cause in enumerate([process] * 5 + [staff] * 2):
        made.append(
            case_open(
                actor=None, kind="complaint", unit=network.store_a, subject=f"Case {index}",
                channel="phone", cause=cause, owner=advisor_a,
                opened_at=now - timedelta(hours=6 if index == 0 else 1),
            )
        )  # fmt: skip
    for case in made[1:]:
        case_reply(actor=advisor_a, case=case, body="Sorry, on it.")
    sla_sweep()
    sla_sweep()
    return now - timedelta(days=2), now + timedelta(days=1)


def test_the_pareto_puts_the_biggest_cause_first(store_a_manager, month):
    since, until = month
    first, second = cause_pareto(store_a_manager, since=since, until=until)
    assert (first.cause, first.count, second.cause, second.count) == (
        "System or process",
        5,
        "Staff",
        2,
    )
    assert second.cumulative == pytest.approx(1.0)


def test_deadlines_kept_and_the_overdue_per_person(store_a_manager, advisor_a, month):
    since, until = month
    (store,) = compliance_by_unit(store_a_manager, since=since, until=until)
    assert (store.cases, store.first_response_late) == (7, 1)
    assert store.on_time == pytest.approx(6 / 7)
    (person,) = overdue_by_staff(store_a_manager, since=since, until=until)
    assert person["count"] == 1 and person["staff__username"] == advisor_a.username
    times = handling_times(store_a_manager, since=since, until=until)
    assert 0 < times["first_response"] < 1.1 and times["resolution"] is None
    assert times["first_response_n"] >= 1 and times["resolution_n"] == 0


def test_another_store_sees_none_of_it(store_b_manager, month):
    since, until = month
    assert cause_pareto(store_b_manager, since=since, until=until) == []
    assert compliance_by_unit(store_b_manager, since=since, until=until) == []


def test_the_reports_page_renders(client, store_a_manager, month):
    client.force_login(store_a_manager)
    page = client.get("/cases/reports/")
    assert page.status_code == 200 and "System or process" in page.text
    assert client.get("/cases/reports/?month=garbage").status_code == 200


def test_the_word_of_mouth_estimate_uses_the_editable_multipliers(client, hq_analyst, month):
    from manyi.cases.reports import exposure

    since, until = month
    estimate = exposure(hq_analyst, since=since, until=until)
    assert (estimate["complaints"], estimate["silent"], estimate["told"]) == (7, 189, 3402)
    client.force_login(hq_analyst)
    client.post(
        "/cases/rules/word-of-mouth/", {"silent_per_complaint": "10", "told_per_dissatisfied": "5"}
    )
    assert exposure(hq_analyst, since=since, until=until)["told"] == 350
    answer = client.post(
        "/cases/rules/word-of-mouth/",
        {"silent_per_complaint": "0", "told_per_dissatisfied": "5"},
        follow=True,
    )
    assert "at least one customer" in answer.text
    assert 'data-testid="exposure"' in client.get("/cases/reports/").text
