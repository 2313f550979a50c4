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


def test_a_scored_response_is_stored_as_the_orm_would_store_it(
    csi_version, network, customer_a, advisor_a, store_a_manager
):
    import pytest
    from django.utils import timezone

    from manyi.surveys.models import Response
    from manyi.surveys.services.responses import create_scored
    from tests.surveys.fixtures import GOOD_ANSWERS

    given = {
        "answers": GOOD_ANSWERS,
        "unit_id": network.store_a.pk,
        "channel": "phone",
        "submitted_at": timezone.now(),
        "customer": customer_a,
        "staff": advisor_a,
        "recorded_by": store_a_manager,
        "flags": ["too_fast"],
    }
    made = create_scored(version_id=csi_version.pk, external_id="ONE", **given)
    stored = Response.objects.get(pk=made.pk)
    by_orm = Response.objects.create(
        version_id=csi_version.pk,
        external_id="TWO",
        scores=stored.scores,
        index=stored.index,
        nps=stored.nps,
        nps_class=stored.nps_class,
        overall=stored.overall,
        **given,
    )
    by_orm.refresh_from_db()
    for field in Response._meta.concrete_fields:
        if field.name not in ("id", "external_id"):
            assert getattr(stored, field.attname) == getattr(by_orm, field.attname), field.name
    assert made.customer_id == customer_a.pk and made.recorded_by_id == store_a_manager.pk
    with pytest.raises(ValueError):
        create_scored(
            version_id=csi_version.pk, **{**given, "customer": type(customer_a)(name="unsaved")}
        )


def test_insert_many_stores_rows_given_one_at_a_time_as_they_are_made(network, customer_a):
    from datetime import timedelta
    from decimal import Decimal

    from django.utils import timezone

    from manyi.bulk import insert_many

    opened = timezone.now().replace(microsecond=0)
    made = []

    def rows():  # an import's rows are built while the first ones are sent
        for n in range(3):
            made.append(n)
            yield {
                "external_id": f"RO-{n}",
                "kind": "repair",
                "unit_id": network.store_a.pk,
                "customer_id": customer_a.pk,
                "opened_at": opened + timedelta(hours=n),
                "amount": Decimal("12.50"),
            }

    insert_many(ServiceEvent, rows())
    insert_many(ServiceEvent, iter(()))  # nothing to store is no statement and no error
    stored = list(
        ServiceEvent.objects.order_by("opened_at").values_list("external_id", "opened_at", "amount")
    )
    assert made == [0, 1, 2]
    assert stored == [(f"RO-{n}", opened + timedelta(hours=n), Decimal("12.50")) for n in range(3)]
