"""Customer cards: creating, editing, contacts, and the logged reveal of personal data."""

import pytest

from manyi.audit.models import AuditEntry
from manyi.customers.models import Contact
from manyi.customers.services import (
    CustomerError,
    contact_add,
    contact_set_opt_out,
    customer_create,
    customer_reveal,
    customer_update,
    event_create,
)
from tests.conftest import at


def test_a_new_customer_gets_a_primary_phone_in_e164(customer_a):
    phone = customer_a.contacts.get(channel="phone")
    assert phone.value == "+8613812345678" and phone.is_primary


def test_store_manager_cannot_create_a_customer_in_another_store(network, store_a_manager):
    with pytest.raises(CustomerError, match="outside your part"):
        customer_create(
            actor=store_a_manager, external_id="C-X", unit=network.store_b, name="Someone"
        )


def test_a_bad_phone_number_stores_nothing(network, store_a_manager):
    with pytest.raises(CustomerError, match="12345"):
        customer_create(
            actor=store_a_manager,
            external_id="C-X",
            unit=network.store_a,
            name="Someone",
            phone="12345",
        )
    assert not Contact.objects.exists()
    from manyi.customers.models import Customer

    assert not Customer.objects.filter(external_id="C-X").exists()


def test_an_id_number_change_is_audited_as_changed_only(customer_a, store_a_manager):
    customer_update(actor=store_a_manager, customer=customer_a, id_number="110101198001011111")
    entry = AuditEntry.objects.get(action="customer_update")
    assert entry.changes == {"id_number": "changed"}


def test_advisor_reveals_personal_data_and_the_view_is_logged(customer_a, advisor_a):
    revealed = customer_reveal(actor=advisor_a, customer=customer_a)
    assert revealed["id_number"] == "110101199001011234"
    assert "+8613812345678" in revealed["contacts"].values()
    assert (
        AuditEntry.objects.filter(
            action="customer_reveal", actor=advisor_a, object_id=str(customer_a.pk)
        ).count()
        == 1
    )


def test_hq_analyst_may_not_reveal_personal_data(customer_a, hq_analyst):
    with pytest.raises(CustomerError, match="may not see"):
        customer_reveal(actor=hq_analyst, customer=customer_a)
    assert not AuditEntry.objects.filter(action="customer_reveal").exists()


def test_store_b_manager_cannot_reveal_store_a_customer(customer_a, store_b_manager):
    with pytest.raises(CustomerError):
        customer_reveal(actor=store_b_manager, customer=customer_a)


def test_opting_out_makes_a_contact_unreachable(customer_a, store_a_manager):
    phone = customer_a.contacts.get(channel="phone")
    contact_set_opt_out(actor=store_a_manager, contact=phone, opted_out=True)
    phone.refresh_from_db()
    assert not phone.reachable


def test_a_second_phone_is_not_primary(customer_a, store_a_manager):
    second = contact_add(
        actor=store_a_manager, customer=customer_a, channel="phone", value="13900001111"
    )
    assert not second.is_primary


def test_an_event_cannot_close_before_it_opens(network, customer_a, store_a_manager):
    with pytest.raises(CustomerError, match="close before"):
        event_create(
            actor=store_a_manager,
            external_id="RO-X",
            kind="repair",
            unit=network.store_a,
            customer=customer_a,
            opened_at=at("2026-03-02 10:00"),
            closed_at=at("2026-03-01 10:00"),
        )
