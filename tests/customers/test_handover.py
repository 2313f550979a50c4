"""Named advisors (专属顾问): Alan looks after Li Ming; when Alan leaves, the store manager
hands his customers over so that nobody is orphaned, and the advisor sees his own
customers' cases in his inbox."""

import pytest

from manyi.cases.services import case_open
from manyi.customers.models import Customer
from manyi.customers.services import CustomerError, customer_update, customers_hand_over
from manyi.org.models import Role, Staff


@pytest.fixture
def second_advisor(network):
    return Staff.objects.create(
        username="bo_advisor", full_name="Bo", unit=network.service_a, role=Role.ADVISOR
    )


def test_a_customer_gets_an_advisor_of_the_store_and_not_one_from_elsewhere(
    store_a_manager, store_b_manager, advisor_a, customer_a
):
    customer_update(actor=store_a_manager, customer=customer_a, advisor=advisor_a)
    assert Customer.objects.get(pk=customer_a.pk).advisor == advisor_a
    outsider = Staff.objects.create(
        username="far", full_name="Far", unit=store_b_manager.unit, role=Role.ADVISOR
    )
    with pytest.raises(CustomerError):
        customer_update(actor=store_a_manager, customer=customer_a, advisor=outsider)


def test_a_departed_advisors_customers_are_handed_over(
    client, store_a_manager, advisor_a, second_advisor, customer_a
):
    Customer.objects.filter(pk=customer_a.pk).update(advisor=advisor_a)
    Staff.objects.filter(pk=advisor_a.pk).update(is_active=False)  # Alan left
    client.force_login(store_a_manager)
    page = client.get("/customers/handover/")
    assert [person.pk for person in page.context["departed"]] == [advisor_a.pk]
    client.post("/customers/handover/", {"from_staff": advisor_a.pk, "to_staff": second_advisor.pk})
    assert Customer.objects.get(pk=customer_a.pk).advisor == second_advisor
    assert not client.get("/customers/handover/").context["departed"]


def test_an_advisor_may_not_hand_over_and_not_to_himself(
    advisor_a, store_a_manager, second_advisor
):
    with pytest.raises(CustomerError):
        customers_hand_over(actor=advisor_a, from_staff=second_advisor, to_staff=advisor_a)
    with pytest.raises(CustomerError):
        customers_hand_over(actor=store_a_manager, from_staff=advisor_a, to_staff=advisor_a)


def test_the_advisor_sees_his_own_customers_cases_in_his_inbox(
    client, advisor_a, network, customer_a
):
    Customer.objects.filter(pk=customer_a.pk).update(advisor=advisor_a)
    case = case_open(
        actor=None,
        kind="complaint",
        unit=network.store_a,
        subject="Paint scratched",
        channel="phone",
        customer=customer_a,
    )
    client.force_login(advisor_a)
    inbox = client.get("/inbox/")
    assert case.number in inbox.text and "Cases of my own customers" in inbox.text


def test_the_advisor_is_told_of_his_own_customers_visits(
    client, advisor_a, store_a_manager, network, customer_a, customer_b
):
    from datetime import timedelta

    from django.utils import timezone

    from manyi.customers.services import event_create

    Customer.objects.filter(pk=customer_a.pk).update(advisor=advisor_a, is_vip=True)
    now = timezone.now()
    for number, customer, days_ago in (("RO-1", customer_a, 1), ("RO-2", customer_b, 1),
                                       ("RO-OLD", customer_a, 10)):  # fmt: skip
        event_create(
            actor=None, external_id=number, kind="maintenance", unit=customer.unit,
            customer=customer, opened_at=now - timedelta(days=days_ago),
        )  # fmt: skip
    client.force_login(advisor_a)
    home = client.get("/").text
    assert 'data-testid="card-care-my-customers"' in home and "RO-1" in home
    assert "RO-OLD" not in home  # ten days ago: not news
    assert "RO-2" not in home  # Wang Fang is not his customer
    client.force_login(store_a_manager)
    assert 'data-testid="card-care-my-customers"' not in client.get("/").text  # he has none
