"""Background work of cases: moving deadlines after the rules behind them changed."""

from django_tasks import task

from manyi.cases.policies import deadlines_recompute


@task()
def recompute_deadlines(
    kind: str | None = None, severity: str | None = None, unit_id: int | None = None
) -> int:
    return deadlines_recompute(kind=kind, severity=severity, unit_id=unit_id)
