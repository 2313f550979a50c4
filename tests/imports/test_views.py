"""Upload → check → commit on screen, small files at once and large ones in the worker."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from manyi.customers.models import Customer
from manyi.imports.models import ImportJob

GOOD = "external_id,name,unit_code\nC1,李明,S-A\n".encode("gbk")
BAD = b"external_id,name,unit_code\nC1,Li,S-A\nC2,Wang,S-ZZ\n"


def upload(client, data: bytes, name: str = "customers.csv", kind: str = "customers"):
    return client.post("/imports/upload/", {"kind": kind, "file": SimpleUploadedFile(name, data)})


def test_a_store_manager_uploads_checks_and_commits(client, store_a_manager):
    client.force_login(store_a_manager)
    response = upload(client, GOOD)
    job = ImportJob.objects.get()
    assert response.url == f"/imports/{job.pk}/"
    page = client.get(response.url).text
    assert "Ready to commit" in page and not Customer.objects.exists()
    client.post(f"/imports/{job.pk}/commit/")
    assert Customer.objects.get().name == "李明"
    assert ImportJob.objects.get().status == "done"


def test_errors_are_listed_on_the_preview_and_commit_is_refused(client, store_a_manager):
    client.force_login(store_a_manager)
    page = client.get(upload(client, BAD).url).text
    assert "S-ZZ" in page and "no unit has this code" in page
    job = ImportJob.objects.get()
    response = client.post(f"/imports/{job.pk}/commit/", follow=True)
    assert "Fix the errors" in response.text
    assert not Customer.objects.exists()


def test_a_file_of_the_wrong_type_is_refused(client, store_a_manager):
    client.force_login(store_a_manager)
    response = upload(client, b"%PDF-1.4", name="report.pdf")
    assert not ImportJob.objects.exists()
    assert "Upload a CSV or XLSX file." in client.get(response.url).text


def test_a_large_file_is_checked_and_committed_by_a_background_task(
    client, store_a_manager, settings
):
    settings.IMPORT_INLINE_MAX_BYTES = 10  # every upload counts as large
    client.force_login(store_a_manager)
    upload(client, GOOD)  # the immediate task backend runs the check at once
    job = ImportJob.objects.get()
    assert job.status == "checked"
    client.post(f"/imports/{job.pk}/commit/")
    assert ImportJob.objects.get().status == "done" and Customer.objects.count() == 1


def test_the_status_fragment_polls_while_running(client, store_a_manager):
    client.force_login(store_a_manager)
    job = ImportJob.objects.create(
        kind="customers", created_by=store_a_manager, status="committing", original_name="x.csv"
    )
    fragment = client.get(f"/imports/{job.pk}/?part=status", headers={"HX-Request": "true"})
    assert 'hx-trigger="every 1s"' in fragment.text and "<html" not in fragment.text


def test_an_advisor_may_not_import(client, advisor_a):
    client.force_login(advisor_a)
    assert client.get("/imports/").status_code == 403


def test_a_store_manager_sees_only_their_own_uploads(client, store_a_manager, store_b_manager):
    job = ImportJob.objects.create(
        kind="customers", created_by=store_b_manager, original_name="b.csv"
    )
    client.force_login(store_a_manager)
    assert client.get(f"/imports/{job.pk}/").status_code == 404


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_each_kind_has_a_template_to_download(client, store_a_manager, fmt):
    client.force_login(store_a_manager)
    response = client.get(f"/imports/templates/events.{fmt}")
    assert response.status_code == 200
    assert b"external_id" in response.content or fmt == "xlsx"


@pytest.mark.parametrize("kind", ["units", "staff", "customers", "assets", "events"])
def test_a_downloaded_template_has_every_column_the_import_needs(network, kind):
    import io

    from manyi.imports.kinds import KINDS
    from manyi.imports.services import import_job_check
    from manyi.imports.templates_csv import template_csv

    data = template_csv(KINDS[kind])
    job = ImportJob.objects.create(kind=kind, original_name="t.csv", size=len(data))
    job = import_job_check(job=job, binary=io.BytesIO(data))
    assert job.rows == 1
    assert all(error["row"] == 2 for error in job.errors)  # codes of the example, not headers
