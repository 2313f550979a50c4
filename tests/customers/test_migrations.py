"""Upgrading a network with many events: the index change keeps every event's external
id unique, on the way up and back down, without the LIKE twin PostgreSQL had; where
customers were served loses its foreign keys in the database, not their effects."""

import pytest
from django.db import IntegrityError, connection, transaction
from django.db.migrations.executor import MigrationExecutor
from django.db.models import ProtectedError
from django.utils import timezone

from manyi.customers.models import CustomerUnit
from manyi.customers.served import customers_served

BEFORE = [("customers", "0012_contact_created_at")]
AFTER = [("customers", "0013_event_indexes")]


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def _latest():
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    return executor.loader.graph.leaf_nodes()


def _constraints(table: str) -> dict[str, dict]:
    with connection.cursor() as cursor:
        return connection.introspection.get_constraints(cursor, table)


def _indexes(table: str) -> set[str]:
    return set(_constraints(table))


@pytest.mark.django_db(transaction=True)
def test_an_event_external_id_stays_unique_through_the_index_change_and_back(network, customer_a):
    try:
        for targets in (AFTER, BEFORE, AFTER):
            Event = _migrate(targets).get_model("customers", "ServiceEvent")
            Event.objects.all().delete()
            values = {
                "external_id": "RO-1",
                "kind": "repair",
                "unit_id": network.store_a.pk,
                "customer_id": customer_a.pk,
                "opened_at": timezone.now(),
            }
            Event.objects.create(**values)
            with pytest.raises(IntegrityError), transaction.atomic():
                Event.objects.create(**values)
            if connection.vendor == "postgresql":
                names = _indexes("customers_serviceevent")
                assert ("service_event_external_id_once" in names) == (targets == AFTER)
                assert any(name.endswith("_like") for name in names) == (targets == BEFORE)
    finally:
        _migrate(_latest())


def test_where_a_customer_was_served_goes_with_them_though_the_database_has_no_foreign_keys(
    network, customer_a
):
    customers_served([(customer_a.pk, network.store_b.pk)])
    constraints = _constraints(CustomerUnit._meta.db_table).values()
    assert not [c for c in constraints if c["foreign_key"]]
    customer_id = customer_a.pk
    customer_a.delete()
    assert not CustomerUnit.objects.filter(customer_id=customer_id).exists()


def test_a_store_that_served_a_customer_cannot_be_deleted(network, customer_a):
    customers_served([(customer_a.pk, network.store_b.pk)])
    with pytest.raises(ProtectedError):
        network.store_b.delete()
