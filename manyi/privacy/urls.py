from django.urls import path

from manyi.privacy import views

app_name = "privacy"
urlpatterns = [
    path("", views.overview, name="overview"),
    path("customers/<id:pk>/", views.customer_panel, name="customer_panel"),
    path("customers/<id:pk>/export/", views.customer_export, name="customer_export"),
    path("customers/<id:pk>/erase/", views.customer_erase, name="customer_erase"),
    path("customers/<id:pk>/consent/", views.consent_give, name="consent_give"),
    path("customers/<id:pk>/consent/withdraw/", views.consent_withdraw, name="consent_withdraw"),
]
