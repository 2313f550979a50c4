"""An import writes a batch behind its checks of the next one, on its one connection: what
it reads after handing the batch over includes the batch, the writer's failure is the
import's, and an import that fails itself leaves no writer running."""

import threading
import time

import pytest
from django.db import IntegrityError, transaction

from manyi.bulk import insert_many
from manyi.customers.models import ServiceEvent
from manyi.imports.writer import BackgroundWriter
from tests.conftest import at


def event_row(customer, external_id: str) -> dict:
    return {
        "external_id": external_id,
        "kind": "repair",
        "unit_id": customer.unit_id,
        "customer_id": customer.pk,
        "opened_at": at("2026-03-02 09:30"),
    }


def slowly_insert(customer, external_id: str, started: threading.Event | None = None):
    def work() -> None:
        if started:
            started.set()
        time.sleep(0.2)  # the caller queries meanwhile, unless it waits
        insert_many(ServiceEvent, [event_row(customer, external_id)])

    return work


def test_a_query_after_the_hand_over_sees_the_batch(customer_a):
    # Li Ming's repair order is handed to the writer; the next look-up must find it.
    with transaction.atomic(), BackgroundWriter() as writer:
        writer.start(slowly_insert(customer_a, "RO-1"))
        assert ServiceEvent.objects.filter(external_id="RO-1").count() == 1


def test_the_writers_failure_reaches_the_import_at_its_next_step(customer_a, event_a):
    # The order RO-A1 is stored already: writing it again breaks its unique key.
    with pytest.raises(IntegrityError), transaction.atomic(), BackgroundWriter() as writer:
        writer.start(slowly_insert(customer_a, event_a.external_id))
        writer.wait()
    assert ServiceEvent.objects.count() == 1


def test_an_import_that_fails_itself_leaves_no_writer_running(customer_a):
    started = threading.Event()
    threads_before = threading.active_count()
    failing = pytest.raises(ValueError, match="a bug of the import")
    with failing, transaction.atomic(), BackgroundWriter() as writer:
        writer.start(slowly_insert(customer_a, "RO-2", started))
        started.wait()
        raise ValueError("a bug of the import")
    assert threading.active_count() == threads_before
    assert not ServiceEvent.objects.filter(external_id="RO-2").exists()


def test_work_handed_over_behind_other_work_runs_after_it(customer_a):
    # The where-served rows follow the batch's COPY; they must not overtake it.
    seen = []
    with transaction.atomic(), BackgroundWriter() as writer:
        writer.start(slowly_insert(customer_a, "RO-3"))
        writer.start(lambda: seen.append(ServiceEvent.objects.filter(external_id="RO-3").exists()))
    assert seen == [True]


def test_after_a_failure_the_work_behind_it_does_not_run(customer_a, event_a):
    ran = []
    with pytest.raises(IntegrityError), transaction.atomic(), BackgroundWriter() as writer:
        writer.start(slowly_insert(customer_a, event_a.external_id))
        writer.start(lambda: ran.append(True))
    assert ran == []
