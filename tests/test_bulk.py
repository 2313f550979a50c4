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


def test_insert_one_stores_what_the_orm_would_and_gives_the_key(network, customer_a):
    from django.utils import timezone

    from manyi.bulk import insert_one
    from manyi.customers.models import ServiceEvent

    closed = timezone.now().replace(microsecond=0)
    values = {
        "external_id": "RO-ONE",
        "kind": "repair",
        "unit_id": network.store_a.pk,
        "customer_id": customer_a.pk,
        "opened_at": closed,
        "closed_at": closed,
    }
    first = insert_one(ServiceEvent, values)
    second = insert_one(ServiceEvent, {**values, "external_id": "RO-TWO"})  # the same statement
    stored = ServiceEvent.objects.get(pk=first)
    made = ServiceEvent(**values)  # the defaults the ORM would have given
    assert second != first and stored.external_id == "RO-ONE" and stored.created_at
    assert stored.closed_at == closed and stored.customer_id == customer_a.pk
    for field in ServiceEvent._meta.concrete_fields:
        if field.name not in (*values, "id", "created_at", "updated_at"):
            assert getattr(stored, field.attname) == getattr(made, field.attname), field.name
