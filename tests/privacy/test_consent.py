"""Zhang Wei is a patient of City Hospital. Until the hospital records his separate
consent to the use of his health data, his visits invite him to no survey and bring no
care message; when he withdraws it, they stop again."""

from datetime import timedelta

import pytest
from django.utils import timezone

from manyi.audit.models import AuditEntry
from manyi.care.models import CareRule, CareTouch
from manyi.care.touches import touches_send
from manyi.customers.services import customer_create, event_create
from manyi.privacy.consent import NoHealthConsent
from manyi.privacy.services import PrivacyError, health_consent_give, health_consent_withdraw
from manyi.surveys.models import Invitation
from manyi.surveys.services import invitations_trigger, programme_create


@pytest.fixture
def zhang_wei(hospital):
    return customer_create(
        actor=None, external_id="P-1", unit=hospital, name="Zhang Wei", phone="13700001111"
    )


@pytest.fixture
def nurse_manager(hospital):
    from tests.conftest import _person

    return _person("nina_nurse", hospital, "store_manager")


@pytest.fixture
def patient_survey(hq_analyst, csi_version, hospital):
    made = programme_create(
        actor=hq_analyst, code="patients", name="Outpatients", version=csi_version,
        units=[hospital], event_kinds=["outpatient"], channels=["sms"],
    )  # fmt: skip
    type(made).objects.filter(pk=made.pk).update(created_at=timezone.now() - timedelta(days=30))
    return made


def _visit(patient, hospital, ref, days_ago=5):
    opened = timezone.now() - timedelta(days=days_ago)
    return event_create(
        actor=None, external_id=ref, kind="outpatient", unit=hospital, customer=patient,
        opened_at=opened, closed_at=opened + timedelta(hours=1),
    )  # fmt: skip


def test_no_survey_without_consent_then_one_after_it(
    patient_survey, zhang_wei, hospital, nurse_manager
):
    _visit(zhang_wei, hospital, "OP-1")
    result = invitations_trigger()["patients"]
    assert (result.invited, dict(result.excluded)) == (0, {"no_health_consent": 1})
    health_consent_give(actor=nurse_manager, customer=zhang_wei, unit=hospital, form="signed")
    _visit(zhang_wei, hospital, "OP-2", days_ago=1)
    assert invitations_trigger(now=timezone.now() + timedelta(days=3))["patients"].invited == 1
    assert Invitation.objects.get().event.external_id == "OP-2"


def test_a_withdrawn_consent_stops_care_messages(
    no_quiet_hours, zhang_wei, hospital, nurse_manager
):
    rule = CareRule.objects.create(code="check", name="Yearly check-up", kind="reminder")
    today = timezone.localdate()

    def touch(key):
        return CareTouch.objects.create(
            key=key, rule=rule, customer=zhang_wei, unit=hospital, due_on=today, send_on=today
        )

    health_consent_give(actor=nurse_manager, customer=zhang_wei, unit=hospital, form="electronic")
    first = touch("t1")
    assert touches_send() == 1
    health_consent_withdraw(actor=nurse_manager, customer=zhang_wei)
    second = touch("t2")
    assert touches_send() == 0
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.status, second.status, second.why_not) == (
        "sent", "skipped", "no_health_consent",
    )  # fmt: skip
    actions = list(AuditEntry.objects.filter(action__startswith="health_consent").values_list(
        "action", flat=True
    ))  # fmt: skip
    assert sorted(actions) == ["health_consent_give", "health_consent_withdraw"]


def test_a_dealer_customer_needs_no_health_consent(programme, closed_event):
    closed_event("RO-1")
    assert invitations_trigger()["csi-follow-up"].invited == 1


def test_consent_is_recorded_once_and_only_at_a_hospital(
    zhang_wei, hospital, nurse_manager, network, admin
):
    health_consent_give(actor=nurse_manager, customer=zhang_wei, unit=hospital, form="signed")
    with pytest.raises(PrivacyError):
        health_consent_give(actor=nurse_manager, customer=zhang_wei, unit=hospital, form="signed")
    health_consent_withdraw(actor=nurse_manager, customer=zhang_wei)
    with pytest.raises(PrivacyError):
        health_consent_withdraw(actor=nurse_manager, customer=zhang_wei)
    with pytest.raises(PrivacyError):  # a dealer holds no health data
        health_consent_give(actor=admin, customer=zhang_wei, unit=network.store_a, form="signed")


