"""A hot alert from a survey answer opens its complaint case, once."""

from datetime import timedelta

from django.utils import timezone

from manyi.cases.from_alerts import alerts_to_cases, case_from_alert
from manyi.cases.models import Case
from manyi.surveys.models import Alert, AlertStatus
from manyi.surveys.services.responses import create_scored
from tests.surveys.fixtures import GOOD_ANSWERS


def _alert(programme, network, customer):
    response = create_scored(
        version_id=programme.version_id,
        answers={**GOOD_ANSWERS, "OVERALL": 2},
        unit_id=network.store_a.pk,
        channel="sms",
        submitted_at=timezone.now() - timedelta(minutes=5),
        customer=customer,
        programme=programme,
    )
    return Alert.objects.create(
        response=response, unit=network.store_a, reason="Overall satisfaction 2 ≤ 4"
    )


def test_a_low_score_opens_a_linked_complaint_with_deadlines(programme, network, customer_a):
    alert = _alert(programme, network, customer_a)
    assert alerts_to_cases() == 1
    case = Case.objects.get()
    assert case.response == alert.response and case.customer == customer_a
    assert case.kind == "complaint" and case.channel == "survey" and case.severity == "high"
    assert case.first_response_due is not None and case.opened_at == alert.created_at
    alert.refresh_from_db()
    assert alert.status == AlertStatus.ACKNOWLEDGED


def test_an_alert_opens_one_case_however_often_it_is_taken(programme, network, customer_a):
    alert = _alert(programme, network, customer_a)
    assert case_from_alert(alert=alert) is not None
    assert case_from_alert(alert=alert) is None
    assert alerts_to_cases() == 0
    assert Case.objects.count() == 1


def _poor(programme, network, customer, **answers):
    from manyi.surveys.services.responses import alerts_check

    response = create_scored(
        version_id=programme.version_id,
        answers={**GOOD_ANSWERS, "OVERALL": 3, **answers},
        unit_id=network.store_a.pk,
        channel="sms",
        submitted_at=timezone.now() - timedelta(minutes=5),
        customer=customer,
        programme=programme,
    )
    alerts_check(response=response)
    alerts_to_cases()
    return Case.objects.get(response=response)


def test_the_case_says_what_the_customer_wrote_not_item_codes(
    programme, network, customer_a, settings
):
    settings.LANGUAGE_CODE = "en"
    case = _poor(programme, network, customer_a, REASON="Waited two hours, nobody called")
    assert case.subject == "Waited two hours, nobody called"
    assert "“Waited two hours, nobody called”" in case.description
    assert "3 / 10" in case.description and "OVERALL" not in case.description


def test_without_a_comment_the_subject_words_the_poor_answer(
    programme, network, customer_a, settings
):
    settings.LANGUAGE_CODE = "en"
    case = _poor(programme, network, customer_a)
    assert case.subject.startswith("Survey: ") and "3 / 10" in case.subject
    assert "OVERALL" not in case.subject


def test_the_stores_least_busy_handler_gets_the_case(programme, network, customer_a, hui):
    from manyi.org.models import Role
    from manyi.org.services import staff_create

    busy = _poor(programme, network, customer_a, REASON="First")
    assert busy.owner == hui
    ming = staff_create(
        actor=None, username="ming_handler", full_name="Ming", unit=network.store_a,
        role=Role.CASE_HANDLER, password="a-long-test-password",
    )  # fmt: skip
    assert _poor(programme, network, customer_a, REASON="Second").owner == ming
