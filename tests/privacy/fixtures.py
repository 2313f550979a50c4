"""Li Ming's history with the group: a repair, a survey answered with a comment that
names him, a complaint with a photo, the messages and texts between them."""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from manyi.analytics.services import rollups_fold
from manyi.cases.models import Attachment, Case, CaseEntry
from manyi.cases.services import case_open
from manyi.notify.models import InboundText, Message
from manyi.org.services import unit_create
from manyi.surveys.models import Invitation
from manyi.surveys.services import invitation_create
from manyi.surveys.services.responses import create_scored
from tests.analytics.report_fixtures import last_month_start
from tests.surveys.fixtures import GOOD_ANSWERS

LI_MING = ("Li Ming", "13812345678", "liming@example.com", "110101199001011234", "沪A12345")
COMMENT = "I am Li Ming, call me on 13812345678: the lounge was cold"


@pytest.fixture
def hospital(network):
    return unit_create(
        actor=None, code="H-1", name="City Hospital", level="store", kind="hospital",
        parent=network.north,
    )  # fmt: skip


@pytest.fixture
def li_ming_history(network, customer_a, csi_version, programme, hui, store_b_manager):
    """Li Ming (customer A) and, beside him, Wang Fang's answer at store B."""
    from manyi.customers.services import asset_create

    asset_create(
        actor=None, customer=customer_a, external_id="V-1", plate="沪A12345",
        identifier="LSVAB4182E2123456", model_name="Lavida",
    )  # fmt: skip
    when = last_month_start() + timedelta(days=2)
    answers = {**GOOD_ANSWERS, "SQ1": 3, "OVERALL": 4, "REASON": COMMENT}
    response = create_scored(
        version_id=csi_version.pk, answers=answers, unit_id=network.store_a.pk,
        channel="sms", submitted_at=when, customer=customer_a,
    )  # fmt: skip
    create_scored(
        version_id=csi_version.pk, answers={**GOOD_ANSWERS, "REASON": "fine"},
        unit_id=network.store_b.pk, channel="sms", submitted_at=when,
    )  # fmt: skip
    rollups_fold()
    case = case_open(
        actor=hui, kind="complaint", unit=network.store_a, subject="Li Ming: cold lounge",
        channel="phone", description="Li Ming called from 13812345678", customer=customer_a,
        response=response,
    )  # fmt: skip
    CaseEntry.objects.create(case=case, kind="note", body="Called Li Ming back", author=hui)
    Attachment.objects.create(
        case=case, file=SimpleUploadedFile("lounge.png", b"\x89PNG fake"), name="lounge.png",
        content_type="image/png", size=9,
    )  # fmt: skip
    Message.objects.create(
        channel="sms", recipient="+8613812345678", body="Dear Li Ming, how was your visit?",
        purpose="invitation", send_after=when, customer_id=customer_a.pk, status="sent",
    )  # fmt: skip
    Message.objects.create(
        channel="sms", recipient="+8613812345678", body="Li Ming, your car is due",
        purpose="care", send_after=when, customer_id=customer_a.pk,
    )  # fmt: skip
    InboundText.objects.create(sender="+8613812345678", text="This is Li Ming, thanks")
    Case.objects.create(
        number="PUBLIC-1", kind="complaint", channel="web", unit=network.store_a,
        subject="Noise", description="Li Ming here, from the web form",
        given_phone="+8613812345678",
    )  # fmt: skip
    invitation = invitation_create(
        programme=programme, customer=customer_a, channel="sms", address="+8613812345678"
    )
    Invitation.objects.filter(pk=invitation.pk).update(
        progress={"REASON": "Li Ming half wrote"}, device="iPhone of Li Ming"
    )
    return {"response": response, "case": case}
