"""An import reads and parses the next batch while the database writes this one: the
batches still come in order, a broken file still stops the import at its row, and the
messages are in the importing person's language."""

import threading
from contextlib import closing

import pytest
from django.utils import translation

from manyi.imports.readahead import read_ahead


def test_the_batches_come_in_order_and_never_more_than_two_ahead():
    made, taken, furthest = [], [], []

    def batches():
        for number in range(20):
            made.append(number)
            furthest.append(len(made) - len(taken))
            yield number

    for number in read_ahead(batches, depth=2):
        taken.append(number)
    assert taken == list(range(20))
    # Two in the queue and one in hand, while the reader holds the one it took.
    assert max(furthest) <= 4


def test_a_broken_file_stops_the_import_at_its_row():
    def batches():
        yield "first"
        raise ValueError("row 4001 cannot be read")

    taken = []
    with pytest.raises(ValueError, match="row 4001"):
        for batch in read_ahead(batches):
            taken.append(batch)
    assert taken == ["first"]


def test_an_import_that_stops_early_stops_the_reading_too():
    closed = threading.Event()

    def batches():
        try:
            yield from range(1000)
        finally:
            closed.set()

    for number in read_ahead(batches):
        if number == 3:
            break
    assert closed.wait(timeout=5)
    assert not any(thread.name == "import-read-ahead" for thread in threading.enumerate())


def test_the_messages_are_written_in_the_importing_persons_language():
    def batches():
        yield translation.get_language()

    with translation.override("zh-hans"):
        assert list(read_ahead(batches)) == ["zh-hans"]


def test_the_last_batch_is_never_left_behind():
    for _ in range(200):  # the thread may end before or after the reader asks
        assert list(read_ahead(lambda: iter(["only"]))) == ["only"]


def test_a_write_that_fails_stops_the_reading():
    def batches():
        yield from range(1000)

    with pytest.raises(RuntimeError), closing(read_ahead(batches)) as parsed:
        for number in parsed:
            if number == 2:
                raise RuntimeError("the database refused the batch")
    assert not any(thread.name == "import-read-ahead" for thread in threading.enumerate())
