"""Every visit gets its callback: scheduled once after the visit in the store's business
days, called until the customer is reached, and an issue becomes a case.

Zhou is the North region's call-centre agent; Hui handles store A's cases; Li Ming had
his car repaired at store A."""

from datetime import datetime, timedelta

import pytest

from manyi.care.models import Callback, CallbackStatus, CallOutcome, CareRule
from manyi.care.selectors import callback_list, figures_by_caller, figures_by_store
from manyi.care.services import CareError, callback_record, callbacks_schedule, care_rule_save
from manyi.cases.models import Case
from manyi.customers.services import event_create
from tests.conftest import SHANGHAI


@pytest.fixture
def rule(hq_analyst):
    made = care_rule_save(
        actor=hq_analyst,
        code="three-day",
        name="Three-day callback",
        event_kinds=["maintenance", "repair"],
        delay_business_days=1,
        within_days=3,
        max_attempts=3,
        retry_hours=4,
        tiers=[],
        is_active=True,
    )
    # Set long ago, so the visits below fall under it.
    CareRule.objects.filter(pk=made.pk).update(created_at=datetime(2026, 1, 1, tzinfo=SHANGHAI))
    made.refresh_from_db()
    return made


def _visit(network, customer, ref, closed, *, kind="repair", unit=None):
    return event_create(
        actor=None,
        external_id=ref,
        kind=kind,
        unit=unit or network.store_a,
        customer=customer,
        opened_at=closed - timedelta(hours=3),
        closed_at=closed,
    )


WEDNESDAY = datetime(2026, 3, 4, 15, 0, tzinfo=SHANGHAI)
FRIDAY = datetime(2026, 3, 6, 17, 0, tzinfo=SHANGHAI)


def test_a_repair_gets_one_callback_from_the_next_business_day(rule, network, customer_a):
    _visit(network, customer_a, "RO-1", WEDNESDAY)
    assert callbacks_schedule(now=WEDNESDAY + timedelta(hours=1)) == 1
    assert callbacks_schedule(now=WEDNESDAY + timedelta(hours=2)) == 0  # a second pass: none
    callback = Callback.objects.get()
    assert callback.next_call_at == datetime(2026, 3, 5, 9, 0, tzinfo=SHANGHAI)
    assert callback.last_day == datetime(2026, 3, 7).date()  # the visit's day + 3 days
    assert callback.customer == customer_a and callback.unit == network.store_a


def test_a_friday_visit_is_called_on_monday(rule, network, customer_a):
    _visit(network, customer_a, "RO-2", FRIDAY)
    callbacks_schedule(now=FRIDAY + timedelta(hours=1))
    assert Callback.objects.get().next_call_at == datetime(2026, 3, 9, 9, 0, tzinfo=SHANGHAI)


def test_the_last_day_to_reach_is_never_before_the_first_day_to_call(
    hq_analyst, network, customer_a
):
    """A rule calling from the fifth business day still leaves that whole day to call."""
    rule = care_rule_save(
        actor=hq_analyst, code="slow", name="Slow", event_kinds=["repair"],
        delay_business_days=5, within_days=3,
    )  # fmt: skip
    CareRule.objects.filter(pk=rule.pk).update(created_at=datetime(2026, 1, 1, tzinfo=SHANGHAI))
    _visit(network, customer_a, "RO-SLOW", WEDNESDAY)
    callbacks_schedule(now=WEDNESDAY + timedelta(hours=1))
    callback = Callback.objects.get()
    assert callback.next_call_at == datetime(2026, 3, 11, 9, 0, tzinfo=SHANGHAI)
    assert callback.last_day == datetime(2026, 3, 11).date()


def test_visits_the_rule_does_not_cover_get_no_callback(rule, network, customer_a):
    _visit(network, customer_a, "RO-SALE", WEDNESDAY, kind="sale")
    now = WEDNESDAY + timedelta(days=30)
    _visit(network, customer_a, "RO-OLD", now - timedelta(days=20))  # before the lookback
    assert callbacks_schedule(now=now) == 0


def test_two_workers_scheduling_at_once_make_one_callback(rule, network, customer_a):
    from manyi.care import services

    _visit(network, customer_a, "RO-3", WEDNESDAY)
    now = WEDNESDAY + timedelta(hours=1)
    first = services.callbacks_schedule(now=now)
    # The second worker read the same events before the first committed: its insert of
    # the same callback is a no-op on the unique (rule, event) key.
    rows = list(Callback.objects.all())
    for row in rows:
        row.pk = None
    Callback.objects.bulk_create(rows, ignore_conflicts=True)
    assert first == 1 and Callback.objects.count() == 1


@pytest.fixture
def callback(rule, network, customer_a):
    _visit(network, customer_a, "RO-4", WEDNESDAY)
    callbacks_schedule(now=WEDNESDAY + timedelta(hours=1))
    return Callback.objects.get()


THURSDAY_TEN = datetime(2026, 3, 5, 10, 0, tzinfo=SHANGHAI)


