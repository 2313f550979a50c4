from django.urls import path

from manyi.care import views

app_name = "care"
urlpatterns = [
    path("callbacks/", views.callback_list, name="callbacks"),
    path("callbacks/<id:pk>/", views.callback_screen, name="callback"),
    path("board/", views.board, name="board"),
    path("touches/", views.touch_list, name="touches"),
    path("rules/", views.rule_list, name="rules"),
    path("rules/new/", views.rule_edit, name="rule_new"),
    path("contact-policy/", views.contact_policy, name="contact_policy"),
    path("rules/<id:pk>/", views.rule_edit, name="rule_edit"),
]
