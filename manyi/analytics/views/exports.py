"""PDF exports of the reports: asked for on any analytics page, rendered by the worker,
followed on a page that shows the progress, downloaded by the one who asked."""

from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import get_language
from django.views.decorators.http import require_POST

from manyi.analytics.models import ReportExport
from manyi.analytics.pdf import report_export_request
from manyi.analytics.views.page import analytics_view, query_of


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
