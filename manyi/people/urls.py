from django.urls import path

from manyi.people.views import employee, points, scorecards, settings, training

app_name = "people"
urlpatterns = [
    path("scorecards/", scorecards.scorecard_board, name="scorecards"),
    path("scorecards/<id:pk>/", scorecards.scorecard_detail, name="scorecard"),
    path("scorecards/periods/<id:pk>/compute/", scorecards.scorecards_compute_now,
         name="compute"),
    path("scorecards/periods/<id:pk>/close/", scorecards.scorecards_close, name="close"),
    path("scorecards/periods/<id:pk>/reissue/", scorecards.scorecards_reissue, name="reissue"),
    path("scorecards/periods/<id:pk>/export.xlsx", scorecards.scorecards_export, name="export"),
    path("scorecards/settings/", settings.scorecard_templates, name="templates"),
    path("scorecards/settings/new/", settings.scorecard_template_edit, name="template_new"),
    path("scorecards/settings/<id:pk>/", settings.scorecard_template_edit, name="template"),
    path("points/", points.points_board, name="points"),
    path("points/rules/", points.point_rules_edit, name="point_rules"),
    path("awards/", points.awards, name="awards"),
    path("awards/nominate/<id:pk>/", points.nominate, name="nominate"),
    path("awards/<id:pk>/decide/", points.decide, name="decide"),
    path("training/", training.training_board, name="training"),
    path("training/courses/", training.courses, name="courses"),
    path("training/courses/new/", training.course_edit, name="course_new"),
    path("training/courses/<id:pk>/", training.course_detail, name="course"),
    path("training/courses/<id:pk>/edit/", training.course_edit, name="course_edit"),
    path("training/assign/<id:staff_pk>/", training.assign, name="assign"),
    path("training/<id:pk>/attended/", training.attended, name="attended"),
    path("training/<id:pk>/sign-off/", training.sign_off, name="sign_off"),
    path("training/<id:pk>/cancel/", training.cancel, name="cancel"),
    path("employee/", employee.employee_surveys, name="employee_surveys"),
    path("employee/new/", employee.employee_survey_new, name="employee_survey_new"),
    path("employee/<id:pk>/", employee.employee_survey, name="employee_survey"),
    path("employee/<id:pk>/3s/", employee.employee_three_s, name="three_s"),
]  # fmt: skip
