"""Responses gathered on paper or by another tool come in as a file: checked, scored, once."""

import io

import openpyxl

from manyi.imports.models import ImportJob
from manyi.imports.services import import_job_commit
from manyi.surveys.models import Alert, Response
from tests.surveys.fixtures import GOOD_ANSWERS

ITEMS = [code for code in GOOD_ANSWERS if code != "CONTACT_ME"]
HEADER = "external_id,programme_code,unit_code,submitted_at,customer_external_id," + ",".join(ITEMS)


def line(ref: str, unit: str = "S-A", **changes) -> str:
    answers = {**GOOD_ANSWERS, **changes}
    cells = [str(answers[code]) for code in ITEMS]
    return f"{ref},csi-follow-up,{unit},2026-03-05 10:20,C-A1," + ",".join(cells)


def run(text: str, actor=None):
    data = text.encode("utf-8")
    job = ImportJob.objects.create(
        kind="responses", created_by=actor, original_name="r.csv", size=len(data)
    )
    return import_job_commit(job=job, binary=io.BytesIO(data))


def errors(job):
    return [(e["row"], e["column"], e["message"]) for e in job.errors]


def test_paper_responses_are_stored_scored_and_alerted(programme, customer_a):
    job = run("\n".join([HEADER, line("P-1"), line("P-2", OVERALL=2)]) + "\n")
    assert (job.status, job.created_count, errors(job)) == ("done", 2, [])
    low = Response.objects.get(external_id="P-2")
    assert low.channel == "import" and low.index is not None and low.customer == customer_a
    assert Alert.objects.filter(response=low).exists()


def test_a_second_import_of_the_same_file_updates_instead_of_duplicating(programme, customer_a):
    run("\n".join([HEADER, line("P-1")]) + "\n")
    again = run("\n".join([HEADER, line("P-1", SQ1=5)]) + "\n")
    assert (again.created_count, again.updated_count) == (0, 1)
    assert Response.objects.count() == 1
    assert Response.objects.get().answers["SQ1"] == 5


def test_a_bad_answer_names_row_and_item_and_nothing_is_stored(programme, customer_a):
    job = run("\n".join([HEADER, line("P-1"), line("P-2", SQ2=11), line("P-3", NPS="")]) + "\n")
    assert job.status == "invalid"
    assert (3, "SQ2", "not a valid answer to this item (see its scale or choices)") in errors(job)
    assert (4, "NPS", "an answer is required") in errors(job)
    assert not Response.objects.exists()


def test_an_unknown_item_column_and_programme_are_reported(programme, customer_a):
    text = (
        HEADER
        + ",WAITING\n"
        + line("P-1")
        + ",7\n"
        + line("P-2").replace("csi-follow-up", "nope")
        + ",7\n"
    )
    job = run(text)
    assert (1, "WAITING", "not an item of this questionnaire") in errors(job)
    assert (3, "programme_code", "no programme has this code") in errors(job)
    assert not Response.objects.exists()


def test_a_store_manager_cannot_import_into_another_store(programme, customer_a, store_b_manager):
    job = run("\n".join([HEADER, line("P-1", unit="S-A")]) + "\n", actor=store_b_manager)
    assert job.status == "invalid" and not Response.objects.exists()


def test_an_xlsx_file_with_number_cells_is_read(programme, customer_a, tmp_path):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(HEADER.split(","))
    sheet.append(
        ["P-1", "csi-follow-up", "S-A", "2026-03-05 10:20", "C-A1"]
        + [float(GOOD_ANSWERS[code]) for code in ITEMS]
    )
    buffer = io.BytesIO()
    book.save(buffer)
    job = ImportJob.objects.create(
        kind="responses", original_name="r.xlsx", size=len(buffer.getvalue())
    )
    done = import_job_commit(job=job, binary=io.BytesIO(buffer.getvalue()))
    assert (done.status, errors(done)) == ("done", [])
    assert Response.objects.get().answers["SI1"] == 9


def test_the_programme_offers_a_template_with_a_column_per_item(client, hq_analyst, programme):
    client.force_login(hq_analyst)
    download = client.get(f"/surveys/programmes/{programme.pk}/response-template.xlsx")
    sheet = openpyxl.load_workbook(io.BytesIO(download.content)).active
    header = [cell.value for cell in sheet[1]]
    assert header[:4] == ["external_id", "programme_code", "unit_code", "submitted_at"]
    assert {"SI1", "OVERALL", "NPS", "CONTACT_ME"} <= set(header)
