"""Exports of the reports: any page's tables as XLSX at once; all reports as a PDF
rendered by the worker, followed on a page that shows the progress, downloaded by the
one who asked."""

from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import get_language
from django.views.decorators.http import require_POST

from manyi.analytics.models import ReportExport
from manyi.analytics.pdf import report_export_request
from manyi.analytics.views.page import analytics_view, page_context, query_of
from manyi.analytics.workbooks import WORKBOOKS
from manyi.web.exports import workbook_response


@analytics_view
def report_xlsx(request: HttpRequest, tab: str) -> HttpResponse:
    """One analytics page's tables as an XLSX workbook, a sheet a table."""
    if tab not in WORKBOOKS:
        raise Http404
    query = query_of(request)
    if query is None:
        raise Http404
    context = page_context(request, query, tab)
    names = {"texts": context["texts"], "factors": context["factor_names"]}
    return workbook_response(
        f"{tab}-{query.programme.code}-{query.months.last:%Y-%m-%d}", WORKBOOKS[tab](query, names)
    )


@require_POST
@analytics_view
def pdf_start(request: HttpRequest) -> HttpResponse:
    query = query_of(request)
    if query is None:
        raise Http404
    export = report_export_request(
        actor=request.user, query=query, language=get_language() or "zh-hans"
    )
    return redirect("analytics:pdf_status", pk=export.pk)


@analytics_view
def pdf_status(request: HttpRequest, pk: int) -> HttpResponse:
    export = get_object_or_404(ReportExport, pk=pk, requested_by=request.user)
    template = "analytics/_pdf_status.html" if request.htmx else "analytics/pdf_status.html"
    return render(request, template, {"export": export})


@analytics_view
def pdf_download(request: HttpRequest, pk: int) -> FileResponse:
    export = get_object_or_404(
        ReportExport, pk=pk, requested_by=request.user, status=ReportExport.Status.DONE
    )
    return FileResponse(
        export.file.open("rb"),
        as_attachment=True,
        filename=f"manyi-report-{export.pk}.pdf",
        content_type="application/pdf",
    )
