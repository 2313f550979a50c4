"""Closing the loop. Li Ming complained at store A; when Hui resolves the case, Li Ming
is asked how it went. A poor answer puts the case back to work one level up; a good
one leaves it resolved. Ticking "contact me" on the service survey opens a request."""

import pytest

from manyi.audit.models import AuditEntry
from manyi.cases.from_alerts import alerts_to_cases
from manyi.cases.models import Case, CaseKind, CaseStatus, EntryKind, ResurveySetting
from manyi.cases.services import case_open, case_resolve
from manyi.notify.models import Message
from manyi.surveys.services import (
    programme_create,
    questionnaire_create,
    questionnaire_publish,
    response_submit,
)
from tests.surveys.fixtures import GOOD_ANSWERS


@pytest.fixture
def resolution_programme(hq_analyst, network):
    questionnaire = questionnaire_create(
        actor=hq_analyst, code="resolution", name="Resolution", template="complaint_resolution"
    )
    version = questionnaire_publish(actor=hq_analyst, questionnaire=questionnaire)
    programme = programme_create(
        actor=hq_analyst, code="resolution", name="How was it resolved?", version=version,
        units=[network.hq], channels=["sms"], trigger="manual",
    )  # fmt: skip
    ResurveySetting.objects.update_or_create(
        pk=1, defaults={"programme": programme, "channels": ["sms"]}
    )
    return programme


@pytest.fixture
def resolved(resolution_programme, store_a_manager, network, customer_a):
    case = case_open(
        actor=store_a_manager, kind="complaint", unit=network.store_a, customer=customer_a,
        subject="Paint scratched in the wash", channel="walk_in",
    )  # fmt: skip
    return case_resolve(actor=store_a_manager, case=case, body="Repainted at our cost.")


def _answers(overall: int, nps: int) -> dict:
    ratings = {f"R{i}": overall for i in range(1, 7)}
    return {
        **ratings, "RESOLVED": overall >= 4, "OVERALL": overall, "NPS": nps,
        "REASON": "", "CONTACT_ME": False,
    }  # fmt: skip


def test_resolving_asks_the_customer_how_it_went(resolved, customer_a):
    invitation = resolved.resurvey
    assert invitation is not None and invitation.customer == customer_a
    assert invitation.unit_id == resolved.unit_id and invitation.channel == "sms"
    assert Message.objects.filter(recipient__endswith="13812345678").exists()


def test_a_poor_answer_reopens_and_escalates_once(resolved, north_manager):
    response_submit(token=resolved.resurvey.token, answers=_answers(overall=1, nps=2))
    assert alerts_to_cases() == 0  # no new case: the same one goes back to work
    case = Case.objects.get()
    assert case.status == CaseStatus.OPEN and case.reopened == 1
    assert case.escalation_level == 1
    assert case.entries.filter(kind=EntryKind.ESCALATION).count() == 1  # two alerts, one act
    assert AuditEntry.objects.filter(action="case.escalate", object_id=str(case.pk)).count() == 1
    assert alerts_to_cases() == 0 and Case.objects.get().escalation_level == 1


def test_a_good_answer_leaves_the_case_resolved(resolved):
    response_submit(token=resolved.resurvey.token, answers=_answers(overall=5, nps=10))
    alerts_to_cases()
    case = Case.objects.get()
    assert case.status == CaseStatus.RESOLVED and case.escalation_level == 0


def test_resolved_again_after_a_poor_answer_asks_again(resolved, store_a_manager):
    first = resolved.resurvey
    response_submit(token=first.token, answers=_answers(overall=2, nps=3))
    alerts_to_cases()
    again = case_resolve(actor=store_a_manager, case=Case.objects.get(), body="Repainted twice.")
    assert again.resurvey_id not in (None, first.pk)


def test_no_resolution_survey_without_a_customer(resolution_programme, store_a_manager, network):
    case = case_open(
        actor=store_a_manager, kind="complaint", unit=network.store_a, subject="Rude guard",
        channel="walk_in",
    )  # fmt: skip
    assert case_resolve(actor=store_a_manager, case=case, body="Talked to him.").resurvey is None


def test_contact_me_on_the_service_survey_opens_a_request(invitation):
    response_submit(token=invitation.token, answers={**GOOD_ANSWERS, "CONTACT_ME": True})
    assert alerts_to_cases() == 1
    case = Case.objects.get()
    assert case.kind == CaseKind.REQUEST and case.channel == "survey"
    assert case.response.invitation == invitation


def test_a_low_score_with_contact_me_opens_one_complaint(invitation):
    low = {**GOOD_ANSWERS, "OVERALL": 2, "NPS": 3, "CONTACT_ME": True}
    response_submit(token=invitation.token, answers=low)
    assert alerts_to_cases() == 1
    case = Case.objects.get()
    assert case.kind == CaseKind.COMPLAINT
    assert case.entries.filter(kind=EntryKind.NOTE, body__startswith="Also").count() == 2