def test_a_satisfied_customer_is_reached_in_time(agent, callback):
    done = callback_record(
        actor=agent, callback=callback, outcome=CallOutcome.SATISFIED, now=THURSDAY_TEN
    )
    assert done.status == CallbackStatus.REACHED and done.reached_in_time
    assert done.caller == agent and done.attempts == 1


def test_an_issue_on_the_call_opens_a_complaint_with_the_customers_words(agent, callback):
    done = callback_record(
        actor=agent,
        callback=callback,
        outcome=CallOutcome.ISSUE,
        note="The noise from the front wheel is back.",
        now=THURSDAY_TEN,
    )
    case = Case.objects.get(pk=done.case_id)
    assert case.kind == "complaint" and case.channel == "callback"
    assert case.description == "The noise from the front wheel is back."
    assert case.customer == callback.customer and case.unit == callback.unit
    assert done.status == CallbackStatus.ISSUE and done.reached_at == THURSDAY_TEN


def test_an_issue_needs_the_customers_words(agent, callback):
    with pytest.raises(CareError):
        callback_record(actor=agent, callback=callback, outcome=CallOutcome.ISSUE, now=THURSDAY_TEN)
    assert not Case.objects.exists()


def test_no_answer_is_tried_again_until_the_attempts_run_out(agent, callback):
    now = THURSDAY_TEN
    for _attempt in range(2):
        callback = callback_record(
            actor=agent, callback=callback, outcome=CallOutcome.NO_ANSWER, now=now
        )
        assert callback.status == CallbackStatus.RETRY
        assert callback.next_call_at == now + timedelta(hours=4)
        now += timedelta(hours=5)
    callback = callback_record(
        actor=agent, callback=callback, outcome=CallOutcome.NO_ANSWER, now=now
    )
    assert callback.status == CallbackStatus.UNREACHABLE and callback.attempts == 3
    with pytest.raises(CareError):
        callback_record(actor=agent, callback=callback, outcome=CallOutcome.SATISFIED, now=now)


def test_a_customer_who_asks_not_to_be_called_is_opted_out_of_calls(agent, callback, customer_a):
    callback_record(
        actor=agent, callback=callback, outcome=CallOutcome.DO_NOT_CALL, now=THURSDAY_TEN
    )
    phone = customer_a.contacts.get(channel="phone")
    assert phone.opted_out_at is not None


def test_an_advisor_does_not_make_callbacks_and_store_b_does_not_see_store_a(
    advisor_a, store_b_manager, callback
):
    with pytest.raises(CareError):
        callback_record(actor=advisor_a, callback=callback, outcome=CallOutcome.SATISFIED)
    assert not callback_list(store_b_manager).exists()


def test_vip_customers_are_called_first(rule, network, customer_a, customer_b, store_a_manager):
    from manyi.customers.models import Customer

    Customer.objects.filter(pk=customer_b.pk).update(is_vip=True)
    _visit(network, customer_a, "RO-5", WEDNESDAY)
    _visit(network, customer_b, "RO-6", WEDNESDAY + timedelta(hours=1))
    callbacks_schedule(now=WEDNESDAY + timedelta(hours=2))
    first = callback_list(store_a_manager).first()
    assert first.customer == customer_b and first.vip


def test_the_board_counts_reached_in_time_apart_from_attempts_and_refusals(
    rule, network, customer_a, customer_b, agent, hui, hq_analyst
):
    """Four visits at store A: one reached in time by Zhou, one reached late by Hui,
    one refused, one never answered. Dialling alone does not raise the figure."""
    for n in range(4):
        _visit(network, customer_a if n % 2 else customer_b, f"RO-B{n}", WEDNESDAY)
    callbacks_schedule(now=WEDNESDAY + timedelta(hours=1))
    first, second, third, fourth = Callback.objects.order_by("pk")
    callback_record(actor=agent, callback=first, outcome=CallOutcome.SATISFIED, now=THURSDAY_TEN)
    late = THURSDAY_TEN + timedelta(days=4)
    callback_record(actor=hui, callback=second, outcome=CallOutcome.SATISFIED, now=late)
    callback_record(actor=agent, callback=third, outcome=CallOutcome.REFUSED, now=THURSDAY_TEN)
    callback_record(actor=agent, callback=fourth, outcome=CallOutcome.NO_ANSWER, now=THURSDAY_TEN)
    day = WEDNESDAY.date()
    (store,) = figures_by_store(hq_analyst, since=day, until=day)
    assert (store.label, store.callbacks, store.attempted) == ("Store A", 4, 4)
    assert (store.reached, store.in_time, store.refused, store.still_open) == (2, 1, 1, 1)
    assert store.share == pytest.approx(0.25)
    callers = {
        figure.label: figure for figure in figures_by_caller(hq_analyst, since=day, until=day)
    }
    assert callers[agent.full_name].in_time == 1 and callers[hui.full_name].in_time == 0
