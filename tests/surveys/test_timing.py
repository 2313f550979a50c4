"""How long a questionnaire takes: the promise in the invitation and the call script,
and the time customers took."""

from datetime import timedelta

from django.utils import timezone

from manyi.notify.models import Message
from manyi.surveys.services import invitation_create
from manyi.surveys.timing import expected_seconds, measured_seconds, promised_minutes
from manyi.surveys.versions import definition_of


def test_the_csi_questionnaire_promises_what_its_items_take(csi_version):
    definition = definition_of(csi_version.pk)
    ratings = sum(item.type in ("rating", "nps") for item in definition.items)
    # Fifteen scales, a yes/no and an open question: about two minutes, not "one".
    assert ratings == 15
    assert expected_seconds(definition) == 15 * 6 + 4 + 30
    assert promised_minutes(definition) == 2
    assert promised_minutes(definition, by_phone=True) == 4


def test_the_invitation_promises_the_questionnaires_time(programme, closed_event, customer_a):
    invitation_create(
        programme=programme,
        customer=customer_a,
        event=closed_event("RO-T1"),
        channel="sms",
        address="+8613812345678",
    )
    message = Message.objects.get(recipient="+8613812345678")
    assert "约需 2 分钟" in message.body  # Li Ming reads Chinese; not "只需一分钟"


def test_the_time_taken_is_the_median_from_opening_to_submitting(
    programme, closed_event, customer_a
):
    now = timezone.now()
    for n, seconds in enumerate((90, 120, 150, 7200)):  # the last left and came back
        invitation = invitation_create(
            programme=programme,
            customer=customer_a,
            event=closed_event(f"RO-M{n}"),
            channel="sms",
            address="+8613812345678",
        )
        type(invitation).objects.filter(pk=invitation.pk).update(
            opened_at=now - timedelta(seconds=seconds), completed_at=now
        )
    assert measured_seconds(programme) == (120, 3)
