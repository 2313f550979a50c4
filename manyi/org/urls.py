from django.urls import path

from manyi.org import views

app_name = "org"
urlpatterns = [
    path("units/", views.unit_list, name="units"),
    path("units/new/", views.unit_edit, name="unit_new"),
    path("units/<id:pk>/", views.unit_detail, name="unit"),
    path("units/<id:pk>/edit/", views.unit_edit, name="unit_edit"),
    path("staff/", views.staff_list, name="staff"),
    path("staff/new/", views.staff_edit, name="staff_new"),
    path("staff/<id:pk>/edit/", views.staff_edit, name="staff_edit"),
    path("staff/<id:pk>/password/", views.staff_reset_password, name="staff_password"),
    path("staff/<id:pk>/two-factor-off/", views.staff_two_factor_off, name="staff_two_factor_off"),
]
