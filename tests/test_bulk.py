"""The ``__any`` lookup finds what ``__in`` finds, on either engine, for keys and ids."""

from manyi.customers.models import Customer, ServiceEvent


def test_any_finds_what_in_finds(customer_a, customer_b, event_a):
    wanted = ["C-A1", "C-B1", "C-none"]
    found = set(Customer.objects.filter(external_id__any=wanted).values_list("pk", flat=True))
    assert found == set(
        Customer.objects.filter(external_id__in=wanted).values_list("pk", flat=True)
    )
    assert found == {customer_a.pk, customer_b.pk}
    assert not Customer.objects.filter(external_id__any=[]).exists()
    by_customer = ServiceEvent.objects.filter(customer_id__any={customer_a.pk, 999_999})
    assert list(by_customer) == [event_a]
