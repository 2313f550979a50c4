from django.urls import path

from manyi.analytics import views

app_name = "analytics"
urlpatterns = [
    path("", views.csi_dashboard, name="dashboard"),
    path("export.xlsx", views.csi_export, name="export"),
]
