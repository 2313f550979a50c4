"""The churn stories' world: two hundred customers of stores A and B who come and go
as customers do, and Li Ming, serviced at store A every three months for two years,
whose last two visits scored poorly and who has not come back for ten months."""

from datetime import date, datetime, time, timedelta

import numpy as np
import pytest
from django.utils import timezone

from manyi.customers.models import Customer, ServiceEvent
from manyi.surveys.models import Response
from tests.surveys.fixtures import csi_version  # noqa: F401

TODAY = date(2026, 11, 30)


def moment(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(10, 0)))


@pytest.fixture
def crowd(network):
    """Two hundred customers over two years: visits at random intervals, and a third of
    them gone at some point."""
    rng = np.random.default_rng(4)
    customers = Customer.objects.bulk_create(
        Customer(external_id=f"CR-{i}", unit=network.store_a if i % 2 else network.store_b,
                 name=f"Customer {i}")
        for i in range(200)
    )  # fmt: skip
    events = []
    for customer in customers:
        day = TODAY - timedelta(days=int(rng.integers(500, 730)))
        gone = TODAY - timedelta(days=int(rng.integers(0, 500))) if rng.random() < 0.33 else TODAY
        while day <= gone:
            events.append(
                ServiceEvent(
                    external_id=f"V-{len(events)}", kind="maintenance", unit=customer.unit,
                    customer=customer, opened_at=moment(day), closed_at=moment(day),
                )
            )  # fmt: skip
            day += timedelta(days=int(rng.gamma(2, 45)) + 1)
    ServiceEvent.objects.bulk_create(events)
    return customers


@pytest.fixture
def li_ming(network, customer_a, csi_version):  # noqa: F811
    """Every three months for two years at store A; the last two visits scored poorly."""
    for n in range(9):
        day = TODAY - timedelta(days=300 + 90 * (8 - n))
        event = ServiceEvent.objects.create(
            external_id=f"LM-{n}", kind="repair", unit=network.store_a, customer=customer_a,
            opened_at=moment(day), closed_at=moment(day),
        )  # fmt: skip
        if n >= 7:
            Response.objects.create(
                version=csi_version, customer=customer_a, event=event, unit=network.store_a,
                channel="sms", submitted_at=moment(day + timedelta(days=3)), answers={},
                index=420.0,
            )  # fmt: skip
    return customer_a
