"""A customer belongs to the group and is seen where they were served.

Li Ming's card is kept at store A. Ben manages store B in the same region; Amy store A;
Nick the North region (he may not reveal phone numbers); Zhou is the call centre's
agent at HQ.
"""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from manyi.audit.models import AuditEntry
from manyi.customers.models import Asset
from manyi.customers.selectors import customer_timeline, visible_customers
from manyi.customers.served import customer_match
from manyi.customers.services import asset_create, event_create
from manyi.errors import DomainError
from manyi.org.models import Role
from manyi.org.services import staff_create
from tests.conftest import at

SHANGHAI = ZoneInfo("Asia/Shanghai")


def event_row(external_id, store_code, customer="C-A1", day="2026-04-01"):
    return {
        "external_id": external_id,
        "kind": "repair",
        "unit_code": store_code,
        "customer_external_id": customer,
        "opened_at": f"{day}T09:00:00+08:00",
    }


def test_a_store_does_not_see_a_customer_it_has_not_served(store_b_manager, customer_a):
    assert not visible_customers(store_b_manager).filter(pk=customer_a.pk).exists()


def test_an_event_at_another_store_by_exact_external_id_is_an_audited_match(
    api_as, store_b_manager, customer_a
):
    response = api_as(store_b_manager).post(
        "/api/v1/events", event_row("RO-B9", "S-B"), content_type="application/json"
    )
    assert response.status_code == 200
    assert visible_customers(store_b_manager).filter(pk=customer_a.pk).exists()
    match = AuditEntry.objects.get(action="customer_match")
    assert (match.actor, match.object_id, match.changes) == (
        store_b_manager,
        str(customer_a.pk),
        {"by": "external_id"},
    )


def test_the_card_shows_other_stores_visits_only_as_a_count(
    client, store_a_manager, store_b_manager, customer_a, event_a
):
    event_create(
        actor=store_b_manager,
        external_id="RO-B1",
        kind="repair",
        unit=store_b_manager.unit,
        customer=customer_match(actor=store_b_manager, query="C-A1"),
        opened_at=at("2026-04-01 09:00"),
    )
    entries, elsewhere = customer_timeline(store_b_manager, customer_a)
    assert [e["event"].external_id for e in entries if e["type"] == "service_event"] == ["RO-B1"]
    assert elsewhere == 1
    client.force_login(store_b_manager)
    page = client.get(f"/customers/{customer_a.pk}/").content.decode()
    assert "RO-A1" not in page and "860" not in page
    assert "1 visit at other stores of the group" in page


def test_a_store_reaches_a_group_customer_by_whole_phone_number(
    client, store_b_manager, customer_a
):
    client.force_login(store_b_manager)
    page = client.get("/customers/", {"q": "13812345678"}).content.decode()
    assert "Li Ming" not in page and 'data-testid="match-offer"' in page
    response = client.post("/customers/match/", {"q": "138 1234 5678"})
    assert response["Location"] == f"/customers/{customer_a.pk}/"
    assert AuditEntry.objects.filter(action="customer_match", actor=store_b_manager).exists()
    assert "Li Ming" in client.get("/customers/", {"q": "13812345678"}).content.decode()


def test_a_partial_number_matches_no_customer_of_the_group(store_b_manager, customer_a):
    with pytest.raises(DomainError):
        customer_match(actor=store_b_manager, query="5678")
    assert not visible_customers(store_b_manager).filter(pk=customer_a.pk).exists()


def test_a_role_that_may_not_reveal_numbers_needs_the_whole_number(
    client, north_manager, customer_a
):
    client.force_login(north_manager)
    assert "Li Ming" not in client.get("/customers/", {"q": "5678"}).content.decode()
    assert "Li Ming" in client.get("/customers/", {"q": "13812345678"}).content.decode()


def test_a_store_that_may_reveal_numbers_searches_by_the_last_digits(
    client, store_a_manager, customer_a
):
    client.force_login(store_a_manager)
    assert "Li Ming" in client.get("/customers/", {"q": "5678"}).content.decode()


