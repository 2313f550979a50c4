from django.urls import path

from manyi.notify import views

app_name = "notify"
urlpatterns = [
    path("messages/", views.message_list, name="messages"),
    path("receipts/", views.delivery_receipt, name="receipts"),
    path("replies/", views.sms_reply, name="sms_replies"),
]
