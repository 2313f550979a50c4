"""Submitting: checked, scored at once, stored exactly once, alerts opened by the rules."""

import threading

import pytest
from django.db import connection

from manyi.surveys.answers import AnswerError
from manyi.surveys.models import Alert, Invitation, Response
from manyi.surveys.services import (
    InvitationClosed,
    VersionChanged,
    response_save_progress,
    response_submit,
)
from tests.surveys.fixtures import GOOD_ANSWERS


def test_a_submitted_response_is_scored_and_linked_to_the_service(invitation):
    response = response_submit(token=invitation.token, answers=GOOD_ANSWERS)
    assert response.event == invitation.event and response.unit_id == invitation.unit_id
    assert 800 < response.index <= 1000 and response.nps_class == "promoter"
    assert response.scores["factors"]["service_quality"] == pytest.approx((8 + 9 + 9) / 27 * 1000)
    assert Invitation.objects.get().status == "completed"


def test_a_second_submit_stores_nothing_more(invitation):
    first = response_submit(token=invitation.token, answers=GOOD_ANSWERS)
    second = response_submit(token=invitation.token, answers={**GOOD_ANSWERS, "OVERALL": 1})
    assert first.pk == second.pk and Response.objects.count() == 1
    assert Response.objects.get().answers["OVERALL"] == 9


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_submits_store_exactly_one_response(hq_analyst, network, customer_a):
    from tests.surveys.fixtures import GOOD_ANSWERS as answers

    invitation = _fresh_invitation(hq_analyst, network, customer_a)
    barrier = threading.Barrier(2)
    results, errors = [], []

    def submit() -> None:
        try:
            barrier.wait()
            results.append(response_submit(token=invitation.token, answers=answers).pk)
        except Exception as error:
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=submit) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == [] and len(set(results)) == 1
    assert Response.objects.filter(invitation=invitation).count() == 1


def _fresh_invitation(hq_analyst, network, customer_a):
    from datetime import timedelta

    from django.utils import timezone

    from manyi.customers.services import event_create
    from manyi.surveys.services import (
        invitation_create,
        programme_create,
        questionnaire_create,
        questionnaire_publish,
    )

    version = questionnaire_publish(
        actor=hq_analyst,
        questionnaire=questionnaire_create(
            actor=hq_analyst, code="csi", name="CSI", template="csi_5_factor"
        ),
    )
    programme = programme_create(
        actor=hq_analyst, code="p", name="P", version=version, units=[network.north]
    )
    event = event_create(
        actor=None,
        external_id="RO-T",
        kind="repair",
        unit=network.store_a,
        customer=customer_a,
        opened_at=timezone.now() - timedelta(days=4),
    )
    return invitation_create(
        programme=programme,
        customer=customer_a,
        event=event,
        channel="sms",
        address="+8613812345678",
    )


def test_a_missing_required_answer_stores_nothing(invitation):
    answers = {key: value for key, value in GOOD_ANSWERS.items() if key != "OVERALL"}
    with pytest.raises(AnswerError) as error:
        response_submit(token=invitation.token, answers=answers)
    assert error.value.problems == {"OVERALL": "required"}
    assert not Response.objects.exists()


def test_an_answer_out_of_range_stores_nothing(invitation):
    with pytest.raises(AnswerError):
        response_submit(token=invitation.token, answers={**GOOD_ANSWERS, "SA1": 42})
    assert not Response.objects.exists() and Invitation.objects.get().status != "completed"


def test_a_form_of_a_replaced_version_is_refused(invitation):
    with pytest.raises(VersionChanged):
        response_submit(
            token=invitation.token, answers=GOOD_ANSWERS, version_id=invitation.version_id + 1
        )


def test_an_opted_out_invitation_cannot_be_answered(invitation):
    from manyi.surveys.services import invitation_opt_out

    invitation_opt_out(token=invitation.token)
    with pytest.raises(InvitationClosed):
        response_submit(token=invitation.token, answers=GOOD_ANSWERS)


def test_progress_is_kept_between_visits(invitation):
    response_save_progress(token=invitation.token, answers={"SI1": "7"})
    saved = Invitation.objects.get()
    assert saved.progress == {"SI1": 7} and saved.status == "started"


def test_a_low_score_opens_alerts_for_the_store(invitation):
    answers = {**GOOD_ANSWERS, "OVERALL": 3, "NPS": 2, "CONTACT_ME": True}
    response = response_submit(token=invitation.token, answers=answers)
    kinds = set(Alert.objects.filter(response=response).values_list("rule__kind", flat=True))
    assert kinds == {"overall_le", "nps_detractor", "contact_me"}
    assert set(Alert.objects.values_list("unit_id", flat=True)) == {invitation.unit_id}


def test_a_happy_customer_opens_no_alert(invitation):
    response_submit(token=invitation.token, answers=GOOD_ANSWERS)
    assert not Alert.objects.exists()
