from django.urls import path

from manyi.cases import public

urlpatterns = [
    path("case/<str:token>/", public.case_status, name="case_status"),
    path("<slug:code>/", public.public_case, name="public_case"),
]
