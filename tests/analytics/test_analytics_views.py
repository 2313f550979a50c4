"""The analysis pages and the PDF export, as the people who use them see them."""

import io

import pytest
from django.utils import timezone
from pypdf import PdfReader

from manyi.analytics.models import ReportExport
from manyi.analytics.pdf import report_export_run
from manyi.audit.models import AuditEntry

PAGES = ("", "drivers/", "nps/", "gaps/", "changes/", "staff/", "funnel/")


@pytest.mark.parametrize("page", PAGES)
def test_hq_opens_every_analysis_page(client, hq_analyst, programme, two_months, page):
    client.force_login(hq_analyst)
    answer = client.get(f"/analytics/{page}?programme={programme.pk}&period=3")
    assert answer.status_code == 200
    assert answer.context["query"].scope is None and 'data-testid="analytics-tabs"' in answer.text


@pytest.mark.parametrize("page", PAGES)
def test_a_store_manager_never_sees_another_store(
    client, store_a_manager, programme, network, two_months, page
):
    client.force_login(store_a_manager)
    mine = client.get(f"/analytics/{page}")
    assert mine.status_code == 200 and mine.context["query"].scope == network.store_a
    assert client.get(f"/analytics/{page}?unit={network.store_b.pk}").status_code == 404


def test_the_drivers_page_puts_the_weak_quality_items_first(
    client, hq_analyst, programme, network, two_months
):
    client.force_login(hq_analyst)
    page = client.get(f"/analytics/drivers/?programme={programme.pk}&unit={network.store_a.pk}")
    shortfalls = page.context["report"].shortfalls
    assert shortfalls and shortfalls[0].item in {"SQ1", "SQ2", "SQ3"}
    assert 'data-chart="ipa-scatter"' in page.text
    read = timezone.localtime(page.context["kano"].at).strftime("%H:%M")
    assert f"Sample read at {read}." in page.text  # the classification is kept a while
    chinese = client.get(page.request["PATH_INFO"] + "?" + page.request["QUERY_STRING"],
                         HTTP_ACCEPT_LANGUAGE="zh-hans")  # fmt: skip
    assert "样本读取于 " in chinese.text


def test_a_period_out_of_range_is_explained_not_a_crash(client, hq_analyst, programme):
    client.force_login(hq_analyst)
    answer = client.get("/analytics/nps/?period=99")
    assert answer.status_code == 400 and "1 to 36" in answer.text
    assert client.get("/analytics/?compare=decade").status_code == 400


def test_hq_exports_the_reports_to_pdf(
    client,
    hq_analyst,
    store_a_manager,
    programme,
    network,
    two_months,
    django_capture_on_commit_callbacks,
):
    client.force_login(hq_analyst)
    with django_capture_on_commit_callbacks(execute=True):
        started = client.post(
            "/analytics/pdf/", {"programme": programme.pk, "unit": network.north.pk, "period": 3}
        )
    export = ReportExport.objects.get()
    assert started.url == f"/analytics/pdf/{export.pk}/"
    assert export.status == ReportExport.Status.DONE and export.progress == 100
    status = client.get(started.url)
    assert 'data-status="done"' in status.text
    download = client.get(f"/analytics/pdf/{export.pk}/download/")
    pdf = PdfReader(io.BytesIO(b"".join(download.streaming_content)))
    text = "\n".join(page.extract_text() for page in pdf.pages)
    assert len(pdf.pages) >= 2 and "North" in text and "Store A" in text
    assert "What changed" in text and "Response funnel" in text
    # The charts are drawn, with their keys: the trend's and the quadrants' colours.
    assert "Confidence interval" in text and "Keep up the good work" in text
    client.force_login(store_a_manager)
    assert client.get(f"/analytics/pdf/{export.pk}/download/").status_code == 404


def test_a_render_cut_short_is_taken_up_by_its_own_retry_and_by_no_other_task(
    hq_analyst, programme, network, two_months
):
    # The worker rendering Harriet's export died: the export is left running, claimed.
    query = {"programme": programme.pk, "unit": network.north.pk, "period": 3}
    export = ReportExport.objects.create(
        requested_by=hq_analyst,
        parameters=query,
        language="en",
        status=ReportExport.Status.RUNNING,
        claimed_by="task-1",
    )
    assert report_export_run(export_id=export.pk, claim="task-2").status == "running"
    assert report_export_run(export_id=export.pk, claim="task-1").status == "done"
    assert report_export_run(export_id=export.pk, claim="task-1").status == "done"
    renders = AuditEntry.objects.filter(action="report_export.render", object_id=str(export.pk))
    assert renders.count() == 1


def test_a_chinese_pdf_sets_every_line_in_the_cjk_font_running_header_too(
    client, hq_analyst, programme, network, two_months, django_capture_on_commit_callbacks
):
    client.force_login(hq_analyst)
    client.cookies["django_language"] = "zh-hans"
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/analytics/pdf/", {"programme": programme.pk, "period": 3})
    export = ReportExport.objects.get()
    pdf = PdfReader(export.file.open("rb"))
    assert "满意度报告" in pdf.pages[1].extract_text()  # the running header
    fonts = {
        str(font.get_object()["/BaseFont"])
        for page in pdf.pages
        for font in page["/Resources"]["/Font"].values()
    }
    assert fonts and all("CJK" in font for font in fonts), fonts


