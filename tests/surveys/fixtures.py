"""A published CSI questionnaire and a 3-day follow-up programme over the North region."""

from datetime import timedelta

import pytest
from django.utils import timezone

from manyi.customers.services import event_create
from manyi.surveys.services import (
    invitation_create,
    programme_create,
    questionnaire_create,
    questionnaire_publish,
)

GOOD_ANSWERS = {
    "SI1": 9,
    "SI2": 9,
    "SA1": 10,
    "SA2": 9,
    "SF1": 8,
    "SF2": 9,
    "SF3": 8,
    "VP1": 9,
    "VP2": 8,
    "VP3": 9,
    "SQ1": 9,
    "SQ2": 10,
    "SQ3": 10,
    "OVERALL": 9,
    "NPS": 10,
    "CONTACT_ME": False,
}


@pytest.fixture
def csi_version(hq_analyst):
    questionnaire = questionnaire_create(
        actor=hq_analyst, code="csi", name="CSI", template="csi_5_factor"
    )
    return questionnaire_publish(actor=hq_analyst, questionnaire=questionnaire)


@pytest.fixture
def programme(hq_analyst, csi_version, network):
    made = programme_create(
        actor=hq_analyst,
        code="csi-follow-up",
        name="3-day follow-up",
        version=csi_version,
        units=[network.north],
        event_kinds=["maintenance", "repair"],
        channels=["sms", "email"],
    )
    # Pretend it was set up a month ago, so recent events are in its window.
    type(made).objects.filter(pk=made.pk).update(created_at=timezone.now() - timedelta(days=30))
    made.refresh_from_db()
    return made


@pytest.fixture
def closed_event(network, customer_a):
    def make(ref: str, *, days_ago: float = 5, customer=None, unit=None, kind="repair"):
        opened = timezone.now() - timedelta(days=days_ago, hours=3)
        return event_create(
            actor=None,
            external_id=ref,
            kind=kind,
            unit=unit or network.store_a,
            customer=customer or customer_a,
            opened_at=opened,
            closed_at=opened + timedelta(hours=2),
        )

    return make


@pytest.fixture
def invitation(programme, closed_event, customer_a):
    event = closed_event("RO-INV")
    return invitation_create(
        programme=programme,
        customer=customer_a,
        event=event,
        channel="sms",
        address="+8613812345678",
    )
