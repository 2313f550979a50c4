"""Background work of analytics: PDF exports of reports."""

from django_tasks import TaskContext, task

from manyi.analytics.pdf import report_export_run


@task(takes_context=True)
def render_report_pdf(context: TaskContext, export_id: int) -> str:
    return report_export_run(export_id=export_id, claim=context.task_result.id).status
