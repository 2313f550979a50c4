from django.urls import path

from manyi.analytics.views import comments, csi, exports, pages

app_name = "analytics"
urlpatterns = [
    path("", csi.csi_dashboard, name="dashboard"),
    path("export.xlsx", exports.report_xlsx, {"tab": "dashboard"}, name="export"),
    path("<slug:tab>/export.xlsx", exports.report_xlsx, name="export_tab"),
    path("drivers/", pages.drivers, name="drivers"),
    path("nps/", pages.nps, name="nps"),
    path("gaps/", pages.gaps, name="gaps"),
    path("changes/", pages.changes, name="changes"),
    path("staff/", pages.staff, name="staff"),
    path("staff/<id:pk>/", pages.advisor, name="advisor"),
    path("funnel/", pages.funnel, name="funnel"),
    path("comments/", comments.comments, name="comments"),
    path("comments.xlsx", comments.comments_xlsx, name="comments_export"),
    path("pdf/", exports.pdf_start, name="pdf_start"),
    path("pdf/<id:pk>/", exports.pdf_status, name="pdf_status"),
    path("pdf/<id:pk>/download/", exports.pdf_download, name="pdf_download"),
]
