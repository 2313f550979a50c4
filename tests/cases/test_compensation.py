"""The satisfaction guarantee: a handler grants what is within their authority, asks
above it, and what was given lands in the register."""

from decimal import Decimal

import pytest
from django.utils import timezone

from manyi.cases.compensation import (
    AboveLimitError,
    awaiting_approval,
    compensation_decide,
    compensation_give,
    compensation_propose,
    register,
)
from manyi.cases.models import CompensationStatus, Step
from manyi.cases.services import case_open
from manyi.errors import DomainError


@pytest.fixture
def handler(hui):
    return hui


@pytest.fixture
def case(network, handler):
    return case_open(
        actor=handler, kind="complaint", unit=network.store_a, subject="Scratch after wash",
        channel="walk_in",
    )  # fmt: skip


def test_a_small_gesture_is_granted_on_the_spot(handler, case):
    voucher = compensation_propose(
        actor=handler, case=case, kind="voucher", amount=Decimal("150"), description="Car wash"
    )
    assert voucher.status == CompensationStatus.APPROVED and voucher.decided_by == handler


def test_above_the_limit_waits_for_someone_with_authority(
    handler, case, store_a_manager, north_manager
):
    refund = compensation_propose(actor=handler, case=case, kind="refund", amount=Decimal("3000"))
    case.refresh_from_db()
    assert refund.status == CompensationStatus.PROPOSED and case.step == Step.APPROVE
    assert list(awaiting_approval(store_a_manager)) == []  # 2,000 is the store's limit
    with pytest.raises(AboveLimitError):
        compensation_decide(actor=store_a_manager, compensation=refund, approve=True)
    assert list(awaiting_approval(north_manager)) == [refund]
    approved = compensation_decide(actor=north_manager, compensation=refund, approve=True)
    case.refresh_from_db()
    assert approved.status == CompensationStatus.APPROVED and case.step == Step.CARRY_OUT


def test_nobody_approves_their_own_proposal(store_a_manager, case):
    gift = compensation_propose(
        actor=store_a_manager, case=case, kind="gift", amount=Decimal("5000")
    )
    with pytest.raises(DomainError):
        compensation_decide(actor=store_a_manager, compensation=gift, approve=True)


def test_what_was_given_is_in_the_register(handler, case, store_a_manager, store_b_manager):
    voucher = compensation_propose(actor=handler, case=case, kind="voucher", amount=Decimal("80"))
    with pytest.raises(DomainError):
        compensation_decide(actor=store_a_manager, compensation=voucher, approve=False)
    compensation_give(actor=handler, compensation=voucher)
    now = timezone.now()
    since, until = now.replace(day=1, hour=0), now + timezone.timedelta(days=1)
    (row,) = register(store_a_manager, since=since, until=until)
    assert row["kind"] == "voucher" and row["total"] == Decimal("80") and row["count"] == 1
    assert register(store_b_manager, since=since, until=until) == []


def test_bad_amounts_and_closed_cases_are_refused(handler, case):
    with pytest.raises(DomainError):
        compensation_propose(actor=handler, case=case, kind="voucher", amount=Decimal("-1"))
    with pytest.raises(DomainError):
        compensation_propose(actor=handler, case=case, kind="yacht", amount=Decimal("1"))


def test_the_case_page_offers_with_the_solution_and_approves(
    client, handler, store_a_manager, case
):
    client.force_login(handler)
    client.post(
        f"/cases/{case.pk}/propose/",
        {"solution": "Refund the wash", "kind": "refund", "amount": "900"},
    )
    refund = case.compensations.get()
    assert refund.status == CompensationStatus.PROPOSED
    answer = client.post(f"/cases/compensation/{refund.pk}/approve/", follow=True)
    assert "Someone else approves" in answer.text
    client.force_login(store_a_manager)
    client.post(f"/cases/compensation/{refund.pk}/approve/")
    refund.refresh_from_db()
    assert refund.status == CompensationStatus.APPROVED
    answer = client.post(
        f"/cases/{case.pk}/propose/",
        {"solution": "More", "kind": "refund", "amount": "lots"},
        follow=True,
    )
    assert answer.status_code == 200 and case.compensations.count() == 1
    page = client.get("/cases/compensation/")
    assert page.status_code == 200


def test_compensation_has_one_way_in_the_solution_step(client, handler, case):
    client.force_login(handler)
    assert client.post(f"/cases/{case.pk}/compensation/", {"kind": "gift"}).status_code == 404
    assert "/compensation/" not in client.get(f"/cases/{case.pk}/").content.decode().replace(
        "/cases/compensation/", ""
    )


def test_an_amount_beyond_any_real_compensation_is_refused(handler, case):
    for amount in ("1e400", "Infinity", "NaN", "1000000000"):
        with pytest.raises(DomainError):
            compensation_propose(actor=handler, case=case, kind="refund", amount=Decimal(amount))
    assert not case.compensations.exists()


def test_the_page_offers_only_buttons_that_can_succeed(client, handler, store_a_manager, case):
    client.force_login(handler)
    client.post(
        f"/cases/{case.pk}/propose/",
        {"solution": "Refund the wash", "kind": "refund", "amount": "900"},
    )
    page = client.get(f"/cases/{case.pk}/").text
    assert 'data-testid="approve"' not in page  # her own proposal, above her limit
    assert 'data-testid="approval-elsewhere"' in page
    assert 'data-testid="resolve"' not in page and "resolve-after-approval" in page
    client.force_login(store_a_manager)
    page = client.get(f"/cases/{case.pk}/").text
    assert 'data-testid="approve"' in page
