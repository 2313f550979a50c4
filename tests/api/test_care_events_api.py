"""Owner events and care touches over the API: store A's manager plans an evening,
draws its invitees (the same seed draws the same owners), records the answers up to
the seats; another store cannot reach the event; HQ reads the planned greetings."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from manyi.care.services import care_rule_save
from manyi.care.touches import touches_plan
from manyi.customers.models import Contact, Customer
from manyi.customers.services import customer_create

JSON = "application/json"


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
        for n in range(6)
    ]
    Contact.objects.update(marketing_consent=True)
    return made


def _evening(store, network, capacity=1):
    made = store.post(
        "/api/v1/care/events",
        {
            "unit_id": network.store_a.pk,
            "name": "Owners' evening",
            "starts_at": (timezone.now() + timedelta(days=10)).isoformat(),
            "place": "Showroom",
            "capacity": capacity,
        },
        content_type=JSON,
    )
    assert made.status_code == 201, made.text
    return made.json()


def test_a_store_plans_draws_and_records_answers_up_to_the_seats(
    api_as, store_a_manager, network, owners
):
    store = api_as(store_a_manager)
    first, second = _evening(store, network), _evening(store, network)
    draw = {"count": 3, "seed": 7, "segment": {"unit_id": network.store_a.pk}}
    for event in (first, second):
        drawn = store.post(f"/api/v1/care/events/{event['id']}/draw", draw, content_type=JSON)
        assert drawn.json() == {"sent": 3, "invited": 3}
    lists = [store.get(f"/api/v1/care/events/{event['id']}/invitations").json()["items"]
             for event in (first, second)]  # fmt: skip
    drawn = [[row["customer_id"] for row in rows] for rows in lists]
    assert drawn[0] == drawn[1]  # the same seed, the same owners
    yes, other, _ = lists[0]
    answer = f"/api/v1/care/events/{first['id']}/invitations/{{}}/answer"
    taken = store.post(answer.format(yes["id"]), {"status": "accepted"}, content_type=JSON)
    assert taken.json()["status"] == "accepted"
    full = store.post(answer.format(other["id"]), {"status": "accepted"}, content_type=JSON)
    assert full.status_code == 400 and "seat" in full.json()["detail"]
    odd = store.post(answer.format(other["id"]), {"status": "maybe"}, content_type=JSON)
    assert odd.status_code == 400
    read = store.get(f"/api/v1/care/events/{first['id']}").json()
    assert (read["invited"], read["accepted"], read["seed"]) == (3, 1, 7)


def test_another_store_cannot_reach_the_event_nor_draw_from_elsewhere(
    api_as, store_a_manager, store_b_manager, network, owners
):
    event = _evening(api_as(store_a_manager), network)
    other = api_as(store_b_manager)
    assert other.get(f"/api/v1/care/events/{event['id']}").status_code == 404
    assert (
        other.post(
            f"/api/v1/care/events/{event['id']}/draw", {"count": 1, "seed": 1}, content_type=JSON
        ).status_code
        == 404
    )
    refused = other.post(
        "/api/v1/care/events",
        {"unit_id": network.store_a.pk, "name": "x", "capacity": 5,
         "starts_at": (timezone.now() + timedelta(days=3)).isoformat()},
        content_type=JSON,
    )  # fmt: skip
    assert refused.status_code == 404


def test_hq_reads_the_planned_greetings_and_odd_filters_are_refused(api_as, hq_analyst, customer_a):
    Customer.objects.filter(pk=customer_a.pk).update(birth_date=date(1985, 10, 1))
    customer_a.contacts.update(marketing_consent=True)
    care_rule_save(actor=hq_analyst, code="birthday", name="Birthday", kind="birthday")
    touches_plan(today=date(2026, 9, 20))
    hq = api_as(hq_analyst)
    (touch,) = hq.get("/api/v1/care/touches?status=planned").json()["items"]
    assert (touch["kind"], touch["customer_id"], touch["due_on"]) == (
        "birthday", customer_a.pk, "2026-10-01"
    )  # fmt: skip
    assert hq.get("/api/v1/care/touches?status=lost").status_code == 400
    assert hq.get("/api/v1/care/touches?kind=picnic").status_code == 400
