"""However many workers run care and wherever one is killed, each visit gets one
callback and each greeting goes once: the claim and the message share a transaction,
and the unique keys turn a second worker's insert into nothing."""

import threading
from datetime import date, datetime

import pytest
from django.db import connection

from manyi.care import touches as touches_module
from manyi.care.models import Callback, CareTouch, TouchStatus
from manyi.care.services import callbacks_schedule, care_rule_save
from manyi.care.touches import touches_plan, touches_send
from manyi.customers.models import Contact
from manyi.customers.services import customer_create, event_create
from manyi.notify.models import Message
from tests.conftest import SHANGHAI

TODAY = date(2026, 9, 20)
BIRTHDAY = datetime(2026, 9, 25, 12, 0, tzinfo=SHANGHAI)


def _birthdays(network, hq_analyst, count: int) -> None:
    for n in range(count):
        customer_create(
            actor=None,
            external_id=f"B-{n}",
            unit=network.store_a,
            name=f"Owner {n}",
            phone=f"1390000{n:04d}",
            birth_date=date(1980, 9, 25),
        )
    Contact.objects.update(marketing_consent=True)
    care_rule_save(actor=hq_analyst, code="birthday", name="Birthday", kind="birthday")
    touches_plan(today=TODAY)


def _at_once(work, workers: int = 2) -> list[Exception]:
    barrier, errors = threading.Barrier(workers), []

    def run() -> None:
        try:
            barrier.wait()
            work()
        except Exception as error:  # reported by the caller
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(workers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return errors


def test_a_worker_killed_while_sending_leaves_the_greeting_to_the_next(
    network, hq_analyst, monkeypatch
):
    _birthdays(network, hq_analyst, 3)

    def killed(**kwargs):
        raise SystemExit("worker killed")

    with monkeypatch.context() as patch:
        patch.setattr(touches_module, "customer_message_send", killed)
        with pytest.raises(SystemExit):
            touches_send(now=BIRTHDAY)
    assert not Message.objects.exists()
    assert CareTouch.objects.filter(status=TouchStatus.PLANNED).count() == 3  # none lost
    assert touches_send(now=BIRTHDAY) == 3
    assert touches_send(now=BIRTHDAY) == 0
    assert Message.objects.filter(purpose="care").count() == 3


@pytest.mark.django_db(transaction=True)
def test_two_workers_send_each_greeting_once(network, hq_analyst):
    if connection.vendor != "postgresql":
        pytest.skip("concurrent writers are PostgreSQL's; the embedded setup runs one worker")
    _birthdays(network, hq_analyst, 30)
    errors = _at_once(lambda: [touches_send(now=BIRTHDAY, limit=7) for _ in range(6)])
    assert errors == []
    assert Message.objects.filter(purpose="care").count() == 30
    assert Message.objects.values("customer_id").distinct().count() == 30
    assert not CareTouch.objects.filter(status=TouchStatus.PLANNED).exists()


@pytest.mark.django_db(transaction=True)
def test_two_workers_scheduling_at_once_give_each_visit_one_callback(
    network, hq_analyst, customer_a
):
    from datetime import timedelta

    from django.utils import timezone

    from manyi.care.models import CareRule

    if connection.vendor != "postgresql":
        pytest.skip("concurrent writers are PostgreSQL's; the embedded setup runs one worker")
    rule = care_rule_save(
        actor=hq_analyst, code="three-day", name="3-day", event_kinds=["repair"],
        delay_business_days=0,
    )  # fmt: skip
    CareRule.objects.filter(pk=rule.pk).update(created_at=timezone.now() - timedelta(days=9))
    closed = timezone.now() - timedelta(days=1)
    for n in range(25):
        event_create(
            actor=None, external_id=f"RO-{n}", kind="repair", unit=network.store_a,
            customer=customer_a, opened_at=closed - timedelta(hours=2), closed_at=closed,
        )  # fmt: skip
    errors = _at_once(lambda: [callbacks_schedule(batch=10) for _ in range(4)])
    assert errors == []
    assert Callback.objects.count() == 25
    assert Callback.objects.values("event_id").distinct().count() == 25
