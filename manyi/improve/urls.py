from django.urls import path

from manyi.improve import action_views, views

app_name = "improve"
urlpatterns = [
    path("targets/", views.target_list, name="targets"),
    path("targets/new/", views.target_new, name="target_new"),
    path("targets/<id:pk>/remove/", views.target_remove, name="target_remove"),
    path("actions/", action_views.action_board, name="actions"),
    path("actions/new/", action_views.action_new, name="action_new"),
    path("actions/from-complaints/", action_views.complaint_groups, name="complaint_groups"),
    path("actions/<id:pk>/", action_views.action_detail, name="action"),
    path("actions/<id:pk>/tasks/", action_views.action_task_add, name="action_task_add"),
    path(
        "actions/<id:pk>/tasks/<id:task_pk>/done/",
        action_views.action_task_done,
        name="action_task_done",
    ),
    path("actions/<id:pk>/notes/", action_views.action_note_add, name="action_note_add"),
    path(
        "actions/<id:pk>/notes/<id:note_pk>/photo/",
        action_views.action_photo,
        name="action_photo",
    ),
    path("actions/<id:pk>/close/", action_views.action_close, name="action_close"),
    path("actions/<id:pk>/redate/", action_views.action_redate, name="action_redate"),
]
