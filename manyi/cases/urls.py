from django.urls import path

from manyi.cases import views

app_name = "cases"
urlpatterns = [
    path("", views.case_queue, name="queue"),
    path("new/", views.case_new, name="new"),
    path("rules/", views.rules, name="rules"),
    path("rules/<slug:what>/", views.rules_act, name="rules_act"),
    path("<int:pk>/", views.case_detail, name="detail"),
    path("<int:pk>/<slug:action>/", views.case_act, name="act"),
]
