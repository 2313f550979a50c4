from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import include, path

from manyi.api.urls import api
from manyi.cases.inbound import case_hook

urlpatterns = [
    path("", include("manyi.web.urls")),
    path("", include("manyi.jobs.urls")),
    path("org/", include("manyi.org.urls")),
    path("customers/", include("manyi.customers.urls")),
    path("imports/", include("manyi.imports.urls")),
    path("surveys/", include("manyi.surveys.urls")),
    path("s/", include("manyi.surveys.public_urls")),
    path("tell/", include("manyi.cases.public_urls")),
    path("u/", include("manyi.customers.public_urls")),
    path("shop/", include("manyi.improve.public_urls")),
    path("e/", include("manyi.people.public_urls")),
    path("hooks/cases/", case_hook, name="case_hook"),
    path("notify/", include("manyi.notify.urls")),
    path("analytics/", include("manyi.analytics.urls")),
    path("improve/", include("manyi.improve.urls")),
    path("people/", include("manyi.people.urls")),
    path("cases/", include("manyi.cases.urls")),
    path("care/", include("manyi.care.urls")),
    path("audit/", include("manyi.audit.urls")),
    path("privacy/", include("manyi.privacy.urls")),
    path("api/v1/", api.urls),
    path("account/api-tokens/", include("manyi.api.web_urls")),
    path("admin/", admin.site.urls),
]
handler400 = "manyi.web.views.bad_request"
handler403 = "manyi.web.views.forbidden"
handler404 = "manyi.web.views.not_found"
if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