def test_a_pdf_is_asked_for_by_post_and_within_what_one_sees(
    client, store_a_manager, programme, network
):
    client.force_login(store_a_manager)
    assert client.get("/analytics/pdf/").status_code == 405
    refused = client.post("/analytics/pdf/", {"unit": network.store_b.pk})
    assert refused.status_code == 404 and not ReportExport.objects.exists()


def test_a_date_range_that_cuts_a_month_counts_just_its_days(
    client, hq_analyst, programme, two_months
):
    from tests.analytics.report_fixtures import last_month_start

    client.force_login(hq_analyst)
    first = last_month_start().date()
    half = client.get(f"/analytics/?since={first}&until={first.replace(day=15)}")
    assert half.status_code == 200
    assert half.context["report"].responses == 80  # the fixture's answers of last month
    assert client.get("/analytics/nps/?since=2026-02-30&until=2026-03-01").status_code == 400


@pytest.mark.parametrize(
    "tab", ["dashboard", "drivers", "nps", "gaps", "changes", "staff", "funnel"]
)
def test_every_page_exports_its_tables_to_xlsx(client, north_manager, programme, two_months, tab):
    import openpyxl

    client.force_login(north_manager)
    download = client.get(f"/analytics/{tab}/export.xlsx?period=1")
    assert download.status_code == 200
    book = openpyxl.load_workbook(io.BytesIO(download.content))
    assert book.sheetnames and all(sheet.max_row >= 1 for sheet in book.worksheets)


def test_the_what_changed_sheet_names_the_slipping_store(
    client, hq_analyst, programme, network, two_months
):
    import openpyxl

    client.force_login(hq_analyst)
    download = client.get(f"/analytics/changes/export.xlsx?unit={network.north.pk}&period=1")
    sheet = openpyxl.load_workbook(io.BytesIO(download.content)).worksheets[0]
    figures = [row[0].value for row in sheet.iter_rows(min_row=2)]
    assert "Unit: Store A" in figures
    assert client.get("/analytics/nonsense/export.xlsx").status_code == 404


def test_the_drivers_sheet_reads_as_the_page_does(
    client, north_manager, programme, network, two_months
):
    """Importance in whole per cent, scores rounded as shown, the quadrant and the class
    as words: a manager who pastes the sheet into a slide says what the page said."""
    import re
    from html import unescape

    import openpyxl

    client.force_login(north_manager)
    page = client.get(f"/analytics/drivers/?unit={network.store_a.pk}&period=1")
    shown = re.findall(
        r"<td>([^<]+)</td><td class=\"text-end\">(\d+) %</td><td class=\"text-end\">(\d+)</td>"
        r"<td class=\"text-end\">(\d+)</td><td>([^<]+)</td>",
        page.text,
    )
    assert shown, "the page lists the items' importance and performance"
    download = client.get(f"/analytics/drivers/export.xlsx?unit={network.store_a.pk}&period=1")
    positions, classes = openpyxl.load_workbook(io.BytesIO(download.content)).worksheets
    rows = [tuple(cell.value for cell in row[:5]) for row in positions.iter_rows(min_row=2)]
    assert [(unescape(a), int(b), int(c), int(d), e) for a, b, c, d, e in shown] == rows
    assert {row[3].value for row in classes.iter_rows(min_row=2)} <= {
        "Basic",
        "Performance",
        "Motivation",
    }


def test_the_what_changed_sheet_writes_p_values_as_the_page(
    client, hq_analyst, programme, two_months
):
    import re

    import openpyxl

    client.force_login(hq_analyst)
    download = client.get("/analytics/changes/export.xlsx?period=1")
    sheet = openpyxl.load_workbook(io.BytesIO(download.content)).worksheets[0]
    p_values = [row[7].value for row in sheet.iter_rows(min_row=2)]
    assert p_values and all(p == "< 0.001" or re.fullmatch(r"\d\.\d{3}", p) for p in p_values)


def test_a_store_manager_opens_an_advisors_page_and_sees_where_to_coach(
    client, store_a_manager, store_b_manager, programme, network, advisor_a, two_months
):
    from datetime import timedelta

    from manyi.surveys.services.responses import create_scored
    from tests.analytics.report_fixtures import last_month_start
    from tests.surveys.fixtures import GOOD_ANSWERS

    for _ in range(12):
        create_scored(
            version_id=programme.version_id,
            answers={**GOOD_ANSWERS, "SQ1": 4, "SQ2": 5, "SQ3": 5, "OVERALL": 6},
            unit_id=network.store_a.pk,
            channel="import",
            submitted_at=last_month_start() + timedelta(minutes=1),
            staff_id=advisor_a.pk,
        )
    client.force_login(store_a_manager)
    listing = client.get("/analytics/staff/?period=1")
    assert f"/analytics/staff/{advisor_a.pk}/" in listing.text
    page = client.get(f"/analytics/staff/{advisor_a.pk}/?period=1")
    report = page.context["report"]
    assert report.responses == 12 and report.store == network.store_a
    assert report.shortfalls[0].item in {"SQ1", "SQ2", "SQ3"}
    quality = next(row for row in report.factors if row[0] == "service_quality")
    assert quality[1] < quality[2]  # below the store
    client.force_login(store_b_manager)
    assert client.get(f"/analytics/staff/{advisor_a.pk}/").status_code == 404


def test_p_values_read_as_a_statistician_writes_them():
    from manyi.analytics.templatetags.report_format import p_value

    assert [p_value(7e-191), p_value(0.0123), p_value(None)] == ["< 0.001", "0.012", "—"]
