"""Hui, a case handler at store A (she may grant 200 yuan alone), takes Li Ming's
complaint through the seven steps. The refund she proposes is above her authority,
so it waits for Nick, the North region manager, before it can be carried out."""

from decimal import Decimal

import pytest

from manyi.cases import steps
from manyi.cases.compensation import compensation_decide
from manyi.cases.models import Case, CaseStatus, Cause, CompensationStatus, Step
from manyi.cases.services import case_close, case_open, case_reopen, case_reply, case_resolve
from manyi.errors import DomainError


@pytest.fixture
def complaint(hui, network, customer_a):
    return case_open(
        actor=hui, kind="complaint", unit=network.store_a, customer=customer_a,
        subject="Engine light on again after repair", channel="phone",
    )  # fmt: skip


def _done(case: Case) -> dict[str, str]:
    return {s.step: (s.by.username if s.by else "") for s in steps.progress(case) if s.at}


def test_a_complaint_goes_through_the_seven_steps_with_who_and_when(hui, complaint, north_manager):
    assert complaint.step == Step.ACKNOWLEDGE and _done(complaint) == {"record": "hui_handler"}
    case_reply(actor=hui, case=complaint, body="We are sorry; we will look at it today.")
    product = Cause.objects.get(code="product")
    case = steps.case_analyse(
        actor=hui, case=complaint, cause=product, body="Sensor faulty from the supplier."
    )
    assert case.step == Step.PROPOSE and case.cause == product
    case = steps.case_propose(
        actor=hui, case=case, solution="Replace the sensor and refund the repair.",
        kind="refund", amount=Decimal("1200"), description="Refund of RO-7781",
    )  # fmt: skip
    assert case.step == Step.APPROVE  # 1,200 yuan is above Hui's 200
    with pytest.raises(DomainError, match="awaits approval"):
        case_resolve(actor=hui, case=case, body="Done")
    refund = case.compensations.get()
    compensation_decide(actor=north_manager, compensation=refund, approve=True)
    case.refresh_from_db()
    assert case.step == Step.CARRY_OUT
    case = case_resolve(actor=hui, case=case, body="Sensor replaced, refund paid.")
    assert case.step == Step.REVIEW
    case = steps.case_review(
        actor=hui, case=case, root_cause="A batch of faulty sensors.",
        prevention="Supplier batch checked at goods-in.",
    )  # fmt: skip
    assert case.status == CaseStatus.CLOSED and case.prevention
    assert _done(case) == {
        "record": "hui_handler", "acknowledge": "hui_handler", "analyse": "hui_handler",
        "propose": "hui_handler", "approve": "nick_north", "carry_out": "hui_handler",
        "review": "hui_handler",
    }  # fmt: skip


def test_a_solution_within_authority_is_approved_by_the_handler(hui, complaint):
    case = steps.case_propose(
        actor=hui, case=complaint, solution="Free car wash.", kind="voucher",
        amount=Decimal("80"),
    )  # fmt: skip
    assert case.step == Step.CARRY_OUT
    assert case.compensations.get().status == CompensationStatus.APPROVED
    assert _done(case)["approve"] == "hui_handler"


def test_steps_refuse_empty_answers(hui, complaint):
    with pytest.raises(DomainError):
        steps.case_analyse(actor=hui, case=complaint, cause=None, body="?")
    with pytest.raises(DomainError):
        steps.case_propose(actor=hui, case=complaint, solution="  ")
    with pytest.raises(DomainError, match="before the review"):
        steps.case_review(actor=hui, case=complaint, root_cause="x", prevention="y")


def test_a_reopened_case_analyses_again(hui, complaint):
    case = steps.case_propose(actor=hui, case=complaint, solution="Apologise.")
    case = case_resolve(actor=hui, case=case, body="Apologised.")
    case = case_reopen(actor=hui, case=case, reason="The light is on again.")
    done = _done(case)
    assert case.step == Step.ANALYSE and "propose" not in done and "record" in done


def test_a_reopened_complaint_closes_only_by_a_new_review(hui, complaint):
    case = steps.case_propose(actor=hui, case=complaint, solution="Apologise.")
    case = case_resolve(actor=hui, case=case, body="Apologised.")
    case = steps.case_review(
        actor=hui, case=case, root_cause="Booked twice.", prevention="One diary."
    )
    case = case_reopen(actor=hui, case=case, reason="Booked twice again.")
    # The first review stays on the timeline; the case needs its own for this round.
    assert case.root_cause == "" and case.prevention == ""
    assert case.entries.filter(step="review", body__contains="One diary.").exists()
    case = case_resolve(actor=hui, case=case, body="Called and rebooked.")
    with pytest.raises(DomainError, match="review"):
        case_close(actor=hui, case=case)


def test_the_case_page_guides_the_current_step(client, hui, complaint):
    client.force_login(hui)
    client.post(f"/cases/{complaint.pk}/reply/", {"body": "Sorry!", "public": "on"})
    page = client.get(f"/cases/{complaint.pk}/")
    assert 'data-testid="analyse-form"' in page.text
    client.post(
        f"/cases/{complaint.pk}/analyse/",
        {"cause": Cause.objects.get(code="process").pk, "body": "Booked twice."},
    )
    client.post(
        f"/cases/{complaint.pk}/propose/",
        {"solution": "Refund.", "kind": "refund", "amount": "5000", "description": ""},
    )
    page = client.get(f"/cases/{complaint.pk}/")
    assert "awaits approval" in page.text
    answer = client.post(f"/cases/{complaint.pk}/resolve/", {"body": "Done"}, follow=True)
    assert "awaits approval" in answer.text
    complaint.refresh_from_db()
    assert complaint.status == CaseStatus.OPEN and complaint.step == Step.APPROVE
