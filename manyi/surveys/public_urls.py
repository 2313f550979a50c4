from django.urls import path

from manyi.surveys import public

urlpatterns = [
    path("open/<str:token>/", public.survey_open_link, name="survey_open_link"),
    path("<str:token>/", public.survey_form, name="survey_form"),
    path("<str:token>/save/", public.survey_save, name="survey_save"),
    path("<str:token>/opt-out/", public.survey_opt_out, name="survey_opt_out"),
]
