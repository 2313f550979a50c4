"""Per role, which customers can be reached by URL, list, search, export and API.

Store A and store B are in the North region; store C is in the East.
"""

import io

import pytest
from openpyxl import load_workbook

from manyi.api.auth import api_token_create
from manyi.customers.services import customer_create

EVERYONE = {"C-A", "C-B", "C-C"}
EXPECTED = {
    "admin": EVERYONE,
    "hq_analyst": EVERYONE,
    "north_manager": {"C-A", "C-B"},
    "store_a_manager": {"C-A"},
    "store_b_manager": {"C-B"},
    "advisor_a": {"C-A"},
}


@pytest.fixture
def three_customers(network):
    return {
        code: customer_create(
            actor=None, external_id=code, unit=unit, name=f"Name {code}", phone=phone
        )
        for code, unit, phone in (
            ("C-A", network.store_a, "13800000001"),
            ("C-B", network.store_b, "13800000002"),
            ("C-C", network.store_c, "13800000003"),
        )
    }


@pytest.fixture(params=sorted(EXPECTED))
def persona(request):
    return request.param, request.getfixturevalue(request.param)


def test_detail_url(client, persona, three_customers):
    name, user = persona
    client.force_login(user)
    reachable = {
        code
        for code, customer in three_customers.items()
        if client.get(f"/customers/{customer.pk}/").status_code == 200
    }
    assert reachable == EXPECTED[name]


def test_list_and_search(client, persona, three_customers):
    name, user = persona
    client.force_login(user)
    listed = {code for code in EVERYONE if f"Name {code}" in client.get("/customers/").text}
    found = {
        code
        for code, phone in (("C-A", "13800000001"), ("C-B", "13800000002"), ("C-C", "13800000003"))
        if f"Name {code}" in client.get("/customers/", {"q": phone}).text
    }
    assert listed == EXPECTED[name] and found == EXPECTED[name]


# The customer list is exported by the office (HQ and managers); API tokens too.
OFFICE = {"admin", "hq_analyst", "north_manager", "store_a_manager", "store_b_manager"}


def test_export(client, persona, three_customers):
    name, user = persona
    client.force_login(user)
    response = client.get("/customers/export/", {"format": "xlsx"})
    if name not in OFFICE:
        assert response.status_code == 403
        return
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert {row[0] for row in sheet.iter_rows(min_row=2, values_only=True)} == EXPECTED[name]


def test_api(client, persona, three_customers):
    name, user = persona
    _token, raw = api_token_create(actor=None, staff=user, name="test")
    response = client.get("/api/v1/customers", headers={"Authorization": f"Bearer {raw}"})
    if name not in OFFICE:
        assert response.status_code == 401
        return
    items = response.json()
    assert {item["external_id"] for item in items["items"]} == EXPECTED[name]