def test_every_phone_search_is_audited_with_the_number_masked(client, store_a_manager, customer_a):
    client.force_login(store_a_manager)
    client.get("/customers/", {"q": "13812345678"})
    entry = AuditEntry.objects.get(action="customer_phone_search")
    assert entry.changes == {"phone": "138****5678"} and entry.actor == store_a_manager


def test_phone_searches_of_a_role_without_reveal_are_limited(
    client, settings, north_manager, customer_a
):
    settings.PHONE_SEARCHES_PER_HOUR = 2
    client.force_login(north_manager)
    for _ in range(2):
        assert "Li Ming" in client.get("/customers/", {"q": "13812345678"}).content.decode()
    refused = client.get("/customers/", {"q": "13812345678"}).content.decode()
    assert "Li Ming" not in refused and "this hour" in refused


def test_an_asset_of_another_stores_customer_is_not_moved(
    api_as, store_a_manager, customer_a, customer_b
):
    asset_create(actor=None, customer=customer_b, external_id="V-B1", plate="京B12345")
    response = api_as(store_a_manager).post(
        "/api/v1/assets/batch",
        [{"external_id": "V-B1", "customer_external_id": "C-A1", "plate": "京A00001"}],
        content_type="application/json",
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "external_id"
    vehicle = Asset.objects.get(external_id="V-B1")
    assert (vehicle.customer, vehicle.plate) == (customer_b, "京B12345")


def test_an_asset_is_not_given_to_a_customer_the_store_does_not_see(
    api_as, store_a_manager, customer_b
):
    response = api_as(store_a_manager).post(
        "/api/v1/assets/batch",
        [{"external_id": "V-NEW", "customer_external_id": "C-B1"}],
        content_type="application/json",
    )
    assert response.status_code == 422
    assert not Asset.objects.filter(external_id="V-NEW").exists()


@pytest.fixture
def zhou(network):
    """Zhou, the call centre's agent at HQ, as in the demo."""
    return staff_create(
        actor=None,
        username="zhou_hq_agent",
        full_name="Zhou",
        unit=network.hq,
        role=Role.AGENT,
        password="a-long-test-password",
    )


def test_the_agent_sees_no_customer_base(client, zhou, customer_a):
    client.force_login(zhou)
    assert client.get("/customers/").status_code == 403
    assert client.get("/customers/export/").status_code == 403
    assert client.get(f"/customers/{customer_a.pk}/").status_code == 403
    assert not visible_customers(zhou).exists()


def test_the_agent_sees_the_customer_it_calls(client, zhou, programme, customer_a, event_a):
    from manyi.surveys.services import invitation_create

    call = invitation_create(
        programme=programme, customer=customer_a, event=event_a, channel="phone", address=""
    )
    assert list(visible_customers(zhou)) == [customer_a]
    client.force_login(zhou)
    page = client.get(f"/surveys/calls/{call.pk}/").content.decode()
    assert "138 1234 5678" in page
    assert AuditEntry.objects.filter(action="customer_reveal", actor=zhou).exists()


def test_a_response_elsewhere_with_the_same_external_id_is_a_conflict_without_data(
    api_as, hq_analyst, store_b_manager, programme, network
):
    from tests.surveys.fixtures import GOOD_ANSWERS

    first = api_as(hq_analyst).post(
        "/api/v1/responses",
        {
            "programme_code": programme.code,
            "external_id": "PAPER-7",
            "unit_code": "S-A",
            "answers": GOOD_ANSWERS,
            "submitted_at": datetime(2026, 3, 5, 10, tzinfo=SHANGHAI).isoformat(),
        },
        content_type="application/json",
    )
    assert first.status_code == 201
    again = api_as(store_b_manager).post(
        "/api/v1/responses",
        {
            "programme_code": programme.code,
            "external_id": "PAPER-7",
            "unit_code": "S-B",
            "answers": GOOD_ANSWERS,
        },
        content_type="application/json",
    )
    assert again.status_code == 409
    assert "PAPER-7" in again.json()["detail"]
    assert "answers" not in again.json() and "SI1" not in again.content.decode()
