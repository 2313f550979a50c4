"""Print-ready PDF of a scope's reports, rendered by the worker with its progress
shown: the same figures and charts as the pages, laid out by WeasyPrint."""

from collections.abc import Callable
from typing import Any

from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from manyi.analytics.models import ReportExport
from manyi.analytics.pdf_charts import factor_chart, quadrant_chart, trend_chart
from manyi.analytics.query import ReportQuery, ReportQueryError, report_query
from manyi.analytics.reports import csi_report
from manyi.analytics.reports.changes import change_report
from manyi.analytics.reports.drivers import kano_report, quadrant_series
from manyi.analytics.reports.funnel import funnel_report
from manyi.analytics.reports.gaps import gap_report
from manyi.analytics.reports.nps import nps_report
from manyi.analytics.reports.staff import staff_report
from manyi.analytics.trend import dashboard_series
from manyi.audit.services import audit_record
from manyi.surveys.versions import definition_of

# A section reads the query and what the report holds so far (language, texts).
Section = Callable[[ReportQuery, dict[str, Any]], dict[str, Any]]


def _csi(query: ReportQuery, context: dict[str, Any]) -> dict[str, Any]:
    report = csi_report(
        version_id=query.version_id,
        months=query.months,
        scope=query.scope,
        min_n=query.programme.min_n_unit,
    )
    series = dashboard_series(
        report, context["language"], str(query.scope) if query.scope else _("Network")
    )
    return {
        "report": report,
        "shortfalls": report.shortfalls[:10],
        "trend_svg": trend_chart(series),
        "factor_svg": factor_chart(series),
        "quadrant_svg": quadrant_chart(quadrant_series(report.positions, context["texts"])),
    }


def _drivers(query: ReportQuery, context: dict[str, Any]) -> dict[str, Any]:
    return {
        "kano": kano_report(version_id=query.version_id, months=query.months, scope=query.scope)
    }


def _nps(query: ReportQuery, context: dict[str, Any]) -> dict[str, Any]:
    return {
        "nps": nps_report(
            version_id=query.version_id,
            months=query.months,
            compare_months=query.compare_months,
            scope=query.scope,
            min_n=query.programme.min_n_unit,
        )
    }


def _gaps(query: ReportQuery, context: dict[str, Any]) -> dict[str, Any]:
    return {"gaps": gap_report(version_id=query.version_id, months=query.months, scope=query.scope)}


def _changes(query: ReportQuery, context: dict[str, Any]) -> dict[str, Any]:
    return {
        "changes": change_report(
            version_id=query.version_id,
            months=query.months,
            compare_months=query.compare_months,
            scope=query.scope,
            min_n=query.programme.min_n_unit,
        )
    }


def _staff(query: ReportQuery, context: dict[str, Any]) -> dict[str, Any]:
    return {
        "staff": staff_report(
            version_id=query.version_id,
            months=query.months,
            scope=query.scope,
            min_n=query.programme.min_n_staff,
        )
    }


def _funnel(query: ReportQuery, context: dict[str, Any]) -> dict[str, Any]:
    total, rows = funnel_report(programme=query.programme, months=query.months, scope=query.scope)
    return {"funnel": [*rows, total]}


SECTIONS: tuple[Section, ...] = (_csi, _drivers, _nps, _gaps, _changes, _staff, _funnel)


def report_export_request(*, actor: Any, query: ReportQuery, language: str) -> ReportExport:
    """Queue the PDF of ``query``'s reports for the worker."""
    from manyi.analytics import tasks

    with transaction.atomic():
        export = ReportExport.objects.create(
            requested_by=actor, parameters=query.parameters(), language=language
        )
        audit_record(actor=actor, action="report_export.request", obj=export, unit=query.scope)
        transaction.on_commit(lambda: tasks.render_report_pdf.enqueue(export.pk))
    return export


def report_export_run(*, export_id: int, claim: str = "") -> ReportExport:
    """Render a queued export. ``claim`` names the task run: a second task given the
    same export does nothing, while the same task run again (its worker died
    mid-render) renders it afresh; a rendered export is never rendered twice."""
    Status = ReportExport.Status
    claimable = Q(status=Status.QUEUED)
    if claim:
        claimable |= Q(status=Status.RUNNING, claimed_by=claim)
    claimed = ReportExport.objects.filter(claimable, pk=export_id).update(
        status=Status.RUNNING, progress=1, claimed_by=claim
    )
    export = ReportExport.objects.select_related("requested_by").get(pk=export_id)
    if not claimed:
        return export
    try:
        with translation.override(export.language):
            content = _render(export)
    except (ReportQueryError, OSError, ValueError) as error:
        ReportExport.objects.filter(pk=export.pk).update(
            status=ReportExport.Status.FAILED, error=str(error), finished_at=timezone.now()
        )
        export.refresh_from_db()
        return export
    with transaction.atomic():
        export.file.save(f"report-{export.pk}.pdf", ContentFile(content), save=False)
        export.status = ReportExport.Status.DONE
        export.progress = 100
        export.finished_at = timezone.now()
        export.save(update_fields=["file", "status", "progress", "finished_at"])
        audit_record(actor=export.requested_by, action="report_export.render", obj=export)
    return export


def _render(export: ReportExport) -> bytes:
    from weasyprint import HTML

    # Visibility is checked again now: a user moved since asking sees no more than now.
    query = report_query(export.requested_by, **export.parameters, kind="index")
    if query is None:
        raise ReportQueryError(_("No survey programme yet."))
    context: dict[str, Any] = {"query": query, "now": timezone.now()}
    language = export.language
    definition = definition_of(query.version_id)
    context["texts"] = {item.code: item.text.get(language) for item in definition.items}
    context["factor_names"] = {f.code: f.name.get(language) for f in definition.factors}
    context["language"] = language
    for position, section in enumerate(SECTIONS, start=1):
        context.update(section(query, context))
        ReportExport.objects.filter(pk=export.pk).update(
            progress=int(90 * position / len(SECTIONS))
        )
    html = render_to_string("analytics/pdf.html", context)
    return HTML(string=html).write_pdf()
