"""Manual waves, phone interviews and open links, told as the people who use them."""

from datetime import timedelta

import pytest
from django.utils import timezone

from manyi.customers.services import customer_create
from manyi.surveys.answers import AnswerError
from manyi.surveys.models import CallAttempt, Invitation, Response
from manyi.surveys.services import (
    CallError,
    DeviceLimitReached,
    InvitationClosed,
    ProgrammeError,
    call_record,
    invitation_create,
    open_link_create,
    open_link_start,
    programme_update,
    response_submit,
    wave_invite,
)
from tests.surveys.fixtures import GOOD_ANSWERS


@pytest.fixture
def phone_invitation(programme, closed_event, customer_a):
    return invitation_create(
        programme=programme,
        customer=customer_a,
        event=closed_event("RO-PHONE"),
        channel="phone",
        address="+8613812345678",
    )


def test_a_manual_wave_invites_the_list_and_skips_who_cannot_be_reached(
    hq_analyst, programme, customer_a, customer_b, network
):
    internal = customer_create(
        actor=None,
        external_id="C-STAFF",
        unit=network.store_a,
        name="Own staff",
        kind="internal",
        phone="13700000001",
    )
    silent = customer_create(
        actor=None, external_id="C-NONE", unit=network.store_a, name="No contact"
    )
    result = wave_invite(
        actor=hq_analyst,
        programme=programme,
        name="VIP spring check",
        customers=[customer_a, customer_b, internal, silent],
    )
    assert result.invited == 2
    assert dict(result.excluded) == {"internal": 1, "no_contact": 1}
    assert set(result.wave.invitations.values_list("customer__external_id", flat=True)) == {
        "C-A1",
        "C-B1",
    }


def test_a_store_manager_cannot_send_a_wave(store_a_manager, programme, customer_a):
    with pytest.raises(ProgrammeError):
        wave_invite(actor=store_a_manager, programme=programme, name="x", customers=[customer_a])


def test_no_answer_is_retried_after_the_programme_interval(agent, phone_invitation):
    now = timezone.now()
    call_record(agent=agent, invitation=phone_invitation, outcome="no_answer", now=now)
    phone_invitation.refresh_from_db()
    assert phone_invitation.call_attempts == 1
    assert phone_invitation.next_call_at == now + timedelta(minutes=120)
    assert phone_invitation.status == "created"


def test_the_last_unanswered_attempt_makes_the_customer_unreachable(
    agent, programme, phone_invitation
):
    programme_update(actor=None, programme=programme, max_call_attempts=2)
    call_record(agent=agent, invitation=phone_invitation, outcome="busy")
    call_record(agent=agent, invitation=phone_invitation, outcome="no_answer")
    phone_invitation.refresh_from_db()
    assert phone_invitation.status == "unreachable" and phone_invitation.next_call_at is None
    with pytest.raises(CallError):
        call_record(agent=agent, invitation=phone_invitation, outcome="busy")


def test_a_call_back_is_scheduled_at_the_time_the_customer_named(agent, phone_invitation):
    later = timezone.now() + timedelta(hours=5)
    call_record(agent=agent, invitation=phone_invitation, outcome="call_back", call_back_at=later)
    phone_invitation.refresh_from_db()
    assert phone_invitation.next_call_at == later


def test_a_call_back_needs_a_time_in_the_future(agent, phone_invitation):
    with pytest.raises(CallError):
        call_record(agent=agent, invitation=phone_invitation, outcome="call_back")


def test_a_completed_interview_stores_a_phone_response(agent, phone_invitation):
    call_record(agent=agent, invitation=phone_invitation, outcome="completed", answers=GOOD_ANSWERS)
    response = Response.objects.get(invitation=phone_invitation)
    assert response.channel == "phone" and response.recorded_by == agent
    phone_invitation.refresh_from_db()
    assert phone_invitation.status == "completed" and phone_invitation.call_attempts == 1


def test_a_completed_interview_with_bad_answers_stores_nothing(agent, phone_invitation):
    with pytest.raises(AnswerError):
        call_record(
            agent=agent,
            invitation=phone_invitation,
            outcome="completed",
            answers={**GOOD_ANSWERS, "OVERALL": 42},
        )
    assert not Response.objects.exists() and not CallAttempt.objects.exists()
    phone_invitation.refresh_from_db()
    assert phone_invitation.call_attempts == 0


@pytest.fixture
def counter_link(hq_analyst, programme, network):
    return open_link_create(
        actor=hq_analyst, programme=programme, unit=network.store_a, per_device_per_day=1
    )


def test_a_walk_in_customer_gets_one_form_per_visit(counter_link):
    first = open_link_start(token=counter_link.token, device="phone-1")
    again = open_link_start(token=counter_link.token, device="phone-1")
    other = open_link_start(token=counter_link.token, device="phone-2")
    assert first.pk == again.pk != other.pk
    assert first.customer is None and first.unit == counter_link.unit


def test_a_device_that_answered_today_is_turned_away(counter_link):
    first = open_link_start(token=counter_link.token, device="phone-1")
    response_submit(token=first.token, answers=GOOD_ANSWERS)
    with pytest.raises(DeviceLimitReached):
        open_link_start(token=counter_link.token, device="phone-1")
    assert Invitation.objects.filter(open_link=counter_link).count() == 1


def test_a_switched_off_link_is_unknown(counter_link):
    counter_link.is_active = False
    counter_link.save()
    with pytest.raises(InvitationClosed):
        open_link_start(token=counter_link.token, device="phone-1")


def test_the_call_screen_reads_each_question_aloud_with_its_scale(client, agent, phone_invitation):
    """A label like 'Time taken to complete the work' is no question on the phone: the
    agent asks how the customer rates it, and what the ends of the scale mean."""
    client.force_login(agent)
    page = client.get(f"/surveys/calls/{phone_invitation.pk}/")
    spoken = page.context["spoken"]  # in Li Ming's language, Chinese
    assert spoken["SI1"].startswith("请问您对“预约服务的便利程度”打几分（1 到 10 分）？")
    assert "10 分表示" in spoken["SI1"]  # the scale's ends, said once
    assert spoken["SI2"] == "请问您对“到店后被及时接待”打几分（1 到 10 分）？"
    nps = page.context["definition"].item("NPS").text.get("zh-hans")
    assert spoken["NPS"].startswith(nps) and "10 分" in spoken["NPS"][len(nps) :]
    assert "大约需要 4 分钟" in page.text
