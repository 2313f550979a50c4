from django.urls import path

from manyi.improve.views import actions, fixes, standards, targets

app_name = "improve"
urlpatterns = [
    path("targets/", targets.target_list, name="targets"),
    path("targets/new/", targets.target_new, name="target_new"),
    path("targets/<id:pk>/remove/", targets.target_remove, name="target_remove"),
    path("actions/", actions.action_board, name="actions"),
    path("actions/new/", actions.action_new, name="action_new"),
    path("actions/from-complaints/", actions.complaint_groups, name="complaint_groups"),
    path("actions/<id:pk>/", actions.action_detail, name="action"),
    path("actions/<id:pk>/tasks/", actions.action_task_add, name="action_task_add"),
    path(
        "actions/<id:pk>/tasks/<id:task_pk>/done/",
        actions.action_task_done,
        name="action_task_done",
    ),
    path("actions/<id:pk>/notes/", actions.action_note_add, name="action_note_add"),
    path(
        "actions/<id:pk>/notes/<id:note_pk>/photo/",
        actions.action_photo,
        name="action_photo",
    ),
    path("actions/<id:pk>/close/", actions.action_close, name="action_close"),
    path("actions/<id:pk>/redate/", actions.action_redate, name="action_redate"),
    path("standards/", standards.standard_index, name="standards"),
    path("standards/new/", standards.standard_new, name="standard_new"),
    path("standards/steps/", standards.steps, name="steps"),
    path("standards/<id:pk>/", standards.standard_detail, name="standard"),
    path("standards/<id:pk>/revise/", standards.standard_revise, name="standard_revise"),
    path("standards/<id:pk>/retire/", standards.standard_retire, name="standard_retire"),
    path("first-time-fix/", fixes.first_time_fix_board, name="first_time_fix"),
    path("first-time-fix/policy/", fixes.fix_policy, name="fix_policy"),
]
