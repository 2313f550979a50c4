from django.urls import path

from manyi.people.views import scorecards, settings

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
]  # fmt: skip
