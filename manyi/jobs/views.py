"""The health check for the proxy and monitoring, and the Prometheus metrics."""

import hmac
import ipaddress

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse

from manyi.jobs.health import health_report
from manyi.jobs.metrics import CONTENT_TYPE, metrics_text
from manyi.org.permissions import public
from manyi.web.ratelimit import client_ip


@public
def healthz(request: HttpRequest) -> JsonResponse:
    """200 while this process can serve (database and cache answer), else 503; the
    body says whether the workers keep up ("degraded" when a sweep is late)."""
    serving, report = health_report()
    return JsonResponse(report, status=200 if serving else 503)


def _may_scrape(request: HttpRequest) -> bool:
    """With ``METRICS_TOKEN`` set, a scrape brings it as a bearer token; without, only
    this host may read the metrics."""
    if token := settings.METRICS_TOKEN:
        given = request.headers.get("Authorization", "").removeprefix("Bearer ")
        return hmac.compare_digest(given.encode(), token.encode())
    if "X-Forwarded-For" in request.headers:
        return False  # came through a proxy on this host: from anywhere
    try:
        return ipaddress.ip_address(client_ip(request)).is_loopback
    except ValueError:
        return False


@public  # a scrape proves itself by its token or its address, as below
def metrics(request: HttpRequest) -> HttpResponse:
    if not _may_scrape(request):
        return HttpResponse(status=403)
    return HttpResponse(metrics_text(), content_type=CONTENT_TYPE)
