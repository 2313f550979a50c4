from django.urls import path

from manyi.improve import views

app_name = "improve"
urlpatterns = [
    path("targets/", views.target_list, name="targets"),
    path("targets/new/", views.target_new, name="target_new"),
    path("targets/<id:pk>/remove/", views.target_remove, name="target_remove"),
]
