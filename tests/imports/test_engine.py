"""Imports check every row, name row and column of each error, and store all or nothing."""

import io

from django.utils import translation

from manyi import bulk
from manyi.audit.models import AuditEntry
from manyi.customers.models import Asset, Customer, CustomerUnit, ServiceEvent
from manyi.customers.selectors import visible_customers
from manyi.imports.kinds import KINDS
from manyi.imports.kinds import events as events_kind
from manyi.imports.models import ImportJob
from manyi.imports.readers import open_table
from manyi.imports.services import import_job_check, import_job_commit

EVENT_HEADER = "external_id,kind,unit_code,customer_external_id,opened_at,closed_at,amount\n"


def run(kind: str, text: str, actor=None, *, commit=True, encoding="utf-8"):
    data = text.encode(encoding)
    job = ImportJob.objects.create(
        kind=kind, created_by=actor, original_name="f.csv", size=len(data)
    )
    action = import_job_commit if commit else import_job_check
    return action(job=job, binary=io.BytesIO(data))


def errors(job) -> list[tuple[int, str, str]]:
    return [(e["row"], e["column"], e["message"]) for e in job.errors]


def event_rows(n: int, start: int = 1) -> str:
    return "".join(
        f"RO-{i},maintenance,S-A,C-A1,2026-03-{1 + i % 28:02d} 09:30,,{i}.50\n"
        for i in range(start, start + n)
    )


def test_customers_import_and_a_second_run_updates_instead_of_duplicating(network):
    text = "external_id,name,unit_code,phone\nC1,李明,S-A,13812345678\nC2,王芳,S-B,\n"
    first = run("customers", text)
    assert (first.status, first.created_count, first.updated_count) == ("done", 2, 0)
    second = run("customers", text.replace("王芳", "王芳芳"))
    assert (second.created_count, second.updated_count) == (0, 2)
    assert Customer.objects.get(external_id="C2").name == "王芳芳"
    assert Customer.objects.count() == 2
    assert Customer.objects.get(external_id="C1").contacts.count() == 1


def test_gbk_file_with_chinese_headers_is_understood(network):
    text = "外部编号,名称,本店代码\nC1,李明,S-A\n"
    job = run("customers", text, encoding="gbk")
    assert (job.status, job.encoding, errors(job)) == ("done", "gb18030", [])
    assert Customer.objects.get(external_id="C1").name == "李明"


def test_a_missing_required_column_is_reported_on_the_header_row(network):
    job = run("customers", "external_id,name\nC1,李明\n")
    assert errors(job) == [(1, "unit_code", "required column is missing")]
    assert not Customer.objects.exists()


def test_a_bad_date_names_its_row_and_column_and_nothing_is_stored(network, customer_a):
    text = EVENT_HEADER + event_rows(3) + "RO-9,repair,S-A,C-A1,2026-13-45,,10\n"
    job = run("events", text)
    assert errors(job) == [(5, "opened_at", "not a date and time (use YYYY-MM-DD HH:MM)")]
    assert job.status == "invalid" and not ServiceEvent.objects.exists()


def test_an_unknown_unit_code_is_an_error(network, customer_a):
    job = run("events", EVENT_HEADER + "RO-1,repair,S-ZZ,C-A1,2026-03-01 09:00,,10\n")
    assert errors(job) == [(2, "unit_code", "no unit has this code")]


def test_a_duplicate_external_id_inside_one_file_is_caught_even_across_batches(
    network, customer_a, monkeypatch
):
    monkeypatch.setattr(KINDS["events"], "batch_size", 50)
    text = EVENT_HEADER + event_rows(120) + event_rows(1, start=7)
    job = run("events", text)
    assert errors(job) == [(122, "external_id", "appears more than once in this file")]
    assert not ServiceEvent.objects.exists()


def test_a_second_file_updates_every_event_though_its_keys_take_several_look_ups(
    network, customer_a, customer_b, monkeypatch
):
    # Each look-up asks for a few keys at a time (a thousand in production).
    monkeypatch.setattr(bulk, "KEYS_PER_LOOKUP", 2)
    first = run("events", EVENT_HEADER + event_rows(4) + event_rows(1, start=9))
    assert (first.status, first.created_count) == ("done", 5)
    again = EVENT_HEADER + event_rows(5).replace("C-A1", "C-B1").replace(",S-A,", ",S-B,")
    second = run("events", again)
    assert (second.status, second.created_count, second.updated_count) == ("done", 1, 4)
    assert set(ServiceEvent.objects.values_list("customer__external_id", flat=True)) == {
        "C-A1",
        "C-B1",
    }
    assert ServiceEvent.objects.filter(customer=customer_b).count() == 5


def test_errors_found_when_a_batch_is_written_come_before_those_of_the_next_batch(
    network, customer_a, monkeypatch
):
    # Batch one (rows 2-3) repeats a key, found as it is written; batch two (rows 4-5)
    # has a bad date, found as it is read: the list still follows the rows.
    monkeypatch.setattr(KINDS["events"], "batch_size", 2)
    text = EVENT_HEADER + event_rows(1) + event_rows(1) + "RO-8,repair,S-A,C-A1,soon,,1\n"
    text += event_rows(1, start=9)
    assert [row for row, _column, _message in errors(run("events", text))] == [3, 4]


