from django.urls import path

from manyi.notify import hook_views, views

app_name = "notify"
urlpatterns = [
    path("messages/", views.message_list, name="messages"),
    path("receipts/", views.delivery_receipt, name="receipts"),
    path("replies/", views.sms_reply, name="sms_replies"),
    path("integrations/", hook_views.hook_list, name="hooks"),
    path("integrations/new/", hook_views.hook_edit, name="hook_new"),
    path("integrations/<id:pk>/", hook_views.hook_detail, name="hook"),
    path("integrations/<id:pk>/edit/", hook_views.hook_edit, name="hook_edit"),
    path("integrations/<id:pk>/switch/", hook_views.hook_switch, name="hook_switch"),
    path(
        "integrations/<id:pk>/deliveries/<id:delivery>/retry/",
        hook_views.hook_delivery_retry,
        name="hook_delivery_retry",
    ),
]
