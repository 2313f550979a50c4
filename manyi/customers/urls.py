from django.urls import path

from manyi.customers import views

app_name = "customers"
urlpatterns = [
    path("", views.customer_list, name="list"),
    path("export/", views.customer_export, name="export"),
    path("match/", views.customer_match, name="match"),
    path("handover/", views.handover, name="handover"),
    path("new/", views.customer_edit, name="new"),
    path("<id:pk>/", views.customer_detail, name="detail"),
    path("<id:pk>/edit/", views.customer_edit, name="edit"),
    path("<id:pk>/reveal/", views.customer_reveal, name="reveal"),
    path("<id:pk>/contacts/", views.contact_add, name="contact_add"),
    path(
        "<id:pk>/contacts/<id:contact_pk>/opt-out/", views.contact_opt_out, name="contact_opt_out"
    ),
    path(
        "<id:pk>/contacts/<id:contact_pk>/marketing/",
        views.contact_marketing,
        name="contact_marketing",
    ),
    path("<id:pk>/assets/new/", views.asset_add, name="asset_add"),
    path("<id:pk>/events/new/", views.event_add, name="event_add"),
    path("events/", views.event_list, name="events"),
    path("events/<id:pk>/", views.event_detail, name="event"),
    path("tiers/", views.tiers, name="tiers"),
]
