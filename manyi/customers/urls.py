from django.urls import path

from manyi.customers import views

app_name = "customers"
urlpatterns = [
    path("", views.customer_list, name="list"),
    path("export/", views.customer_export, name="export"),
    path("new/", views.customer_edit, name="new"),
    path("<int:pk>/", views.customer_detail, name="detail"),
    path("<int:pk>/edit/", views.customer_edit, name="edit"),
    path("<int:pk>/reveal/", views.customer_reveal, name="reveal"),
    path("<int:pk>/contacts/", views.contact_add, name="contact_add"),
    path(
        "<int:pk>/contacts/<int:contact_pk>/opt-out/", views.contact_opt_out, name="contact_opt_out"
    ),
    path("<int:pk>/assets/new/", views.asset_add, name="asset_add"),
    path("<int:pk>/events/new/", views.event_add, name="event_add"),
    path("events/", views.event_list, name="events"),
    path("events/<int:pk>/", views.event_detail, name="event"),
    path("tiers/", views.tiers, name="tiers"),
]
