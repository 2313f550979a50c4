"""Who is drifting away, and why: the nightly refresh names each customer's reasons and
puts the most worrying, most valuable first; win-back calls end retained or lost, with
the reason for loss counted.

Li Ming had his car serviced at store A every three months for two years, scored his
last two visits poorly and has not come back for ten months. Amy manages store A, Ben
store B; Hui handles store A's calls. Around them, two hundred customers of both stores
come and go as customers do."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import numpy as np
import pytest
from django.utils import timezone

from manyi.audit.models import AuditEntry
from manyi.care.churn import (
    ChurnError,
    churn_policy_set,
    churn_refresh,
    local_days,
    visits_load,
)
from manyi.care.churn_selectors import loss_pareto, returns_by_unit, risk_list
from manyi.care.models import ChurnPolicy, ChurnRisk, ChurnRun, RiskReason, WinBackStatus
from manyi.care.retention_cells import cells_rebuild
from manyi.care.winback import (
    WinBackError,
    winback_call_record,
    winback_open,
    winbacks_mark_returned,
    winbacks_reopen_unkept,
)
from manyi.cases.services import case_open
from manyi.customers.models import Customer, ServiceEvent
from manyi.surveys.models import Response
from tests.care.conftest import TODAY, moment


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
            opened_at=moment(day), closed_at=moment(day),
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
            opened_at=moment(TODAY - timedelta(days)), closed_at=moment(TODAY),
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


def test_a_booked_customer_is_expected_however_often_the_phone_rings(crowd, li_ming, hui):
    churn_refresh(today=TODAY)
    task = winback_call_record(
        actor=hui, winback=winback_open(actor=hui, risk=_row(li_ming)), outcome="booked"
    )
    for _ in range(3):
        task = winback_call_record(actor=hui, winback=task, outcome="no_answer")
    assert task.status == WinBackStatus.BOOKED


def test_a_booking_not_kept_puts_the_customer_back_on_the_list(crowd, li_ming, hui):
    churn_refresh(today=TODAY)
    task = winback_call_record(
        actor=hui, winback=winback_open(actor=hui, risk=_row(li_ming)), outcome="booked"
    )
    assert winbacks_reopen_unkept(now=timezone.now() + timedelta(days=29)) == 0
    assert winbacks_reopen_unkept(now=timezone.now() + timedelta(days=31)) == 1
    assert winbacks_reopen_unkept(now=timezone.now() + timedelta(days=32)) == 0
    task.refresh_from_db()
    assert task.status == WinBackStatus.OPEN and task.booked_until is None


def test_a_run_a_killed_worker_left_is_taken_again_later(crowd, li_ming):
    ChurnRun.objects.create(run_on=TODAY, model="best")  # claimed, never finished
    assert churn_refresh(today=TODAY) is None  # its worker may still be at it
    ChurnRun.objects.filter(run_on=TODAY).update(started_at=timezone.now() - timedelta(hours=3))
    run = churn_refresh(today=TODAY)
    assert run is not None and run.finished_at is not None and _row(li_ming)


def test_half_a_year_of_history_builds_the_list_without_the_check(crowd, li_ming):
    ServiceEvent.objects.filter(opened_at__lt=moment(TODAY - timedelta(days=150))).delete()
    ServiceEvent.objects.create(external_id="LM-late", kind="repair", unit=li_ming.unit,
                                customer=li_ming, opened_at=moment(TODAY - timedelta(days=140)),
                                closed_at=moment(TODAY - timedelta(days=140)))  # fmt: skip
    run = churn_refresh(today=TODAY)
    assert run.error == "" and run.holdout == [] and ChurnRisk.objects.exists()


def test_a_score_given_at_another_store_is_not_a_reason_here(crowd, li_ming, network):
    Response.objects.filter(customer=li_ming).update(unit=network.store_b)
    churn_refresh(today=TODAY)
    assert RiskReason.TWO_POOR not in _row(li_ming).reasons  # his row is store A's


def test_headquarters_cannot_set_a_policy_the_model_cannot_use(hq_analyst):
    with pytest.raises(ChurnError, match="a year at least"):
        churn_policy_set(actor=hq_analyst, lookback_months=6)
    with pytest.raises(ChurnError, match="at least 1"):
        churn_policy_set(actor=hq_analyst, return_months=0)
    assert churn_policy_set(actor=hq_analyst, attempts=4).attempts == 4


@pytest.mark.parametrize("zone", ["Asia/Shanghai", "Asia/Kolkata", "Europe/Berlin"])
def test_a_visit_counts_on_its_local_day_in_any_zone(zone):
    """The quarter-hour shortcut against converting every timestamp, across a year with
    summer time (Berlin) and a half-hour offset (Kolkata)."""
    seconds = np.random.default_rng(2).integers(1_767_225_600, 1_798_761_600, 5000)
    with timezone.override(ZoneInfo(zone)):
        got = local_days(seconds)
    expected = [datetime.fromtimestamp(int(s), ZoneInfo(zone)).date().toordinal() for s in seconds]
    assert got.tolist() == expected
