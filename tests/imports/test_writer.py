"""An import writes a batch behind its checks of the next one, on its one connection: what
it reads after handing the batch over includes the batch, the writer's failure is the
import's, and an import that fails itself leaves no writer running. On SQLite the
writing happens at once."""

import threading
import time

import pytest
from django.db import IntegrityError, connection, transaction

from manyi.bulk import insert_many
from manyi.customers.models import ServiceEvent
from manyi.imports.writer import BackgroundWriter
from tests.conftest import at

on_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the writer has a thread on PostgreSQL only"
)


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


@on_postgresql
def test_a_query_after_the_hand_over_sees_the_batch(customer_a):
    # Li Ming's repair order is handed to the writer; the next look-up must find it.
    with transaction.atomic(), BackgroundWriter() as writer:
        writer.start(slowly_insert(customer_a, "RO-1"))
        assert ServiceEvent.objects.filter(external_id="RO-1").count() == 1


@on_postgresql
def test_the_writers_failure_is_raised_by_the_imports_next_query(customer_a, event_a):
    # The order RO-A1 is stored already: writing it again breaks its unique key.
    with pytest.raises(IntegrityError), transaction.atomic(), BackgroundWriter() as writer:
        writer.start(slowly_insert(customer_a, event_a.external_id))
        ServiceEvent.objects.count()
    assert ServiceEvent.objects.count() == 1


@on_postgresql
def test_an_import_that_fails_itself_leaves_no_writer_running(customer_a):
    started = threading.Event()
    failing = pytest.raises(ValueError, match="a bug of the import")
    with failing, transaction.atomic(), BackgroundWriter() as writer:
        writer.start(slowly_insert(customer_a, "RO-2", started))
        thread = writer._thread
        started.wait()
        raise ValueError("a bug of the import")
    assert not thread.is_alive()
    assert not ServiceEvent.objects.filter(external_id="RO-2").exists()


@on_postgresql
def test_work_handed_over_behind_other_work_runs_after_it(customer_a):
    # The where-served rows follow the batch's COPY; they must not overtake it.
    seen = []
    with transaction.atomic(), BackgroundWriter() as writer:
        writer.start(slowly_insert(customer_a, "RO-3"))
        writer.start(lambda: seen.append(ServiceEvent.objects.filter(external_id="RO-3").exists()))
    assert seen == [True]


@on_postgresql
def test_after_a_failure_the_work_behind_it_does_not_run(customer_a, event_a):
    ran = []
    with pytest.raises(IntegrityError), transaction.atomic(), BackgroundWriter() as writer:
        writer.start(slowly_insert(customer_a, event_a.external_id))
        writer.start(lambda: ran.append(True))
    assert ran == []


@pytest.mark.skipif(connection.vendor == "postgresql", reason="the embedded database only")
def test_on_sqlite_the_work_is_done_before_the_hand_over_returns(customer_a):
    with transaction.atomic(), BackgroundWriter() as writer:
        writer.start(slowly_insert(customer_a, "RO-4"))
        assert writer._thread is None
        assert ServiceEvent.objects.filter(external_id="RO-4").exists()
