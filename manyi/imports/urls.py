from django.urls import path

from manyi.imports import views

app_name = "imports"
urlpatterns = [
    path("", views.job_list, name="list"),
    path("upload/", views.job_upload, name="upload"),
    path("<id:pk>/", views.job_detail, name="detail"),
    path("<id:pk>/commit/", views.job_commit, name="commit"),
    path("templates/<str:kind>.<str:fmt>", views.template_download, name="template"),
]
