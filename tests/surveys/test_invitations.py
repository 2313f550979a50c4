"""Who gets invited: the delay, exclusions, sampling and quotas; sending and opting out."""

from datetime import timedelta

import pytest
from django.utils import timezone

from manyi.customers.models import Contact
from manyi.customers.services import customer_create
from manyi.notify.models import Message
from manyi.notify.services import messages_send
from manyi.surveys.models import Invitation, Programme
from manyi.surveys.services import (
    InvitationClosed,
    invitation_open,
    invitation_opt_out,
    invitations_remind_and_expire,
    invitations_trigger,
)


def test_events_closed_more_than_three_days_ago_are_invited_once(programme, closed_event):
    closed_event("RO-OLD", days_ago=5)
    closed_event("RO-NEW", days_ago=1)  # too fresh: the 3-day follow-up waits
    result = invitations_trigger()["csi-follow-up"]
    assert result.invited == 1
    invitation = Invitation.objects.get()
    assert invitation.event.external_id == "RO-OLD" and len(invitation.token) >= 32
    assert invitations_trigger()["csi-follow-up"].candidates == 0  # the watermark moved on


def test_the_sms_carries_the_link_and_the_opt_out(programme, closed_event):
    closed_event("RO-1")
    invitations_trigger()
    message = Message.objects.get()
    invitation = Invitation.objects.get()
    assert message.recipient == "+8613812345678" and invitation.token in message.body
    assert f"/s/{invitation.token}/opt-out/" in message.body


def test_sending_marks_the_invitation_sent(no_quiet_hours, programme, closed_event):
    closed_event("RO-1")
    invitations_trigger()
    assert messages_send() == 1
    assert Invitation.objects.get().status == "sent"
    assert messages_send() == 0  # nothing is sent twice


def test_an_event_closed_late_at_night_is_invited_in_the_morning(programme, closed_event):
    closed_event("RO-1", days_ago=4)
    night = timezone.localtime().replace(hour=23, minute=30, second=0, microsecond=0)
    invitations_trigger(now=night)
    morning = (night + timedelta(days=1)).replace(hour=8, minute=0)
    assert Message.objects.get().send_after == morning  # the network's quiet hours


def test_units_outside_the_programme_are_not_invited(programme, closed_event, network, customer_b):
    east = customer_create(
        actor=None, external_id="C-C1", unit=network.store_c, name="East", phone="13700000000"
    )
    closed_event("RO-EAST", customer=east, unit=network.store_c)
    assert invitations_trigger()["csi-follow-up"].candidates == 0


def test_other_event_kinds_are_not_invited(programme, closed_event):
    closed_event("RO-SALE", kind="sale")
    assert invitations_trigger()["csi-follow-up"].candidates == 0


def test_a_customer_surveyed_recently_is_skipped(programme, closed_event):
    closed_event("RO-1", days_ago=20)
    invitations_trigger(now=timezone.now() - timedelta(days=10))
    closed_event("RO-2", days_ago=5)
    result = invitations_trigger()["csi-follow-up"]
    assert result.invited == 0 and result.excluded["surveyed_recently"] == 1


def test_an_opted_out_customer_without_another_channel_is_skipped(
    programme, closed_event, customer_a
):
    Contact.objects.filter(customer=customer_a).update(opted_out_at=timezone.now())
    closed_event("RO-1")
    assert invitations_trigger()["csi-follow-up"].excluded["no_contact"] == 1


def test_email_is_used_when_sms_is_refused(programme, closed_event, customer_a):
    Contact.objects.filter(customer=customer_a, channel="phone").update(opted_out_at=timezone.now())
    closed_event("RO-1")
    invitations_trigger()
    assert Invitation.objects.get().channel == "email"
    assert Message.objects.get().recipient == "liming@example.com"


def test_internal_customers_are_skipped(programme, closed_event, customer_a):
    customer_a.kind = "internal"
    customer_a.save()
    closed_event("RO-1")
    assert invitations_trigger()["csi-follow-up"].excluded["internal"] == 1


def test_a_quota_per_unit_per_month_caps_invitations(programme, closed_event, network):
    Programme.objects.filter(pk=programme.pk).update(
        sampling="quota", quota_per_unit=2, exclude_recent_days=0
    )
    for n in range(5):
        customer = customer_create(
            actor=None,
            external_id=f"C-Q{n}",
            unit=network.store_a,
            name=f"Q{n}",
            phone=f"1380000000{n}",
        )
        closed_event(f"RO-Q{n}", customer=customer)
    result = invitations_trigger()["csi-follow-up"]
    assert result.invited == 2 and result.excluded["quota_full"] == 3


def test_random_sampling_keeps_about_its_rate(programme, closed_event, network):
    Programme.objects.filter(pk=programme.pk).update(
        sampling="random", sample_rate=30, exclude_recent_days=0
    )
    for n in range(200):
        customer = customer_create(
            actor=None,
            external_id=f"C-R{n}",
            unit=network.store_a,
            name=f"R{n}",
            phone=f"138{n:08d}",
        )
        closed_event(f"RO-R{n}", customer=customer)
    invited = invitations_trigger()["csi-follow-up"].invited
    assert 35 <= invited <= 85  # 30 % of 200 = 60; a binomial 99.9 % range


def test_an_unknown_token_is_refused(db):
    with pytest.raises(InvitationClosed) as closed:
        invitation_open(token="not-a-token")
    assert closed.value.reason == "unknown"


def test_an_expired_invitation_is_refused_and_marked(invitation):
    Invitation.objects.filter(pk=invitation.pk).update(expires_at=timezone.now())
    with pytest.raises(InvitationClosed) as closed:
        invitation_open(token=invitation.token)
    assert closed.value.reason == "expired"
    assert Invitation.objects.get().status == "expired"


def test_opting_out_closes_the_link_and_the_channel_everywhere(invitation, customer_a):
    invitation_opt_out(token=invitation.token)
    with pytest.raises(InvitationClosed) as closed:
        invitation_open(token=invitation.token)
    assert closed.value.reason == "opted_out"
    assert customer_a.contacts.get(channel="phone").opted_out_at is not None


def test_one_reminder_after_two_days_and_expiry_after_two_weeks(no_quiet_hours, invitation):
    messages_send()
    later = timezone.now() + timedelta(days=3)
    assert invitations_remind_and_expire(now=later) == (1, 0)
    assert invitations_remind_and_expire(now=later) == (0, 0)  # never twice
    assert invitations_remind_and_expire(now=timezone.now() + timedelta(days=15)) == (0, 1)
