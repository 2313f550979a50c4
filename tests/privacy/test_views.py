"""The screens and API of personal data: Ada (the admin) exports and erases, Amy (store
A's manager) sees the panel but not the buttons, a hospital nurse records consent."""

import json

from manyi.customers.models import Customer
from manyi.privacy.models import HealthConsent, RetentionPolicy


def test_the_card_panel_offers_export_and_erasure_to_the_officer_only(
    client, admin, store_a_manager, customer_a
):
    client.force_login(admin)
    panel = client.get(f"/privacy/customers/{customer_a.pk}/").content.decode()
    assert 'data-testid="data-export"' in panel and 'data-testid="data-erase"' in panel
    client.force_login(store_a_manager)
    panel = client.get(f"/privacy/customers/{customer_a.pk}/").content.decode()
    assert 'data-testid="data-export"' not in panel
    assert client.post(f"/privacy/customers/{customer_a.pk}/export/").status_code == 403


def test_the_export_downloads_as_one_json_file(client, admin, customer_a, li_ming_history):
    client.force_login(admin)
    response = client.post(f"/privacy/customers/{customer_a.pk}/export/")
    assert response["Content-Disposition"].startswith("attachment;")
    document = json.loads(response.content)
    assert document["customer"] == "C-A1" and document["sections"]


def test_erasure_asks_for_the_external_id_first(client, admin, customer_a, li_ming_history):
    client.force_login(admin)
    url = f"/privacy/customers/{customer_a.pk}/erase/"
    page = client.get(url).content.decode()
    assert 'data-testid="erase-preview"' in page and "Phones, e-mail addresses" in page
    refused = client.post(url, {"confirm": "C-B1"})
    assert refused.status_code == 200 and "not this customer" in refused.content.decode()
    assert Customer.objects.get(pk=customer_a.pk).erased_at is None
    done = client.post(url, {"confirm": "C-A1"}, follow=True)
    assert "Erased customer" in done.content.decode()
    assert Customer.objects.get(pk=customer_a.pk).name == "—"


def test_a_nurse_records_and_withdraws_a_patients_consent(client, hospital, network):
    from manyi.customers.services import customer_create
    from tests.conftest import _person

    nurse = _person("nina_nurse", hospital, "store_manager")
    patient = customer_create(actor=None, external_id="P-9", unit=hospital, name="Zhao Lei")
    client.force_login(nurse)
    panel = client.get(f"/privacy/customers/{patient.pk}/").content.decode()
    assert 'data-testid="consent-form"' in panel and "No consent" in panel
    client.post(
        f"/privacy/customers/{patient.pk}/consent/", {"unit": hospital.pk, "form": "signed"}
    )
    assert HealthConsent.objects.get(customer=patient).withdrawn_at is None
    assert "Consent in force" in client.get(f"/privacy/customers/{patient.pk}/").content.decode()
    client.post(f"/privacy/customers/{patient.pk}/consent/withdraw/")
    assert HealthConsent.objects.get(customer=patient).withdrawn_at is not None
    # A unit outside the hospital is refused with a message, not stored.
    response = client.post(
        f"/privacy/customers/{patient.pk}/consent/",
        {"unit": network.store_a.pk, "form": "signed"},
        follow=True,
    )
    assert HealthConsent.objects.filter(customer=patient).count() == 1
    assert response.status_code == 200


def test_the_overview_saves_the_retention_periods_and_lists_requests(
    client, admin, customer_a, li_ming_history
):
    client.force_login(admin)
    client.post(f"/privacy/customers/{customer_a.pk}/export/")
    page = client.get("/privacy/").content.decode()
    assert 'data-testid="register-table"' in page and "Personal data exported" in page
    bad = client.post("/privacy/", {"contact_days": "-1", "free_text_days": "x"})
    assert bad.status_code == 200 and RetentionPolicy.current().contact_days == 1095
    client.post(
        "/privacy/", {"contact_days": "730", "free_text_days": "365", "attachments_days": "180"}
    )
    assert RetentionPolicy.current().free_text_days == 365
    page = client.get("/privacy/").content.decode()
    assert "Retention periods changed" in page and "customers.Contact" not in page


def test_the_api_exports_and_erases_for_the_officer(api_as, admin, store_a_manager, customer_a):
    client = api_as(store_a_manager)
    assert client.get(f"/api/v1/customers/{customer_a.pk}/personal-data").status_code == 403
    client = api_as(admin)
    document = client.get(f"/api/v1/customers/{customer_a.pk}/personal-data").json()
    assert document["format"] == "manyi-personal-data/1"
    erased = client.post(f"/api/v1/customers/{customer_a.pk}/erase")
    assert erased.status_code == 200 and erased.json()["changed"]["customers.Contact"] == 2
    again = client.post(f"/api/v1/customers/{customer_a.pk}/erase")
    assert again.status_code == 400 and "erased already" in again.json()["detail"]
    assert client.get("/api/v1/customers/999999/personal-data").status_code == 404
