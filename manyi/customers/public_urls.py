from django.urls import path

from manyi.customers import public

urlpatterns = [
    path("<str:token>/", public.unsubscribe, name="unsubscribe"),
]
