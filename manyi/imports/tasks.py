"""Background runs of import jobs, for files too large to check in the request."""

from django_tasks import task

from manyi.imports.models import ImportJob, ImportStatus
from manyi.imports.services import import_job_check, import_job_commit


@task()
def check_import(job_id: int) -> int:
    job = import_job_check(job=ImportJob.objects.get(pk=job_id))
    return job.error_count


@task()
def commit_import(job_id: int) -> int:
    job = ImportJob.objects.get(pk=job_id)
    if job.status != ImportStatus.DONE:  # else a retry of a job that did commit
        job = import_job_commit(job=job)
    return job.error_count
