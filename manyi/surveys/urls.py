from django.urls import path

from manyi.surveys.views import fieldwork, programmes, questionnaires

app_name = "surveys"
urlpatterns = [
    path("questionnaires/", questionnaires.questionnaire_list, name="questionnaires"),
    path("questionnaires/<int:pk>/", questionnaires.questionnaire_detail, name="questionnaire"),
    path("questionnaires/<int:pk>/items/new/", questionnaires.item_edit, name="item_new"),
    path("questionnaires/<int:pk>/items/<slug:code>/", questionnaires.item_edit, name="item_edit"),
    path(
        "questionnaires/<int:pk>/items/<slug:code>/do/",
        questionnaires.item_action,
        name="item_action",
    ),
    path("questionnaires/<int:pk>/weights/", questionnaires.weights_edit, name="weights"),
    path("questionnaires/<int:pk>/json/", questionnaires.draft_json, name="draft_json"),
    path("questionnaires/<int:pk>/publish/", questionnaires.publish, name="publish"),
    path("questionnaires/<int:pk>/preview/", questionnaires.preview, name="preview"),
    path("programmes/", programmes.programme_list, name="programmes"),
    path("programmes/new/", programmes.programme_edit, name="programme_new"),
    path("programmes/<int:pk>/", programmes.programme_detail, name="programme"),
    path("programmes/<int:pk>/edit/", programmes.programme_edit, name="programme_edit"),
    path("programmes/<int:pk>/rules/", programmes.alert_rule_add, name="alert_rule_add"),
    path(
        "programmes/<int:pk>/rules/<int:rule>/toggle/",
        programmes.alert_rule_toggle,
        name="alert_rule_toggle",
    ),
    path("programmes/<int:pk>/waves/new/", programmes.wave_new, name="wave_new"),
    path("programmes/<int:pk>/waves/<int:wave>/", programmes.wave_detail, name="wave"),
    path("programmes/<int:pk>/open-links/", programmes.open_link_new, name="open_link_new"),
    path(
        "programmes/<int:pk>/response-template.xlsx",
        programmes.response_template,
        name="response_template",
    ),
    path("open-links/<int:pk>/qr.svg", fieldwork.open_link_qr, name="open_link_qr"),
    path("sample-size/", programmes.sample_size, name="sample_size"),
    path("invitations/<int:pk>/", fieldwork.invitation_detail, name="invitation"),
    path("invitations/<int:pk>/qr.svg", fieldwork.invitation_qr, name="invitation_qr"),
    path("responses/<int:pk>/", fieldwork.response_detail, name="response"),
    path("alerts/", fieldwork.alert_list, name="alerts"),
    path("alerts/<int:pk>/acknowledge/", fieldwork.alert_acknowledge, name="alert_acknowledge"),
    path("calls/", fieldwork.call_list, name="calls"),
    path("calls/<int:pk>/", fieldwork.call_screen, name="call"),
]
