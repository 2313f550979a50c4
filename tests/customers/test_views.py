"""What each role sees of customers and events on screen, in search and in exports."""

import io

import pytest
from openpyxl import load_workbook

from manyi.audit.models import AuditEntry


@pytest.fixture
def as_user(client):
    def login(user):
        client.force_login(user)
        return client

    return login


def test_store_manager_typing_another_stores_customer_url_gets_404(
    as_user, store_a_manager, customer_b
):
    response = as_user(store_a_manager).get(f"/customers/{customer_b.pk}/")
    assert response.status_code == 404


def test_store_manager_sees_their_own_customer_with_a_masked_phone(
    as_user, store_a_manager, customer_a
):
    response = as_user(store_a_manager).get(f"/customers/{customer_a.pk}/")
    assert response.status_code == 200
    assert "138****5678" in response.text
    assert "13812345678" not in response.text and "1101**********1234" in response.text


def test_search_by_phone_finds_only_customers_in_scope(
    as_user, store_a_manager, customer_a, customer_b
):
    client = as_user(store_a_manager)
    assert "Li Ming" in client.get("/customers/", {"q": "13812345678"}).text
    found = client.get("/customers/", {"q": "13987654321"}).text
    assert "Wang Fang" not in found


def test_search_by_plate_finds_the_vehicle_owner(as_user, store_a_manager, customer_a):
    from manyi.customers.services import asset_create

    asset_create(
        actor=None, customer=customer_a, external_id="V1", plate="京A12345", model_name="Magotan"
    )
    assert "Li Ming" in as_user(store_a_manager).get("/customers/", {"q": "京A12345"}).text


def test_search_by_pinyin_finds_a_chinese_name_typed_without_chinese_input(
    as_user, store_a_manager, network
):
    from manyi.customers.services import customer_create, customer_update

    zhang = customer_create(actor=None, external_id="C-ZW", unit=network.store_a, name="张伟")
    client = as_user(store_a_manager)
    for typed in ("zhangwei", "ZhangWei", "zw", "zhang wei"):
        assert "张伟" in client.get("/customers/", {"q": typed}).text, typed
    assert "张伟" not in client.get("/customers/", {"q": "lm"}).text
    customer_update(actor=store_a_manager, customer=zhang, name="李明")
    assert "李明" in client.get("/customers/", {"q": "liming"}).text


def test_an_imported_name_is_found_by_pinyin_too(as_user, store_a_manager, network):
    from manyi.imports.models import ImportJob
    from manyi.imports.services import import_job_commit

    data = "external_id,name,unit_code\nC-WF,王芳,S-A\n".encode()
    job = ImportJob.objects.create(
        kind="customers", created_by=store_a_manager, original_name="c.csv", size=len(data)
    )
    assert import_job_commit(job=job, binary=io.BytesIO(data)).status == "done"
    assert "王芳" in as_user(store_a_manager).get("/customers/", {"q": "wangfang"}).text


def test_region_manager_sees_both_stores_of_the_region(
    as_user, north_manager, customer_a, customer_b
):
    page = as_user(north_manager).get("/customers/").text
    assert "Li Ming" in page and "Wang Fang" in page


def test_export_contains_only_customers_in_scope_and_masked_phones(
    as_user, store_a_manager, customer_a, customer_b
):
    response = as_user(store_a_manager).get("/customers/export/", {"format": "xlsx"})
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    names = [row[1] for row in rows[1:]]
    assert names == ["Li Ming"]
    assert rows[1][6] == "138****5678"


def test_export_neutralises_spreadsheet_formulas(as_user, store_a_manager, network):
    from manyi.customers.services import customer_create

    customer_create(
        actor=None, external_id="C-EVIL", unit=network.store_a, name='=HYPERLINK("http://x")'
    )
    response = as_user(store_a_manager).get("/customers/export/", {"format": "csv"})
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    assert "'=HYPERLINK" in body


def test_reveal_shows_the_number_and_writes_an_audit_row(as_user, advisor_a, customer_a):
    response = as_user(advisor_a).post(f"/customers/{customer_a.pk}/reveal/")
    assert response.status_code == 200 and "138 1234 5678" in response.text
    assert AuditEntry.objects.filter(action="customer_reveal", actor=advisor_a).exists()


def test_hq_analyst_is_refused_the_reveal(as_user, hq_analyst, customer_a):
    assert as_user(hq_analyst).post(f"/customers/{customer_a.pk}/reveal/").status_code == 403


def test_store_manager_cannot_open_another_stores_event(as_user, store_b_manager, event_a):
    assert as_user(store_b_manager).get(f"/customers/events/{event_a.pk}/").status_code == 404


def test_event_list_filters_by_kind(as_user, store_a_manager, event_a):
    client = as_user(store_a_manager)
    assert "RO-A1" not in client.get("/customers/events/", {"kind": "repair"}).text
    assert event_a.customer.name in client.get("/customers/events/", {"kind": "maintenance"}).text


