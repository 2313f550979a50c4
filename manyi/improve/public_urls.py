from django.urls import path

from manyi.improve.views import mystery

urlpatterns = [
    path("thanks/", mystery.mystery_shop_thanks, name="shop_thanks"),
    path("<str:token>/", mystery.mystery_shop_visit, name="shop"),
]