def test_a_duplicate_inside_one_batch_names_the_first_row(network, customer_a):
    job = run("events", EVENT_HEADER + event_rows(2) + event_rows(1))
    assert errors(job) == [
        (4, "external_id", "appears more than once in this file (first on row 2)")
    ]


def test_one_bad_row_at_the_end_of_a_long_file_stores_nothing(network, customer_a):
    text = EVENT_HEADER + event_rows(5000) + "RO-LAST,maintenance,S-A,C-A1,yesterday,,1\n"
    job = run("events", text)
    assert job.rows == 5001 and job.error_count == 1
    assert errors(job)[0][:2] == (5002, "opened_at")
    assert ServiceEvent.objects.count() == 0


def test_every_error_is_listed_not_only_the_first(network, customer_a):
    text = EVENT_HEADER + "RO-1,fly,S-A,C-A1,2026-03-01,,x\nRO-2,repair,S-A,C-NOPE,,,\n"
    job = run("events", text)
    assert errors(job) == [
        (
            2,
            "kind",
            "must be one of: maintenance, repair, warranty, sale, outpatient, "
            "inpatient, checkup, account_service, installation, consultation, other",
        ),
        (2, "amount", "not a number"),
        (3, "opened_at", "a value is required"),
        (3, "customer_external_id", "no customer has this external id"),
    ]


def test_errors_of_later_batches_read_ahead_are_listed_in_row_order(
    network, customer_a, monkeypatch
):
    monkeypatch.setattr(KINDS["events"], "batch_size", 3)
    rows = event_rows(10).splitlines(keepends=True)
    rows[1] = rows[1].replace("maintenance", "fly")  # row 3: read wrong
    rows[4] = rows[4].replace("C-A1", "C-NOPE")  # row 6: no such customer
    rows[8] = rows[8].replace("09:30", "29:30")  # row 10: read wrong
    with translation.override("zh-hans"):
        job = run("events", EVENT_HEADER + "".join(rows))
    assert [(row, column) for row, column, _message in errors(job)] == [
        (3, "kind"), (6, "customer_external_id"), (10, "opened_at"),
    ]  # fmt: skip
    read_wrong, unknown = errors(job)[0][2], errors(job)[1][2]
    assert not read_wrong.startswith("must be one of") and "没有" in unknown  # 中文, both
    assert job.rows == 10
    assert not ServiceEvent.objects.exists()


def test_a_line_that_cannot_be_read_comes_after_the_errors_before_it(network, customer_a):
    rows = event_rows(4).splitlines(keepends=True)
    rows[0] = rows[0].replace("maintenance", "fly")  # row 2: read wrong
    rows[2] = rows[2].replace("\n", ",extra\n")  # row 4: more cells than the header
    job = run("events", EVENT_HEADER + "".join(rows))
    assert [(row, column) for row, column, _message in errors(job)] == [(2, "kind"), (4, "")]
    assert "has 8 cells" in errors(job)[1][2] and not ServiceEvent.objects.exists()


def test_the_check_lists_counts_and_stores_nothing(network, customer_a):
    job = run("events", EVENT_HEADER + event_rows(3), commit=False)
    assert (job.status, job.created_count, job.error_count) == ("checked", 3, 0)
    assert not ServiceEvent.objects.exists()
    assert job.preview[0]["external_id"] == "RO-1"


def test_store_manager_cannot_import_events_into_another_store(
    network, customer_a, store_b_manager
):
    job = run("events", EVENT_HEADER + event_rows(1), actor=store_b_manager)
    assert errors(job) == [(2, "unit_code", "this unit is outside your part of the network")]


def test_store_manager_cannot_overwrite_another_stores_customer_by_external_id(
    network, customer_a, store_b_manager
):
    job = run("customers", "external_id,name,unit_code\nC-A1,Stolen,S-B\n", actor=store_b_manager)
    assert errors(job) == [(2, "external_id", "belongs to a unit outside your part of the network")]
    assert Customer.objects.get(external_id="C-A1").name == "Li Ming"


def test_an_asset_of_another_customer_is_refused_on_an_event(network, customer_a, customer_b):
    Asset.objects.create(external_id="V-B", customer=customer_b, plate="京B1")
    text = (
        "external_id,kind,unit_code,customer_external_id,asset_external_id,opened_at\n"
        "RO-1,repair,S-A,C-A1,V-B,2026-03-01 09:00\n"
    )
    assert errors(run("events", text)) == [
        (2, "asset_external_id", "this asset belongs to another customer")
    ]


