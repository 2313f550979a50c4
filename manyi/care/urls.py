from django.urls import path

from manyi.care import churn_views, event_views, views

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
    path("risk/", churn_views.risk_list, name="risk"),
    path("risk/<id:pk>/win-back/", churn_views.winback_start, name="winback_start"),
    path("win-back/", churn_views.winback_list, name="winbacks"),
    path("win-back/<id:pk>/", churn_views.winback_screen, name="winback"),
    path("retention/", churn_views.retention_report, name="retention"),
    path("churn-policy/", churn_views.churn_policy, name="churn_policy"),
]
