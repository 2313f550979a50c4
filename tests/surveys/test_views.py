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


def test_the_builder_names_factors_types_and_templates_in_words(client, hq_analyst):
    client.force_login(hq_analyst)
    client.post(
        "/surveys/questionnaires/", {"code": "c5", "name": "C5", "template": "csi_5_factor"}
    )
    questionnaire = Questionnaire.objects.get(code="c5")
    page = client.get(f"/surveys/questionnaires/{questionnaire.pk}/")
    table = page.text[page.text.index('data-testid="item-table"') :]
    assert "<td>Service quality</td>" in table and "<td>Rating scale</td>" in table
    assert "<td>service_quality</td>" not in table and "<td>rating</td>" not in table
    assert "from template After-sales satisfaction (CSI, 5 factors)" in page.text
    form = client.get(f"/surveys/questionnaires/{questionnaire.pk}/items/new/")
    assert '<option value="service_quality">Service quality</option>' in form.text
    refused = client.post(
        f"/surveys/questionnaires/{questionnaire.pk}/items/new/",
        {"code": "X", "type": "rating", "text_zh": "x", "factor": "no_such_factor"},
    )
    assert refused.status_code == 200 and "no_such_factor" in refused.text


def test_store_staff_cannot_open_the_builder(client, store_a_manager):
    client.force_login(store_a_manager)
    assert client.get("/surveys/questionnaires/").status_code == 403


def _nps_questionnaire(client, designer) -> Questionnaire:
    client.force_login(designer)
    client.post("/surveys/questionnaires/", {"code": "n", "name": "N", "template": "nps"})
    return Questionnaire.objects.get(code="n")


def test_two_designers_adding_items_at_once_both_keep_theirs(client, hq_analyst, admin):
    from manyi.surveys.builder import item_put
    from manyi.surveys.services import questionnaire_draft_edit

    questionnaire = _nps_questionnaire(client, hq_analyst)
    stale = Questionnaire.objects.get(pk=questionnaire.pk)  # Ada opened it a while ago
    client.post(
        f"/surveys/questionnaires/{questionnaire.pk}/items/new/",
        {"code": "HANA", "type": "text", "text_zh": "Hana's"},
    )
    questionnaire_draft_edit(
        actor=admin,
        questionnaire=stale,
        edit="item ADA",
        change=lambda draft: item_put(draft, {"code": "ADA", "type": "text", "text": "Ada's"}),
    )
    codes = [item["code"] for item in Questionnaire.objects.get().draft["items"]]
    assert codes[-2:] == ["HANA", "ADA"]


def test_the_whole_draft_saved_over_someone_elses_change_is_refused(client, hq_analyst):
    questionnaire = _nps_questionnaire(client, hq_analyst)
    page = client.get(f"/surveys/questionnaires/{questionnaire.pk}/")
    based_on = page.context["json_form"].initial["based_on"]
    client.post(
        f"/surveys/questionnaires/{questionnaire.pk}/items/new/",
        {"code": "LATER", "type": "text", "text_zh": "later"},
    )
    answer = client.post(
        f"/surveys/questionnaires/{questionnaire.pk}/json/",
        {"draft": '{"items": []}', "based_on": based_on},
        follow=True,
    )
    assert "Someone changed the draft" in answer.text
    assert Questionnaire.objects.get().draft["items"][-1]["code"] == "LATER"


def test_a_weight_that_is_not_a_number_keeps_the_weights(client, hq_analyst):
    client.force_login(hq_analyst)
    client.post(
        "/surveys/questionnaires/", {"code": "c4", "name": "C4", "template": "csi_4_factor"}
    )
    questionnaire = Questionnaire.objects.get(code="c4")
    before = questionnaire.draft["factors"]
    answer = client.post(
        f"/surveys/questionnaires/{questionnaire.pk}/weights/",
        {
            "weight-service_initiation": "nan",
            "weight-service_advisor": "0.5",
            "weight-in_dealer": "²",
            "weight-service_delivery": "0.5",
        },
        follow=True,
    )
    assert "Enter a number for every weight" in answer.text
    assert Questionnaire.objects.get().draft["factors"] == before


def test_after_publishing_the_next_step_is_a_programme_with_that_version(client, hq_analyst):
    from manyi.surveys.services import questionnaire_create, questionnaire_publish

    questionnaire = questionnaire_create(
        actor=hq_analyst, code="nps-new", name="NPS", template="nps"
    )
    version = questionnaire_publish(actor=hq_analyst, questionnaire=questionnaire)
    client.force_login(hq_analyst)
    page = client.get(f"/surveys/questionnaires/{questionnaire.pk}/")
    assert f"/surveys/programmes/new/?version={version.pk}" in page.text
    form = client.get(f"/surveys/programmes/new/?version={version.pk}").context["form"]
    assert form["version"].value() == version.pk
    assert client.get("/surveys/programmes/new/?version=²").status_code == 200
