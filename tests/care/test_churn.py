"""Who is drifting away, and why: the nightly refresh names each customer's reasons and
puts the most worrying, most valuable first; win-back calls end retained or lost, with
the reason for loss counted.

Li Ming had his car serviced at store A every three months for two years, scored his
last two visits poorly and has not come back for ten months. Amy manages store A, Ben
store B; Hui handles store A's calls. Around them, two hundred customers of both stores
come and go as customers do."""

from datetime import date, datetime, time, timedelta

import numpy as np
import pytest
from django.utils import timezone

from manyi.audit.models import AuditEntry
from manyi.care.churn import churn_refresh, visits_load
from manyi.care.churn_selectors import loss_pareto, returns_by_unit, risk_list
from manyi.care.models import ChurnPolicy, ChurnRisk, ChurnRun, RiskReason, WinBackStatus
from manyi.care.retention_cells import cells_rebuild
from manyi.care.winback import (
    WinBackError,
    winback_call_record,
    winback_open,
    winbacks_mark_returned,
)
from manyi.cases.services import case_open
from manyi.customers.models import Customer, ServiceEvent
from manyi.surveys.models import Response
from tests.surveys.fixtures import csi_version  # noqa: F401

TODAY = date(2026, 11, 30)


def _moment(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(10, 0)))


@pytest.fixture
def crowd(network):
    """Two hundred customers over two years: visits at random intervals, and a third of
    them gone at some point."""
    rng = np.random.default_rng(4)
    customers = Customer.objects.bulk_create(
        Customer(external_id=f"CR-{i}", unit=network.store_a if i % 2 else network.store_b,
                 name=f"Customer {i}")
        for i in range(200)
    )  # fmt: skip
    events = []
    for customer in customers:
        day = TODAY - timedelta(days=int(rng.integers(500, 730)))
        gone = TODAY - timedelta(days=int(rng.integers(0, 500))) if rng.random() < 0.33 else TODAY
        while day <= gone:
            events.append(
                ServiceEvent(
                    external_id=f"V-{len(events)}", kind="maintenance", unit=customer.unit,
                    customer=customer, opened_at=_moment(day), closed_at=_moment(day),
                )
            )  # fmt: skip
            day += timedelta(days=int(rng.gamma(2, 45)) + 1)
    ServiceEvent.objects.bulk_create(events)
    return customers


@pytest.fixture
def li_ming(network, customer_a, csi_version):  # noqa: F811
    """Every three months for two years at store A; the last two visits scored poorly."""
    for n in range(9):
        day = TODAY - timedelta(days=300 + 90 * (8 - n))
        event = ServiceEvent.objects.create(
            external_id=f"LM-{n}", kind="repair", unit=network.store_a, customer=customer_a,
            opened_at=_moment(day), closed_at=_moment(day),
        )  # fmt: skip
        if n >= 7:
            Response.objects.create(
                version=csi_version, customer=customer_a, event=event, unit=network.store_a,
                channel="sms", submitted_at=_moment(day + timedelta(days=3)), answers={},
                index=420.0,
            )  # fmt: skip
    return customer_a


def _row(customer) -> ChurnRisk:
    return ChurnRisk.objects.get(customer=customer)


def test_a_customer_gone_after_two_poor_visits_tops_his_store_list(crowd, li_ming, store_a_manager):
    run = churn_refresh(today=TODAY)
    assert run.error == "" and run.at_risk > 0
    row = _row(li_ming)
    assert set(row.reasons) == {RiskReason.OVERDUE, RiskReason.DRIFTING, RiskReason.TWO_POOR}
    assert row.visits == 9 and row.interval_days == 90 and row.last_visit == TODAY - timedelta(300)
    assert row.p_alive < 0.5
    assert risk_list(store_a_manager).first().customer == li_ming


def test_the_list_is_refreshed_once_a_day(crowd, li_ming):
    assert churn_refresh(today=TODAY) is not None
    assert churn_refresh(today=TODAY) is None  # a second worker, the same night
    assert ChurnRun.objects.count() == 1
    assert churn_refresh(today=TODAY + timedelta(days=1)).run_on == TODAY + timedelta(days=1)


def test_a_regular_customer_who_came_lately_is_not_on_the_list(crowd, network, customer_b):
    for n in range(8):
        day = TODAY - timedelta(days=10 + 90 * n)
        ServiceEvent.objects.create(
            external_id=f"WF-{n}", kind="maintenance", unit=network.store_b, customer=customer_b,
            opened_at=_moment(day), closed_at=_moment(day),
        )  # fmt: skip
    churn_refresh(today=TODAY)
    assert not ChurnRisk.objects.filter(customer=customer_b).exists()


