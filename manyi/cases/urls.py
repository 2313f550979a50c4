from django.urls import path

from manyi.cases.views import cases, compensation, reports, rules, setup

app_name = "cases"
urlpatterns = [
    path("", cases.case_queue, name="queue"),
    path("new/", cases.case_new, name="new"),
    path("board/", reports.board, name="board"),
    path("record.xlsx", reports.complaint_record, name="record"),
    path("rules/", rules.rules, name="rules"),
    path("rules/<slug:what>/", rules.rules_act, name="rules_act"),
    path("settings/", setup.setup, name="setup"),
    path("settings/<slug:what>/", setup.setup_act, name="setup_act"),
    path("reports/", reports.case_reports, name="reports"),
    path("compensation/", compensation.compensation_register, name="compensation_register"),
    path(
        "compensation/<id:pk>/<slug:action>/",
        compensation.compensation_act,
        name="compensation_act",
    ),
    path("<id:pk>/files/", cases.attachment_add, name="attachment_add"),
    path("<id:pk>/files/<id:file_pk>/", cases.attachment_get, name="attachment"),
    path("<id:pk>/", cases.case_detail, name="detail"),
    path("<id:pk>/<slug:action>/", cases.case_act, name="act"),
]
