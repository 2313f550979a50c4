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
