from django.urls import path

from manyi.org import views

app_name = "org"
urlpatterns = [
    path("units/", views.unit_list, name="units"),
    path("units/new/", views.unit_edit, name="unit_new"),
    path("units/<int:pk>/", views.unit_detail, name="unit"),
    path("units/<int:pk>/edit/", views.unit_edit, name="unit_edit"),
    path("staff/", views.staff_list, name="staff"),
    path("staff/new/", views.staff_edit, name="staff_new"),
    path("staff/<int:pk>/edit/", views.staff_edit, name="staff_edit"),
    path("staff/<int:pk>/password/", views.staff_reset_password, name="staff_password"),
]