def test_store_manager_creates_a_customer_from_the_form(as_user, store_a_manager, network):
    response = as_user(store_a_manager).post(
        "/customers/new/",
        {
            "name": "Zhao Lei",
            "unit": network.store_a.pk,
            "party_type": "person",
            "kind": "retail",
            "language": "zh-hans",
            "phone": "13700001234",
        },
    )
    assert response.status_code == 302
    from manyi.customers.models import Customer

    assert Customer.objects.get(name="Zhao Lei").contacts.get().value == "+8613700001234"


def test_a_bad_phone_on_the_form_shows_an_error_and_stores_nothing(
    as_user, store_a_manager, network
):
    response = as_user(store_a_manager).post(
        "/customers/new/",
        {
            "name": "Zhao Lei",
            "unit": network.store_a.pk,
            "party_type": "person",
            "kind": "retail",
            "language": "zh-hans",
            "phone": "999",
        },
    )
    assert response.status_code == 200 and "not a" in response.text
    from manyi.customers.models import Customer

    assert not Customer.objects.filter(name="Zhao Lei").exists()


def test_tier_page_is_for_hq_only(as_user, hq_analyst, store_a_manager):
    assert as_user(hq_analyst).get("/customers/tiers/").status_code == 200
    assert as_user(store_a_manager).get("/customers/tiers/").status_code == 403


def test_an_advisor_records_a_service_event_by_hand(as_user, advisor_a, customer_a, network):
    client = as_user(advisor_a)
    response = client.post(
        f"/customers/{customer_a.pk}/events/new/",
        {
            "kind": "repair",
            "unit": network.service_a.pk,
            "staff": advisor_a.pk,
            "opened_at": "2026-03-01T09:30",
            "closed_at": "2026-03-01T16:00",
            "amount": "1200",
        },
    )
    assert response.status_code == 302
    from manyi.audit.models import AuditEntry
    from manyi.customers.models import ServiceEvent

    event = ServiceEvent.objects.get(customer=customer_a)
    assert (event.kind, event.staff, event.amount) == ("repair", advisor_a, 1200)
    assert AuditEntry.objects.filter(action="event_create", actor=advisor_a).exists()


def test_an_event_closing_before_it_opens_is_refused_on_the_form(
    as_user, advisor_a, customer_a, network
):
    response = as_user(advisor_a).post(
        f"/customers/{customer_a.pk}/events/new/",
        {
            "kind": "repair",
            "unit": network.store_a.pk,
            "opened_at": "2026-03-02T09:30",
            "closed_at": "2026-03-01T16:00",
            "amount": "0",
        },
    )
    assert response.status_code == 200 and "cannot close before" in response.text


def test_a_vehicle_is_added_to_the_customer_card(as_user, store_a_manager, customer_a):
    client = as_user(store_a_manager)
    client.post(
        f"/customers/{customer_a.pk}/assets/new/",
        {"kind": "vehicle", "plate": "京A88888", "model_name": "Magotan"},
    )
    assert "京A88888" in client.get(f"/customers/{customer_a.pk}/").text


def test_a_change_on_the_edit_screen_is_stored_and_audited(client, store_a_manager, customer_a):
    from manyi.audit.models import AuditEntry

    client.force_login(store_a_manager)
    page = client.get(f"/customers/{customer_a.pk}/edit/")
    data = {
        name: value
        for name, value in page.context["form"].initial.items()
        if value is not None and name not in ("birth_date",)
    }
    data.update({"name": "Li Mingming", "city": "Tianjin", "unit": customer_a.unit_id})
    client.post(f"/customers/{customer_a.pk}/edit/", data)
    customer_a.refresh_from_db()
    assert (customer_a.name, customer_a.city) == ("Li Mingming", "Tianjin")
    entry = AuditEntry.objects.get(action="customer_update")
    assert entry.changes["name"] == entry.changes["city"] == "changed"  # never what they hold


def test_gender_as_imported_reads_in_the_pages_language(as_user, store_a_manager, network):
    from manyi.customers.services import customer_create

    customer = customer_create(
        actor=None, external_id="C-G", unit=network.store_a, name="Zhou", gender="女"
    )
    page = as_user(store_a_manager).get(f"/customers/{customer.pk}/")
    assert "Female" in page.text


def test_the_card_shows_the_customers_cases_and_opens_a_new_one(
    client, store_a_manager, network, customer_a
):
    from manyi.cases.services import case_open

    case = case_open(
        actor=store_a_manager,
        kind="complaint",
        unit=network.store_a,
        subject="Door rattles",
        channel="phone",
        customer=customer_a,
    )
    client.force_login(store_a_manager)
    card = client.get(f"/customers/{customer_a.pk}/")
    assert 'data-entry="case"' in card.text and case.number in card.text
    assert 'data-testid="new-case"' in card.text
    form = client.get(f"/cases/new/?customer=C-A1&unit={network.store_a.pk}").context["form"]
    assert form["customer"].value() == "C-A1" and str(form["unit"].value()) == str(
        network.store_a.pk
    )
