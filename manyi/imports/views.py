"""Upload → check (every error by row and column) → commit, with progress for large files."""

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from manyi.errors import DomainError
from manyi.imports import services, tasks
from manyi.imports.forms import UploadForm
from manyi.imports.kinds import KINDS
from manyi.imports.models import ImportJob
from manyi.imports.templates_csv import template_csv, template_xlsx
from manyi.org.permissions import may_import, may_see_network, requires
from manyi.web.exports import XLSX_TYPE
from manyi.web.forms import paginate


def _jobs(user):  # type: ignore[no-untyped-def]
    """HQ follows every import; others their own."""
    jobs = ImportJob.objects.select_related("created_by")
    return jobs if may_see_network(user) else jobs.filter(created_by=user)


@requires(may_import)
def job_list(request: HttpRequest) -> HttpResponse:
    jobs = _jobs(request.user)
    return render(
        request,
        "imports/job_list.html",
        {
            "page": paginate(request, jobs),
            # A page that sends here for one kind (an agency's report) has it chosen.
            "form": UploadForm(initial={"kind": request.GET.get("kind", "")}),
            "kinds": KINDS.values(),
        },
    )


@requires(may_import)
@require_POST
def job_upload(request: HttpRequest) -> HttpResponse:
    form = UploadForm(request.POST, request.FILES)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect("imports:list")
    try:
        job = services.import_job_create(
            actor=request.user, kind=form.cleaned_data["kind"], upload=form.cleaned_data["file"]
        )
    except DomainError as error:
        messages.error(request, str(error))
        return redirect("imports:list")
    if job.size <= settings.IMPORT_INLINE_MAX_BYTES:
        services.import_job_check(job=job)
    else:
        tasks.check_import.enqueue(job.pk)
    return redirect("imports:detail", pk=job.pk)


@requires(may_import)
def job_detail(request: HttpRequest, pk: int) -> HttpResponse:
    job = get_object_or_404(_jobs(request.user), pk=pk)
    context = {"job": job, "progress": services.job_progress(job), "kind": KINDS.get(job.kind)}
    if request.htmx and request.GET.get("part") == "status":
        return render(request, "imports/_status.html", context)
    return render(request, "imports/job_detail.html", context)


@requires(may_import)
@require_POST
def job_commit(request: HttpRequest, pk: int) -> HttpResponse:
    """Whoever uploaded a file commits it (so the audit names who acted)."""
    job = get_object_or_404(ImportJob, pk=pk, created_by=request.user)
    try:
        if job.size <= settings.IMPORT_INLINE_MAX_BYTES:
            job = services.import_job_commit(job=job)
            if job.error_count:
                messages.error(request, _("Nothing was stored: the file has errors."))
            else:
                messages.success(request, _("Imported."))
        else:
            services.import_job_queue_commit(job=job)
            tasks.commit_import.enqueue(job.pk)
    except DomainError as error:
        messages.error(request, str(error))
    return redirect("imports:detail", pk=job.pk)


@requires(may_import)
def template_download(request: HttpRequest, kind: str, fmt: str) -> HttpResponse:
    if kind not in KINDS:
        raise Http404
    if fmt == "xlsx":
        response = HttpResponse(template_xlsx(KINDS[kind]), content_type=XLSX_TYPE)
    else:
        response = HttpResponse(template_csv(KINDS[kind]), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="manyi-{kind}-template.{fmt}"'
    return response
