"""The builder on screen: create from a template, add an item, preview, publish."""

from manyi.surveys.models import Questionnaire


def test_an_analyst_builds_and_publishes_a_questionnaire(client, hq_analyst):
    client.force_login(hq_analyst)
    response = client.post(
        "/surveys/questionnaires/",
        {"code": "csi-2027", "name": "CSI 2027", "template": "csi_5_factor"},
    )
    questionnaire = Questionnaire.objects.get(code="csi-2027")
    assert response.url == f"/surveys/questionnaires/{questionnaire.pk}/"
    client.post(
        f"/surveys/questionnaires/{questionnaire.pk}/items/new/",
        {
            "code": "WAIT",
            "type": "rating",
            "text_zh": "等待时间是否合理",
            "text_en": "Waiting time",
            "factor": "service_quality",
            "section": "service_quality",
            "scale_min": 1,
            "scale_max": 10,
            "required": "on",
        },
    )
    questionnaire.refresh_from_db()
    assert questionnaire.draft["items"][-1]["code"] == "WAIT"
    preview = client.get(f"/surveys/questionnaires/{questionnaire.pk}/preview/")
    assert "Waiting time" in preview.text and "phone-frame" in preview.text
    client.post(f"/surveys/questionnaires/{questionnaire.pk}/publish/")
    assert questionnaire.versions.get().number == 1


def test_weights_that_do_not_sum_to_one_block_publishing(client, hq_analyst):
    client.force_login(hq_analyst)
    client.post(
        "/surveys/questionnaires/", {"code": "c4", "name": "C4", "template": "csi_4_factor"}
    )
    questionnaire = Questionnaire.objects.get(code="c4")
    client.post(
        f"/surveys/questionnaires/{questionnaire.pk}/weights/",
        {
            "weight-service_initiation": "0.5",
            "weight-service_advisor": "0.5",
            "weight-in_dealer": "0.5",
            "weight-service_delivery": "0.5",
        },
    )
    page = client.get(f"/surveys/questionnaires/{questionnaire.pk}/")
    assert "sum to 1 (they sum to 2)" in page.text
    response = client.post(f"/surveys/questionnaires/{questionnaire.pk}/publish/", follow=True)
    assert "cannot be published" in response.text
    assert not questionnaire.versions.exists()


def test_invalid_json_is_refused_and_the_draft_kept(client, hq_analyst):
    client.force_login(hq_analyst)
    client.post("/surveys/questionnaires/", {"code": "n", "name": "N", "template": "nps"})
    questionnaire = Questionnaire.objects.get(code="n")
    response = client.post(
        f"/surveys/questionnaires/{questionnaire.pk}/json/", {"draft": "{not json"}, follow=True
    )
    assert "Not valid JSON" in response.text
    questionnaire.refresh_from_db()
    assert questionnaire.draft["items"]


def test_a_duplicate_item_code_is_refused(client, hq_analyst):
    client.force_login(hq_analyst)
    client.post("/surveys/questionnaires/", {"code": "n", "name": "N", "template": "nps"})
    questionnaire = Questionnaire.objects.get(code="n")
    response = client.post(
        f"/surveys/questionnaires/{questionnaire.pk}/items/new/",
        {"code": "NPS", "type": "text", "text_zh": "again"},
    )
    assert response.status_code == 200 and "already used" in response.text


def test_store_staff_cannot_open_the_builder(client, store_a_manager):
    client.force_login(store_a_manager)
    assert client.get("/surveys/questionnaires/").status_code == 403
