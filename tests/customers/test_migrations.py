"""Upgrading a network with many events: the index change keeps every event's external
id unique, on the way up and back down, without the LIKE twin PostgreSQL had."""

import pytest
from django.db import IntegrityError, connection, transaction
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

BEFORE = [("customers", "0012_contact_created_at")]
AFTER = [("customers", "0013_event_indexes")]


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def _indexes(table: str) -> set[str]:
    with connection.cursor() as cursor:
        return set(connection.introspection.get_constraints(cursor, table))


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
        _migrate(AFTER)
