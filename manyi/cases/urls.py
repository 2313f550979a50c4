from django.urls import path

from manyi.cases import views

app_name = "cases"
urlpatterns = [
    path("", views.case_queue, name="queue"),
    path("new/", views.case_new, name="new"),
    path("rules/", views.rules, name="rules"),
    path("reports/", views.case_reports, name="reports"),
    path("compensation/", views.compensation_register, name="compensation_register"),
    path("compensation/<int:pk>/<slug:action>/", views.compensation_act, name="compensation_act"),
    path("<int:pk>/compensation/", views.compensation_propose, name="compensation_propose"),
    path("rules/<slug:what>/", views.rules_act, name="rules_act"),
    path("<int:pk>/", views.case_detail, name="detail"),
    path("<int:pk>/<slug:action>/", views.case_act, name="act"),
]
