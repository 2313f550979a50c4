"""The quick-response sweep: a warning at 80 %, an escalation up the org tree on a
breach with the overdue recorded against the owner — each exactly once, however
often the sweep runs, however many workers run it, wherever one is killed."""

from datetime import timedelta

import pytest
from django.utils import timezone, translation

from manyi.cases import sweep as sweep_module
from manyi.cases.models import (
    BusinessCalendar,
    Case,
    Cause,
    DeadlineAction,
    DeadlineWatch,
    SlaPolicy,
)
from manyi.cases.seeds import seed_defaults
from manyi.cases.services import case_open, case_reply
from manyi.cases.sweep import sla_sweep
from manyi.cases.timeline import timeline
from manyi.notify.models import Message


@pytest.fixture
def round_the_clock(network):
    """Store A answers complaints 24×7: deadlines in plain hours (normal: 4 h and 24 h)."""
    return BusinessCalendar.objects.create(unit=network.store_a, name="24×7", always_open=True)


@pytest.fixture
def owner(advisor_a):
    advisor_a.email = "alan@example.com"
    advisor_a.save()
    return advisor_a


@pytest.fixture
def managers(store_a_manager, north_manager):
    for person, address in (
        (store_a_manager, "amy@example.com"),
        (north_manager, "nick@example.com"),
    ):
        person.email = address
        person.save()
    return store_a_manager, north_manager


def _case(network, owner, hours_ago: float) -> Case:
    return case_open(
        actor=None,
        kind="complaint",
        unit=network.store_a,
        subject="Scratched door",
        channel="phone",
        owner=owner,
        opened_at=timezone.now() - timedelta(hours=hours_ago),
    )


def test_the_owner_is_warned_once_at_eighty_percent(network, round_the_clock, owner, managers):
    case = _case(network, owner, hours_ago=3.5)  # 80 % of 4 h is 3.2 h
    assert sla_sweep() == 1
    assert sla_sweep() == 0
    warning = DeadlineAction.objects.get(case=case)
    assert warning.action == "warning" and warning.deadline == "first_response"
    assert [line.kind for line in timeline(case)].count("warning") == 1
    assert list(Message.objects.values_list("recipient", flat=True)) == ["alan@example.com"]
    case.refresh_from_db()
    assert case.watch.next_check_at == case.first_response_due


def test_a_breach_escalates_to_the_store_then_the_region(network, round_the_clock, owner, managers):
    case = _case(network, owner, hours_ago=5)
    sla_sweep()
    sla_sweep()
    # Already past its deadline: the breach, and no stale warning before it.
    breach = DeadlineAction.objects.get(case=case)
    assert breach.action == "breach"
    assert breach.staff == owner and breach.escalated_to == network.store_a
    case.refresh_from_db()
    assert case.escalation_level == 1 and case.watch.next_check_deadline == "resolution"
    assert "amy@example.com" in Message.objects.values_list("recipient", flat=True)
    [escalation] = [line for line in timeline(case) if line.kind == "escalation"]
    assert "Store A" in escalation.body
    assert abs(escalation.at - timezone.now()) < timedelta(minutes=1)
    message = Message.objects.get(recipient="amy@example.com")
    assert message.status == "queued" and message.send_after <= timezone.now()
    # A day later the resolution deadline passes too: up to the region.
    later = timezone.now() + timedelta(hours=20)
    sla_sweep(now=later)
    sla_sweep(now=later)
    case.refresh_from_db()
    resolution = DeadlineAction.objects.get(case=case, deadline="resolution", action="breach")
    assert resolution.escalated_to == network.north and case.escalation_level == 2
    assert "nick@example.com" in Message.objects.values_list("recipient", flat=True)
    assert case.watch.next_check_at is None
    assert sla_sweep(now=later + timedelta(days=5)) == 0


def test_the_timeline_words_a_breach_in_the_readers_language(
    network, round_the_clock, owner, managers
):
    # The worker swept in English; Amy reads the case in Chinese, Nick in English.
    case = _case(network, owner, hours_ago=5)
    with translation.override("en"):
        sla_sweep()
    with translation.override("zh-hans"):
        [line] = [line for line in timeline(case) if line.kind == "escalation"]
        assert "首次响应" in line.body and "Store A" in line.body
    with translation.override("en"):
        [line] = [line for line in timeline(case) if line.kind == "escalation"]
        assert line.body.startswith("First response overdue since")