def test_each_customer_becomes_visible_where_an_imported_event_served_them(
    network, customer_a, customer_b, store_b_manager, monkeypatch
):
    # Where-served pairs are stored a few times per file: here once the first batch has
    # given two, and the last one's at the end.
    monkeypatch.setattr(KINDS["events"], "batch_size", 2)
    monkeypatch.setattr(events_kind, "SERVED_KEPT", 2)
    text = (
        EVENT_HEADER
        + "RO-1,repair,S-B,C-A1,2026-03-01 09:00,,10\n"
        + "RO-2,repair,S-A-SV,C-B1,2026-03-02 09:00,,10\n"
        + "RO-3,repair,S-A,C-A1,2026-03-03 09:00,,10\n"
        + "RO-4,repair,S-B,C-B1,2026-03-04 09:00,,10\n"
        + "RO-5,repair,S-C,C-A1,2026-03-05 09:00,,10\n"
    )
    assert run("events", text).status == "done"
    served = set(CustomerUnit.objects.values_list("customer__external_id", "unit__code"))
    assert {("C-A1", "S-B"), ("C-B1", "S-A"), ("C-A1", "S-C")} <= served
    assert ("C-B1", "S-A-SV") not in served  # a department's visit counts for its store
    assert visible_customers(store_b_manager).filter(pk=customer_a.pk).exists()


def test_a_store_importing_a_group_customers_events_is_audited_once(
    network, customer_a, store_b_manager, monkeypatch
):
    monkeypatch.setattr(KINDS["events"], "batch_size", 1)
    text = EVENT_HEADER + "".join(
        f"RO-{n},repair,S-B,C-A1,2026-03-0{n} 09:00,,10\n" for n in range(1, 4)
    )
    assert run("events", text, actor=store_b_manager).status == "done"
    assert AuditEntry.objects.filter(action="customer_match").count() == 1
    assert visible_customers(store_b_manager).filter(pk=customer_a.pk).exists()


def test_units_import_builds_the_tree_parents_first(network):
    text = (
        "code,name,level,kind,parent_code\n"
        "R-S,South,region,region_office,HQ\n"
        "S-S1,Guangzhou,store,dealer,R-S\n"
        "S-S1-SV,Guangzhou service,department,service_department,S-S1\n"
    )
    job = run("units", text)
    assert job.status == "done" and job.created_count == 3
    from manyi.org.models import Unit

    assert Unit.objects.get(code="S-S1-SV").path.startswith(Unit.objects.get(code="R-S").path)


def test_staff_import_refuses_an_unknown_role(network):
    text = "code,full_name,unit_code,role\nE1,王芳,S-A,emperor\n"
    job = run("staff", text)
    assert errors(job)[0][:2] == (2, "role")


def test_a_header_without_rows_is_an_error(network):
    job = run("customers", "external_id,name,unit_code\n")
    assert errors(job) == [(2, "", "The file has a header but no rows.")]


def test_an_xlsx_file_is_imported_with_dates_from_cells(network, customer_a):
    from datetime import datetime

    from openpyxl import Workbook

    book = Workbook()
    book.active.append(
        ["external_id", "kind", "unit_code", "customer_external_id", "opened_at", "amount"]
    )
    book.active.append(["RO-X1", "保养", "S-A", "C-A1", datetime(2026, 3, 1, 9, 30), 860])
    out = io.BytesIO()
    book.save(out)
    job = ImportJob.objects.create(kind="events", original_name="f.xlsx", size=len(out.getvalue()))
    job = import_job_commit(job=job, binary=io.BytesIO(out.getvalue()))
    assert job.status == "done", job.errors
    event = ServiceEvent.objects.get(external_id="RO-X1")
    assert event.kind == "maintenance" and event.amount == 860


def test_open_table_is_what_the_engine_reads(network):
    table = open_table(io.BytesIO(b"a,b\n1,2\n"), name="x.csv", size=8)
    assert table.headers == ["a", "b"]


def test_renaming_units_by_import_keeps_them_where_they_are(network):
    job = run("units", "code,name,level,kind\nS-A,Store A renamed,store,dealer\n")
    assert job.status == "done", job.errors
    from manyi.org.models import Unit

    unit = Unit.objects.get(code="S-A")
    assert unit.name == "Store A renamed" and unit.parent == network.north


def test_an_empty_file_is_reported_and_stores_nothing(network):
    job = run("customers", "")
    assert (job.status, errors(job)) == ("invalid", [(1, "", "The file is empty.")])


def test_a_file_in_an_unknown_encoding_is_reported(network):
    data = bytes(range(128, 256)) * 8
    job = ImportJob.objects.create(kind="customers", original_name="f.csv", size=len(data))
    job = import_job_commit(job=job, binary=io.BytesIO(data))
    assert errors(job) == [
        (1, "", "The file is neither UTF-8 nor GBK/GB18030 text, nor an XLSX workbook.")
    ]


def test_a_nul_character_is_refused_by_row_and_column(network):
    job = run("customers", "external_id,name,unit_code\nC1,Li\x00Ming,S-A\n")
    assert errors(job) == [(2, "name", "NUL characters (code 0) are not allowed")]
    assert not Customer.objects.exists()
