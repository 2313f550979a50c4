from django.urls import path

from manyi.surveys.views import fieldwork, integrity, programmes, questionnaires

app_name = "surveys"
urlpatterns = [
    path("questionnaires/", questionnaires.questionnaire_list, name="questionnaires"),
    path("questionnaires/<id:pk>/", questionnaires.questionnaire_detail, name="questionnaire"),
    path("questionnaires/<id:pk>/items/new/", questionnaires.item_edit, name="item_new"),
    path("questionnaires/<id:pk>/items/<slug:code>/", questionnaires.item_edit, name="item_edit"),
    path(
        "questionnaires/<id:pk>/items/<slug:code>/do/",
        questionnaires.item_action,
        name="item_action",
    ),
    path("questionnaires/<id:pk>/weights/", questionnaires.weights_edit, name="weights"),
    path("questionnaires/<id:pk>/json/", questionnaires.draft_json, name="draft_json"),
    path("questionnaires/<id:pk>/publish/", questionnaires.publish, name="publish"),
    path("questionnaires/<id:pk>/preview/", questionnaires.preview, name="preview"),
    path("programmes/", programmes.programme_list, name="programmes"),
    path("programmes/new/", programmes.programme_edit, name="programme_new"),
    path("programmes/<id:pk>/", programmes.programme_detail, name="programme"),
    path("programmes/<id:pk>/edit/", programmes.programme_edit, name="programme_edit"),
    path("programmes/<id:pk>/rules/", programmes.alert_rule_add, name="alert_rule_add"),
    path(
        "programmes/<id:pk>/rules/<id:rule>/toggle/",
        programmes.alert_rule_toggle,
        name="alert_rule_toggle",
    ),
    path("programmes/<id:pk>/waves/new/", programmes.wave_new, name="wave_new"),
    path("programmes/<id:pk>/waves/<id:wave>/", programmes.wave_detail, name="wave"),
    path("programmes/<id:pk>/open-links/", programmes.open_link_new, name="open_link_new"),
    path(
        "programmes/<id:pk>/response-template.xlsx",
        programmes.response_template,
        name="response_template",
    ),
    path("open-links/<id:pk>/qr.svg", fieldwork.open_link_qr, name="open_link_qr"),
    path("sample-size/", programmes.sample_size, name="sample_size"),
    path("invitations/<id:pk>/", fieldwork.invitation_detail, name="invitation"),
    path("invitations/<id:pk>/qr.svg", fieldwork.invitation_qr, name="invitation_qr"),
    path("responses/<id:pk>/", fieldwork.response_detail, name="response"),
    path("alerts/", fieldwork.alert_list, name="alerts"),
    path("integrity/", integrity.integrity, name="integrity"),
    path("integrity/policy/", integrity.integrity_policy, name="integrity_policy"),
    path("alerts/<id:pk>/acknowledge/", fieldwork.alert_acknowledge, name="alert_acknowledge"),
    path("calls/", fieldwork.call_list, name="calls"),
    path("calls/<id:pk>/", fieldwork.call_screen, name="call"),
]
