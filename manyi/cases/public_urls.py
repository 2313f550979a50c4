from django.urls import path

from manyi.cases import public

urlpatterns = [path("<slug:code>/", public.public_case, name="public_case")]
