"""Overdue actions go the cases' way: Amy (store A's manager) is warned at 80 % of the
business time to her action's due date, and when the day is over the action escalates to
the North region, where Nick hears of it — each exactly once, however often the sweep
runs and however many workers run it."""

from datetime import date, datetime, timedelta

import pytest
from django.db import connection
from django.utils import timezone

from manyi.cases.models import BusinessCalendar
from manyi.improve.home import escalated_actions, my_actions
from manyi.improve.models import ActionDeadline, ActionPlan
from manyi.improve.overdue import actions_overdue_sweep
from manyi.improve.services.actions import action_close, action_open, action_redate
from manyi.notify.models import Message

OPENED = timezone.make_aware(datetime(2026, 11, 2, 10, 0))  # a Monday


@pytest.fixture
def people(store_a_manager, north_manager):
    for person, address in ((store_a_manager, "amy@example.com"),
                            (north_manager, "nick@example.com")):  # fmt: skip
        person.email = address
        person.save()
    return store_a_manager, north_manager


@pytest.fixture
def round_the_clock(network):
    return BusinessCalendar.objects.create(unit=network.store_a, name="24×7", always_open=True)


def _open(network, amy, *, due_on: date, opened: datetime = OPENED) -> ActionPlan:
    return action_open(actor=amy, unit=network.store_a, title="Protective covers every time",
                       owner=amy, due_on=due_on, now=opened)  # fmt: skip


def test_amy_is_warned_once_then_the_region_hears_once(network, people, round_the_clock):
    amy, nick = people
    plan = _open(network, amy, due_on=date(2026, 11, 11))  # ten whole days from opening
    due = timezone.make_aware(datetime(2026, 11, 12))
    warn_at = OPENED + 0.8 * (due - OPENED)
    assert plan.next_check_at == warn_at
    assert actions_overdue_sweep(now=warn_at - timedelta(minutes=1)) == 0

    assert actions_overdue_sweep(now=warn_at) == 1
    assert actions_overdue_sweep(now=warn_at + timedelta(hours=1)) == 0
    warning = Message.objects.get(purpose="action_deadline")
    assert warning.recipient == "amy@example.com" and "2026-11-11" in warning.body

    assert actions_overdue_sweep(now=due + timedelta(hours=3)) == 1
    assert actions_overdue_sweep(now=due + timedelta(days=3)) == 0
    breach = ActionDeadline.objects.get(kind="breach")
    assert breach.escalated_to == network.north
    plan.refresh_from_db()
    assert plan.escalation_level == 1 and plan.next_check_at is None
    told = Message.objects.filter(purpose="action_deadline").values_list("recipient", flat=True)
    assert set(told) == {"amy@example.com", "nick@example.com"}
    assert list(escalated_actions(nick)) == [plan]
    assert list(my_actions(amy)) == [plan]


def test_the_warning_falls_in_the_stores_working_hours(network, people):
    """Without a calendar of its own store A keeps weekday hours, 09:00–18:00."""
    amy, _nick = people
    plan = _open(network, amy, due_on=date(2026, 11, 20))
    local = timezone.localtime(plan.next_check_at)
    assert local.weekday() < 5 and 9 <= local.hour < 18
    assert local.date() < date(2026, 11, 20)


def test_a_new_due_date_is_warned_of_and_escalated_on_its_own(network, people, round_the_clock):
    amy, _nick = people
    today = timezone.localdate()
    plan = _open(network, amy, due_on=today + timedelta(days=3), opened=timezone.now())
    actions_overdue_sweep(now=plan.next_check_at)  # the warning
    assert ActionDeadline.objects.filter(kind="warning").count() == 1
    plan = action_redate(actor=amy, plan=plan, due_on=today + timedelta(days=20),
                         reason="Parts for the lounge arrive late")  # fmt: skip
    assert plan.next_check_at > timezone.now() + timedelta(days=10)
    assert actions_overdue_sweep(now=plan.next_check_at) == 1
    assert ActionDeadline.objects.filter(kind="warning").count() == 2
    assert plan.notes.filter(text__contains="Parts for the lounge").exists()


def test_a_finished_action_is_never_escalated(network, people, round_the_clock):
    amy, _nick = people
    plan = _open(network, amy, due_on=date(2026, 11, 11))
    action_close(actor=amy, plan=plan, status="done", now=OPENED + timedelta(days=1))
    assert actions_overdue_sweep(now=OPENED + timedelta(days=30)) == 0
    assert not ActionDeadline.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_two_workers_escalate_each_overdue_action_once(network, people, round_the_clock):
    import threading

    if connection.vendor != "postgresql":
        pytest.skip("SKIP LOCKED claims are PostgreSQL's; the embedded setup runs one worker")
    amy, _nick = people
    for _ in range(30):
        _open(network, amy, due_on=date(2026, 11, 11))
    later = OPENED + timedelta(days=40)
    barrier, errors = threading.Barrier(2), []

    def worker() -> None:
        try:
            barrier.wait()
            for _ in range(3):
                actions_overdue_sweep(now=later, limit=7)
                actions_overdue_sweep(now=later)
        except Exception as error:  # reported below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert ActionDeadline.objects.filter(kind="breach").count() == 30
    assert ActionDeadline.objects.count() == 30  # past the due moment: no late warning
    assert ActionPlan.objects.filter(escalation_level=1).count() == 30
