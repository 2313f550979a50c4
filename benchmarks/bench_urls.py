"""manyi's URLs plus the bare endpoint the submit benchmark measures against."""

from django.http import HttpRequest, HttpResponse
from django.urls import path
from django.views.decorators.http import require_POST

from manyi.audit.models import AuditEntry
from manyi.urls import urlpatterns as manyi_urls


@require_POST
def bare_insert(request: HttpRequest) -> HttpResponse:
    """The least a Django POST can do: same middleware (CSRF included), one row inserted."""
    AuditEntry.objects.create(action="bench_bare", object_repr=request.POST.get("a-SI1", ""))
    return HttpResponse("ok")


urlpatterns = [path("bench/bare/", bare_insert), *manyi_urls]
