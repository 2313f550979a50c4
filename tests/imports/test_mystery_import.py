"""An agency that reports in spreadsheets: Hana (headquarters) imports its XLSX of two
visits — one of store A, one of a competitor — and finds them beside each other; a file
with one bad cell names its row and column and stores nothing; the same file twice is
refused, not stored twice."""

import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from manyi.imports.models import ImportJob
from manyi.imports.services import import_job_commit
from manyi.improve.models import Inspection, InspectionAnswer
from manyi.improve.services.checklists import competitor_save

HEADER = ["visit", "agency", "checklist", "unit_code", "competitor", "visited_on", "standard",
          "result", "note"]  # fmt: skip


def rows(store="S-A", lounge="4", competitor_lounge="2"):
    return [
        ["MC-1", "Mingcha", "Store check", store, None, "2026-11-12", "covers", "是", ""],
        ["MC-1", "Mingcha", "Store check", store, None, "2026-11-12", "lounge", lounge, ""],
        ["MC-1", "Mingcha", "Store check", store, None, "2026-11-12", "drinks", "no", "No tea"],
        ["MC-2", "Mingcha", "门店检查", None, "Rival Toyota", "2026-11-13", "covers", "yes", ""],
        ["MC-2", "Mingcha", "门店检查", None, "Rival Toyota", "2026-11-13", "lounge",
         competitor_lounge, ""],
        ["MC-2", "Mingcha", "门店检查", None, "Rival Toyota", "2026-11-13", "drinks", "n/a", ""],
    ]  # fmt: skip


def run(table, actor):
    book = openpyxl.Workbook()
    sheet = book.active
    for line in [HEADER, *table]:
        sheet.append(line)
    data = io.BytesIO()
    book.save(data)
    size = len(data.getvalue())
    job = ImportJob.objects.create(kind="mystery_shops", created_by=actor,
                                   original_name="agency.xlsx", size=size)  # fmt: skip
    return import_job_commit(job=job, binary=io.BytesIO(data.getvalue()))


@pytest.fixture
def rival(hq_analyst, network):
    return competitor_save(actor=hq_analyst, name="Rival Toyota", near=network.store_a)


def test_an_agency_report_becomes_two_mystery_shops(checklist, rival, hq_analyst, network):
    job = run(rows(), hq_analyst)
    assert (job.status, job.created_count, job.errors) == ("done", 2, [])
    ours = Inspection.objects.get(competitor=None)
    assert ours.kind == "mystery" and ours.unit == network.store_a and ours.agency == "Mingcha"
    assert ours.score == round(100 * (1 + 0.8 + 0) / 3, 1) and ours.failed == 1
    theirs = Inspection.objects.get(competitor=rival)
    assert theirs.score == round(100 * (1 + 0.4) / 2, 1)  # drinks did not apply


def test_one_bad_cell_is_named_and_nothing_is_stored(checklist, rival, hq_analyst):
    job = run(rows(lounge="7"), hq_analyst)
    assert job.status == "invalid" and not Inspection.objects.exists()
    assert [(e["row"], e["column"]) for e in job.errors] == [(2, "visit")]
    assert "0 to 5" in job.errors[0]["message"]
    job = run(rows(store="S-X"), hq_analyst)
    assert {(e["row"], e["column"]) for e in job.errors} == {(2, "unit_code"), (3, "unit_code"),
                                                             (4, "unit_code")}  # fmt: skip
    assert not InspectionAnswer.objects.exists()


def test_the_same_report_imported_twice_is_stored_once(checklist, rival, hq_analyst):
    run(rows(), hq_analyst)
    again = run(rows(), hq_analyst)
    assert again.status == "invalid" and "imported already" in again.errors[0]["message"]
    assert Inspection.objects.count() == 2


def test_a_store_manager_may_not_import_agency_reports(checklist, rival, store_a_manager):
    from manyi.imports.services import ImportJobError, import_job_create

    with pytest.raises(ImportJobError):
        import_job_create(actor=store_a_manager, kind="mystery_shops",
                          upload=SimpleUploadedFile("a.xlsx", b"x"))  # fmt: skip


def test_a_visit_in_the_future_is_refused(checklist, rival, hq_analyst):
    future = [[*row[:5], "2099-12-31", *row[6:]] for row in rows()]
    job = run(future, hq_analyst)
    assert job.status == "invalid" and job.errors[0]["column"] == "visited_on"
    assert not Inspection.objects.exists()