def test_another_store_cannot_record_a_consent(zhang_wei, hospital, store_b_manager):
    with pytest.raises(PrivacyError):
        health_consent_give(actor=store_b_manager, customer=zhang_wei, unit=hospital, form="signed")


def test_a_department_under_a_hospital_holds_health_data_whatever_its_kind(
    zhang_wei, hospital, patient_survey
):
    from manyi.org.services import unit_create
    from manyi.surveys.services.recorded import invitation_for_event

    ward = unit_create(
        actor=None, code="H-1-W", name="Ward 3", level="department", kind="other", parent=hospital
    )
    visit = _visit(zhang_wei, ward, "OP-W")
    with pytest.raises(NoHealthConsent):  # "invite now" (the screen and the API) too
        invitation_for_event(actor=None, programme=patient_survey, event=visit)
    assert not Invitation.objects.exists()


def test_a_withdrawal_closes_the_open_invitations_and_callbacks_of_hospital_visits(
    patient_survey, zhang_wei, hospital, nurse_manager, hq_analyst
):
    from manyi.care.models import Callback
    from manyi.care.services import callbacks_schedule, care_rule_save

    care_rule_save(actor=hq_analyst, code="revisit", name="三日回访", event_kinds=["outpatient"],
                   delay_business_days=0)  # fmt: skip
    CareRule.objects.update(created_at=timezone.now() - timedelta(days=9))
    _visit(zhang_wei, hospital, "OP-0", days_ago=1)
    callbacks_schedule()
    assert not Callback.objects.exists()  # no consent: nobody calls about the visit
    health_consent_give(actor=nurse_manager, customer=zhang_wei, unit=hospital, form="signed")
    _visit(zhang_wei, hospital, "OP-1")
    invitations_trigger()
    callbacks_schedule()
    assert Invitation.objects.get().status == "created" and Callback.objects.count() == 2
    health_consent_withdraw(actor=nurse_manager, customer=zhang_wei)
    assert Invitation.objects.get().status == "opted_out"
    assert set(Callback.objects.values_list("status", flat=True)) == {"do_not_call"}


def test_a_dealer_that_served_the_patient_cannot_withdraw_the_hospitals_consent(
    zhang_wei, hospital, nurse_manager, network, store_a_manager
):
    from manyi.customers.served import customers_served

    health_consent_give(actor=nurse_manager, customer=zhang_wei, unit=hospital, form="signed")
    customers_served([(zhang_wei.pk, network.store_a.pk)])
    with pytest.raises(PrivacyError):
        health_consent_withdraw(actor=store_a_manager, customer=zhang_wei)


def test_a_patients_complaint_at_a_dealer_is_resolved_and_resurveyed_without_health_consent(
    zhang_wei, hospital, store_a_manager, network, hq_analyst
):
    """The resolution survey is the case's store's: a dealer holds no health data."""
    from manyi.cases.models import ResurveySetting
    from manyi.cases.services import case_open, case_resolve
    from manyi.surveys.services import questionnaire_create, questionnaire_publish

    version = questionnaire_publish(
        actor=hq_analyst,
        questionnaire=questionnaire_create(
            actor=hq_analyst, code="res", name="Resolution", template="complaint_resolution"
        ),
    )
    programme = programme_create(
        actor=hq_analyst, code="res", name="Resolved?", version=version, units=[network.hq],
        channels=["sms"], trigger="manual",
    )  # fmt: skip
    ResurveySetting.objects.update_or_create(
        pk=1, defaults={"programme": programme, "channels": ["sms"]}
    )
    case = case_open(
        actor=store_a_manager, kind="complaint", unit=network.store_a, customer=zhang_wei,
        subject="Scratch", channel="walk_in",
    )  # fmt: skip
    resolved = case_resolve(actor=store_a_manager, case=case, body="Repainted.")
    assert resolved.resurvey.unit_id == network.store_a.pk
