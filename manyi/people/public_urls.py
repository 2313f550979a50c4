from django.urls import path

from manyi.people.views.employee import employee_form

urlpatterns = [path("<str:token>/", employee_form, name="employee_form")]
