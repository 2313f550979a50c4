"""The audit log says who acted, is never changed afterwards, and keeps no personal data.

Ada administers the system; Amy manages store A; Hana is the HQ analyst.
"""

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from manyi.api.auth import api_token_create
from manyi.api.models import ApiToken
from manyi.audit.models import AuditEntry
from manyi.audit.services import audit_record
from manyi.cases.services import case_open, case_update
from manyi.customers.services import (
    contact_add,
    customer_create,
    customer_reveal,
    customer_update,
)
from manyi.imports.models import ImportJob


def test_an_entry_cannot_be_changed_once_written(admin):
    entry = audit_record(actor=admin, action="test")
    entry.action = "something else"
    with pytest.raises(PermissionError):
        entry.save()
    with pytest.raises(PermissionError):
        entry.delete()
    with pytest.raises(PermissionError):
        AuditEntry.objects.filter(pk=entry.pk).update(action="x")
    with pytest.raises(PermissionError):
        AuditEntry.objects.all().delete()


def test_the_admin_site_cannot_add_an_invented_entry(client, admin):
    admin.is_superuser = True
    admin.save()
    client.force_login(admin)
    assert client.get("/admin/audit/auditentry/add/").status_code == 403


def test_revoking_a_token_in_the_admin_site_is_audited(client, admin, store_a_manager):
    admin.is_superuser = True
    admin.save()
    token, _raw = api_token_create(actor=None, staff=store_a_manager, name="DMS")
    client.force_login(admin)
    client.post(
        "/admin/api/apitoken/",
        {"action": "revoke", "_selected_action": [token.pk]},
    )
    assert ApiToken.objects.get().revoked_at is not None
    entry = AuditEntry.objects.get(action="api_token_revoke")
    assert entry.actor == admin


def test_an_upload_is_committed_by_its_uploader_only(client, store_a_manager, hq_analyst):
    client.force_login(store_a_manager)
    client.post(
        "/imports/upload/",
        {
            "kind": "customers",
            "file": SimpleUploadedFile("c.csv", b"external_id,name,unit_code\nC1,Li,S-A\n"),
        },
    )
    job = ImportJob.objects.get()
    client.force_login(hq_analyst)
    assert client.post(f"/imports/{job.pk}/commit/").status_code == 404
    client.force_login(store_a_manager)
    client.post(f"/imports/{job.pk}/commit/")
    assert AuditEntry.objects.get(action="import_commit").actor == store_a_manager


def test_the_log_keeps_ids_and_masked_values_only(store_a_manager, network):
    customer = customer_create(
        actor=store_a_manager,
        external_id="C-77",
        unit=network.store_a,
        name="Li Ming",
        phone="13812345678",
        id_number="110101199001011234",
        address="1 Chang'an Avenue",
    )
    customer_update(
        actor=store_a_manager,
        customer=customer,
        name="Li Mingming",
        address="2 Chang'an Avenue",
        id_number="110101199001019999",
    )
    contact_add(actor=store_a_manager, customer=customer, channel="email", value="li@example.com")
    customer_reveal(actor=store_a_manager, customer=customer)
    case = case_open(
        actor=store_a_manager,
        kind="complaint",
        unit=network.store_a,
        subject="Li Ming says the car smells",
        channel="phone",
        customer=customer,
    )
    case_update(actor=store_a_manager, case=case, subject="Li Ming: smell of smoke")
    written = json.dumps(
        [[e.object_repr, e.changes] for e in AuditEntry.objects.all()], ensure_ascii=False
    )
    for secret in (
        "13812345678",
        "Li Ming",
        "Chang'an",
        "110101199001011234",
        "110101199001019999",
        "li@example.com",
        "smell",
    ):
        assert secret not in written
    assert "customer C-77" in written and "changed" in written