def test_an_open_complaint_and_a_departed_advisor_are_reasons(
    crowd, li_ming, advisor_a, hui, network
):
    Customer.objects.filter(pk=li_ming.pk).update(advisor=advisor_a)
    advisor_a.is_active = False
    advisor_a.save(update_fields=["is_active"])
    case_open(actor=hui, kind="complaint", unit=network.store_a, subject="Noise after repair",
              channel="phone", customer=li_ming)  # fmt: skip
    churn_refresh(today=TODAY)
    reasons = _row(li_ming).reasons
    assert RiskReason.COMPLAINT_OPEN in reasons and RiskReason.ADVISOR_LEFT in reasons


def test_another_store_never_sees_nor_calls_the_customer(crowd, li_ming, store_b_manager):
    churn_refresh(today=TODAY)
    assert not risk_list(store_b_manager).filter(customer=li_ming).exists()
    with pytest.raises(WinBackError, match="outside your part"):
        winback_open(actor=store_b_manager, risk=_row(li_ming))


def test_a_lost_customer_needs_a_reason_and_is_counted(crowd, li_ming, hui, hq_analyst):
    churn_refresh(today=TODAY)
    task = winback_open(actor=hui, risk=_row(li_ming))
    assert task.reasons == _row(li_ming).reasons and task.assignee == hui
    with pytest.raises(WinBackError, match="already open"):
        winback_open(actor=hui, risk=_row(li_ming))
    with pytest.raises(WinBackError, match="Say why"):
        winback_call_record(actor=hui, winback=task, outcome="lost")
    task = winback_call_record(actor=hui, winback=task, outcome="lost", loss_reason="dissatisfied",
                               note="Still angry about the repair")  # fmt: skip
    assert task.status == WinBackStatus.LOST and task.closed_at is not None
    bars = loss_pareto(hq_analyst, since=TODAY - timedelta(days=30))
    assert [(bar.reason, bar.count, bar.cumulative) for bar in bars] == [("dissatisfied", 1, 1.0)]
    assert AuditEntry.objects.filter(action__startswith="winback.").count() == 2
    with pytest.raises(WinBackError, match="finished"):
        winback_call_record(actor=hui, winback=task, outcome="booked")
    # Lost lately: tomorrow's list leaves him off.
    churn_refresh(today=TODAY + timedelta(days=1))
    assert not ChurnRisk.objects.filter(customer=li_ming).exists()


def test_a_booked_customer_who_comes_back_is_retained_once(crowd, li_ming, hui, network):
    churn_refresh(today=TODAY)
    task = winback_call_record(
        actor=hui, winback=winback_open(actor=hui, risk=_row(li_ming)), outcome="booked"
    )
    assert task.status == WinBackStatus.BOOKED
    assert winbacks_mark_returned() == 0  # not yet come
    back = timezone.now() + timedelta(hours=1)
    ServiceEvent.objects.create(external_id="LM-back", kind="maintenance", unit=network.store_a,
                                customer=li_ming, opened_at=back, closed_at=back)  # fmt: skip
    assert winbacks_mark_returned() == 1
    assert winbacks_mark_returned() == 0
    task.refresh_from_db()
    assert task.status == WinBackStatus.RETAINED and task.came_back_at == back


def test_three_unanswered_calls_make_the_customer_unreachable(crowd, li_ming, hui):
    churn_refresh(today=TODAY)
    task = winback_open(actor=hui, risk=_row(li_ming))
    for _ in range(3):
        task = winback_call_record(actor=hui, winback=task, outcome="no_answer")
    assert task.status == WinBackStatus.UNREACHABLE and task.attempts == 3


def test_an_advisor_may_not_call_for_a_win_back(crowd, li_ming, advisor_a):
    churn_refresh(today=TODAY)
    with pytest.raises(WinBackError, match="may not"):
        winback_open(actor=advisor_a, risk=_row(li_ming))


def test_returns_count_visits_whose_year_has_passed(network, customer_a, customer_b, hq_analyst):
    """Li Ming came back (to store B) 100 days after a visit to store A 500 days ago, and
    not again; Wang Fang came once, 400 days ago. A year has passed after each visit."""
    for ref, customer, unit, days in [
        ("R1", customer_a, network.store_a, 500),
        ("R2", customer_a, network.store_b, 400),
        ("R3", customer_b, network.store_a, 400),
    ]:
        ServiceEvent.objects.create(
            external_id=ref, kind="maintenance", unit=unit, customer=customer,
            opened_at=_moment(TODAY - timedelta(days)), closed_at=_moment(TODAY),
        )  # fmt: skip
    visits = visits_load(since=TODAY - timedelta(days=1000), until=TODAY)
    cells_rebuild(visits, {}, until=TODAY.toordinal(), policy=ChurnPolicy.current())
    rows = {row.unit.code: row for row in returns_by_unit(
        hq_analyst, since=TODAY - timedelta(days=600), until=TODAY)}  # fmt: skip
    store_a = rows[network.store_a.code]
    assert (store_a.visits, store_a.decided, store_a.returned, store_a.returned_here) == (
        2,
        2,
        1,
        0,
    )  # Li Ming came back, but to store B
    store_b = rows[network.store_b.code]
    assert (store_b.decided, store_b.returned) == (1, 0)
