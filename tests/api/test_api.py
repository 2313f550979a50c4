"""The REST API: token auth, scoping to the token's staff member, batch upserts."""

from manyi.api.auth import api_token_create, api_token_revoke
from manyi.audit.models import AuditEntry
from manyi.customers.models import Customer, ServiceEvent


def test_requests_without_a_token_are_refused(client, network):
    assert client.get("/api/v1/units").status_code == 401


def test_a_revoked_token_is_refused(client, store_a_manager):
    token, raw = api_token_create(actor=None, staff=store_a_manager, name="old")
    api_token_revoke(actor=None, token=token)
    response = client.get("/api/v1/units", headers={"Authorization": f"Bearer {raw}"})
    assert response.status_code == 401


def test_only_the_hash_of_a_token_is_stored(store_a_manager):
    token, raw = api_token_create(actor=None, staff=store_a_manager, name="DMS")
    assert raw not in token.key_hash and token.prefix == raw[:8]


def test_units_are_scoped_to_the_tokens_staff_member(api_as, store_a_manager):
    codes = {unit["code"] for unit in api_as(store_a_manager).get("/api/v1/units").json()["items"]}
    assert codes == {"S-A", "S-A-SV"}


def test_another_stores_customer_is_a_404(api_as, store_a_manager, customer_b):
    assert api_as(store_a_manager).get(f"/api/v1/customers/{customer_b.pk}").status_code == 404


def test_customers_come_with_masked_contacts(api_as, store_a_manager, customer_a):
    body = api_as(store_a_manager).get(f"/api/v1/customers/{customer_a.pk}").json()
    phones = [c for c in body["contacts"] if c["channel"] == "phone"]
    assert phones[0]["value_masked"] == "138****5678"
    assert "13812345678" not in str(body)


def test_a_dealer_system_pushes_events_as_they_close(api_as, store_a_manager, customer_a):
    client = api_as(store_a_manager)
    event = {
        "external_id": "RO-1",
        "kind": "repair",
        "unit_code": "S-A",
        "customer_external_id": "C-A1",
        "opened_at": "2026-03-01T09:00:00+08:00",
        "closed_at": "2026-03-01T17:00:00+08:00",
        "amount": "1200.00",
    }
    first = client.post("/api/v1/events", event, content_type="application/json")
    assert first.status_code == 200 and first.json()["external_id"] == "RO-1"
    again = client.post(
        "/api/v1/events", {**event, "amount": "1300.00"}, content_type="application/json"
    )
    assert again.status_code == 200
    assert ServiceEvent.objects.get().amount == 1300


def test_a_batch_with_one_bad_item_stores_nothing_and_names_it(api_as, store_a_manager, network):
    items = [
        {"external_id": "C1", "name": "Li", "unit_code": "S-A"},
        {"external_id": "C2", "name": "Wang", "unit_code": "S-B"},
    ]
    response = api_as(store_a_manager).post(
        "/api/v1/customers/batch", items, content_type="application/json"
    )
    assert response.status_code == 422
    assert response.json()["errors"] == [
        {
            "index": 1,
            "field": "unit_code",
            "value": "S-B",
            "message": "this unit is outside your part of the network",
        }
    ]
    assert not Customer.objects.exists()


def test_a_good_batch_is_upserted_and_audited(api_as, store_a_manager, network):
    items = [
        {
            "external_id": f"C{n}",
            "name": f"Customer {n}",
            "unit_code": "S-A",
            "phone": "13812345678",
        }
        for n in range(3)
    ]
    response = api_as(store_a_manager).post(
        "/api/v1/customers/batch", items, content_type="application/json"
    )
    assert response.json()["created"] == 3
    assert AuditEntry.objects.filter(action="import_commit").count() == 1


def test_an_advisors_token_is_refused_for_only_the_office_holds_tokens(api_as, advisor_a):
    assert api_as(advisor_a).get("/api/v1/customers").status_code == 401


def test_an_hq_analyst_may_read_customers_but_not_write_them(api_as, hq_analyst, network):
    client = api_as(hq_analyst)
    assert client.get("/api/v1/customers").status_code == 200
    response = client.post(
        "/api/v1/customers",
        {"external_id": "C1", "name": "Li", "unit_code": "S-A"},
        content_type="application/json",
    )
    assert response.status_code == 403


def test_an_empty_batch_is_refused(api_as, store_a_manager):
    response = api_as(store_a_manager).post(
        "/api/v1/events/batch", [], content_type="application/json"
    )
    assert response.status_code == 400


def test_the_openapi_schema_is_published(client, network):
    schema = client.get("/api/v1/openapi.json").json()
    assert "/api/v1/events/batch" in schema["paths"]
    assert schema["components"]["securitySchemes"]["TokenAuth"]["scheme"] == "bearer"


def test_a_store_manager_issues_a_token_on_screen_and_uses_it(client, store_a_manager):
    client.force_login(store_a_manager)
    page = client.post(
        "/account/api-tokens/", {"name": "DMS sync", "scope": "read", "expires": "90"}
    )
    key = page.context["new_key"]
    assert key in page.text
    assert key not in client.get("/account/api-tokens/").text  # shown once only
    client.logout()
    response = client.get("/api/v1/units", headers={"Authorization": f"Bearer {key}"})
    assert response.status_code == 200


def test_revoking_on_screen_stops_the_token(client, store_a_manager):
    token, raw = api_token_create(actor=None, staff=store_a_manager, name="old")
    client.force_login(store_a_manager)
    client.post(f"/account/api-tokens/{token.pk}/revoke/")
    client.logout()
    assert (
        client.get("/api/v1/units", headers={"Authorization": f"Bearer {raw}"}).status_code == 401
    )


def test_a_user_cannot_revoke_someone_elses_token(client, store_a_manager, store_b_manager):
    token, _raw = api_token_create(actor=None, staff=store_b_manager, name="b")
    client.force_login(store_a_manager)
    assert client.post(f"/account/api-tokens/{token.pk}/revoke/").status_code == 404
