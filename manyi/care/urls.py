from django.urls import path

from manyi.care import event_views, views

app_name = "care"
urlpatterns = [
    path("callbacks/", views.callback_list, name="callbacks"),
    path("callbacks/<id:pk>/", views.callback_screen, name="callback"),
    path("board/", views.board, name="board"),
    path("touches/", views.touch_list, name="touches"),
    path("rules/", views.rule_list, name="rules"),
    path("rules/new/", views.rule_edit, name="rule_new"),
    path("contact-policy/", views.contact_policy, name="contact_policy"),
    path("events/", event_views.event_list, name="events"),
    path("events/<id:pk>/", event_views.event_detail, name="event"),
    path(
        "events/<id:pk>/invitations/<id:invitation>/",
        event_views.invitation_answered,
        name="invitation_answered",
    ),
    path("rules/<id:pk>/", views.rule_edit, name="rule_edit"),
]
