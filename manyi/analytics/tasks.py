"""Background work of analytics: PDF exports of reports."""

from django_tasks import task

from manyi.analytics.pdf import report_export_run


@task()
def render_report_pdf(export_id: int) -> str:
    return report_export_run(export_id=export_id).status
