from django.urls import path

from manyi.surveys import views

app_name = "surveys"
urlpatterns = [
    path("questionnaires/", views.questionnaire_list, name="questionnaires"),
    path("questionnaires/<int:pk>/", views.questionnaire_detail, name="questionnaire"),
    path("questionnaires/<int:pk>/items/new/", views.item_edit, name="item_new"),
    path("questionnaires/<int:pk>/items/<slug:code>/", views.item_edit, name="item_edit"),
    path("questionnaires/<int:pk>/items/<slug:code>/do/", views.item_action, name="item_action"),
    path("questionnaires/<int:pk>/weights/", views.weights_edit, name="weights"),
    path("questionnaires/<int:pk>/json/", views.draft_json, name="draft_json"),
    path("questionnaires/<int:pk>/publish/", views.publish, name="publish"),
    path("questionnaires/<int:pk>/preview/", views.preview, name="preview"),
]