def test_a_first_reply_in_time_means_no_first_response_breach(network, round_the_clock, owner):
    case = _case(network, owner, hours_ago=1)
    case_reply(actor=owner, case=case, body="We are sorry; a new door panel is ordered.")
    sla_sweep(now=timezone.now() + timedelta(hours=4))
    assert not DeadlineAction.objects.filter(case=case, deadline="first_response").exists()


def test_a_worker_killed_mid_action_leaves_nothing_half_done(
    network, round_the_clock, owner, managers, monkeypatch
):
    case = _case(network, owner, hours_ago=5)

    def killed(*args, **kwargs):
        raise SystemExit("worker killed")

    with monkeypatch.context() as patch:
        patch.setattr(sweep_module._Pass, "_notify", killed)
        with pytest.raises(SystemExit):
            sla_sweep()
    assert not DeadlineAction.objects.exists() and not Message.objects.exists()
    assert DeadlineWatch.objects.get(case=case).next_check_at <= timezone.now()  # still due
    sla_sweep()
    sla_sweep()
    assert DeadlineAction.objects.filter(case=case, action="breach").count() == 1
    assert [line.kind for line in timeline(case)].count("escalation") == 1


def test_a_pass_reads_only_the_due_cases(
    network, round_the_clock, owner, django_assert_max_num_queries
):
    for _ in range(30):
        _case(network, owner, hours_ago=0)  # open, nothing due for hours
    with django_assert_max_num_queries(3):  # the claim, inside its savepoint
        assert sla_sweep() == 0


@pytest.mark.django_db(transaction=True)
def test_two_workers_sweeping_at_once_act_on_each_case_once(network, round_the_clock, owner):
    import threading

    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("SKIP LOCKED claims are PostgreSQL's; the embedded setup runs one worker")
    # Transactional tests run last, after others have emptied the seeded tables.
    seed_defaults(Cause, SlaPolicy, BusinessCalendar)
    for _ in range(40):
        _case(network, owner, hours_ago=5)
    barrier = threading.Barrier(2)
    errors = []

    def worker() -> None:
        try:
            barrier.wait()
            for _ in range(3):
                sla_sweep(limit=7)
                sla_sweep()
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
    assert DeadlineAction.objects.filter(action="breach").count() == 40
    assert DeadlineAction.objects.count() == 40
    assert Case.objects.filter(watch__escalation_level=1).count() == 40


@pytest.mark.django_db(transaction=True)
def test_a_reply_while_the_sweep_holds_the_case_waits_and_neither_fails(
    network, round_the_clock, owner, managers, monkeypatch
):
    import threading
    import time

    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("row locks are PostgreSQL's; the embedded setup runs one worker")
    seed_defaults(Cause, SlaPolicy, BusinessCalendar)
    case = _case(network, owner, hours_ago=5)
    claimed, errors = threading.Event(), []
    run = sweep_module._Pass.run

    def run_once_the_reply_waits(self):
        claimed.set()
        # Alan's reply locks the case, then waits for the watch the sweep holds.
        with connection.cursor() as cursor:
            for _ in range(100):
                cursor.execute("SELECT count(*) FROM pg_locks WHERE NOT granted")
                if cursor.fetchone()[0]:
                    break
                time.sleep(0.05)
        run(self)

    def sweeper() -> None:
        try:
            sla_sweep()
        except Exception as error:  # reported below
            errors.append(error)
        finally:
            connection.close()

    def replier() -> None:
        try:
            claimed.wait(10)
            case_reply(actor=owner, case=case, body="We are sorry; the panel is ordered.")
        except Exception as error:  # reported below
            errors.append(error)
        finally:
            connection.close()

    monkeypatch.setattr(sweep_module._Pass, "run", run_once_the_reply_waits)
    threads = [threading.Thread(target=sweeper), threading.Thread(target=replier)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []  # no deadlock: the sweep's commit does not wait on the reply
    case.refresh_from_db()
    assert case.first_responded_at is not None
    assert DeadlineAction.objects.filter(case=case, action="breach").count() == 1
