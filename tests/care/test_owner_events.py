"""An owners' evening at store A: the store manager plans it, draws invitees at random
from a segment (the same seed draws the same people), and records who comes."""

from datetime import timedelta

import pytest
from django.utils import timezone

from manyi.care.models import EventInvitation, RsvpStatus
from manyi.care.owner_events import (
    OwnerEventError,
    invitation_answer,
    owner_event_create,
    owner_event_draw,
)
from manyi.customers.models import Contact
from manyi.customers.services import customer_create


@pytest.fixture
def owners(network):
    made = [
        customer_create(
            actor=None,
            external_id=f"O-{n}",
            unit=network.store_a,
            name=f"Owner {n}",
            phone=f"1390000{n:04d}",
        )
        for n in range(12)
    ]
    Contact.objects.update(marketing_consent=True)
    return made


@pytest.fixture
def evening(store_a_manager, network):
    return owner_event_create(
        actor=store_a_manager,
        unit=network.store_a,
        name="Owners' evening",
        starts_at=timezone.now() + timedelta(days=10),
        place="Showroom",
        capacity=2,
    )


def test_the_same_seed_draws_the_same_owners(store_a_manager, evening, owners, network):
    sent = owner_event_draw(
        actor=store_a_manager, event=evening, segment={"unit": network.store_a}, count=5, seed=42
    )
    first = set(evening.invitations.values_list("customer_id", flat=True))
    assert sent == 5 and len(first) == 5
    EventInvitation.objects.all().delete()
    owner_event_draw(
        actor=store_a_manager, event=evening, segment={"unit": network.store_a}, count=5, seed=42
    )
    assert set(evening.invitations.values_list("customer_id", flat=True)) == first
    more = owner_event_draw(
        actor=store_a_manager, event=evening, segment={"unit": network.store_a}, count=20, seed=1
    )
    assert more == 7  # those left, never one twice


def test_seats_run_out_and_attendance_is_recorded(store_a_manager, evening, owners, network):
    owner_event_draw(
        actor=store_a_manager, event=evening, segment={"unit": network.store_a}, count=3, seed=7
    )
    first, second, third = evening.invitations.order_by("pk")
    invitation_answer(actor=store_a_manager, invitation=first, status=RsvpStatus.ACCEPTED)
    invitation_answer(actor=store_a_manager, invitation=second, status=RsvpStatus.ACCEPTED)
    with pytest.raises(OwnerEventError):
        invitation_answer(actor=store_a_manager, invitation=third, status=RsvpStatus.ACCEPTED)
    invitation_answer(actor=store_a_manager, invitation=first, status=RsvpStatus.ATTENDED)
    assert EventInvitation.objects.get(pk=first.pk).status == RsvpStatus.ATTENDED


def test_another_store_and_an_advisor_may_not_run_it(
    client, store_b_manager, advisor_a, evening, network
):
    with pytest.raises(OwnerEventError):
        owner_event_draw(actor=advisor_a, event=evening, segment={}, count=1, seed=1)
    client.force_login(store_b_manager)
    assert client.get(f"/care/events/{evening.pk}/").status_code == 404


def test_the_store_plans_and_draws_on_screen(client, store_a_manager, owners, network):
    client.force_login(store_a_manager)
    starts = (timezone.localtime() + timedelta(days=7)).strftime("%Y-%m-%dT19:00")
    answer = client.post(
        "/care/events/",
        {"unit": network.store_a.pk, "name": "Winter driving talk", "starts_at": starts,
         "place": "Lounge", "capacity": 30},
    )  # fmt: skip
    page = client.post(answer.url, {"count": 4, "seed": 99, "unit": network.store_a.pk})
    assert page.status_code == 302
    detail = client.get(answer.url)
    assert detail.context["counts"]["invited"] == 4
