"""The surveys API: a DMS invites for an event, a call centre posts answers, BI reads them."""

from manyi.notify.models import Message
from manyi.surveys.models import Response
from tests.surveys.fixtures import GOOD_ANSWERS


def test_questionnaires_are_listed_with_their_versions(api_as, hq_analyst, csi_version):
    body = api_as(hq_analyst).get("/api/v1/questionnaires").json()
    assert body["items"][0]["versions"][0]["id"] == csi_version.pk
    version = api_as(hq_analyst).get(f"/api/v1/questionnaires/versions/{csi_version.pk}").json()
    assert version["definition"]["factors"][0]["code"] == "service_initiation"


def test_a_dms_invites_for_an_event_and_gets_the_link(
    api_as, store_a_manager, programme, closed_event
):
    closed_event("RO-API-1")
    api = api_as(store_a_manager)
    made = api.post(
        "/api/v1/invitations",
        {"programme_code": programme.code, "event_external_id": "RO-API-1"},
        content_type="application/json",
    )
    assert made.status_code == 201
    body = made.json()
    assert body["status"] == "created" and body["url"].endswith(f"/s/{body['url'].split('/')[-2]}/")
    assert not Message.objects.exists()  # a "link" invitation sends nothing itself
    again = api.post(
        "/api/v1/invitations",
        {"programme_code": programme.code, "event_external_id": "RO-API-1"},
        content_type="application/json",
    )
    assert again.status_code == 200 and again.json()["id"] == body["id"]
    status = api.get(f"/api/v1/invitations/{body['id']}").json()
    assert status["status"] == "created"


def test_an_sms_invitation_for_an_opted_out_customer_is_refused(
    api_as, store_a_manager, programme, closed_event, customer_a
):
    customer_a.contacts.update(opted_out_at="2026-01-01T00:00:00Z")
    closed_event("RO-API-2")
    made = api_as(store_a_manager).post(
        "/api/v1/invitations",
        {"programme_code": programme.code, "event_external_id": "RO-API-2", "channel": "sms"},
        content_type="application/json",
    )
    assert made.status_code == 400 and "opted out" in made.json()["detail"]


def test_another_stores_event_cannot_be_invited(api_as, store_b_manager, programme, closed_event):
    closed_event("RO-API-3")
    made = api_as(store_b_manager).post(
        "/api/v1/invitations",
        {"programme_code": programme.code, "event_external_id": "RO-API-3"},
        content_type="application/json",
    )
    assert made.status_code == 400


def _response_body(programme, external_id="CC-1", **extra):
    return {
        "programme_code": programme.code,
        "external_id": external_id,
        "unit_code": "S-A",
        "customer_external_id": "C-A1",
        "answers": GOOD_ANSWERS,
        **extra,
    }


def test_a_call_centre_posts_a_response_once(api_as, store_a_manager, programme, customer_a):
    api = api_as(store_a_manager)
    first = api.post(
        "/api/v1/responses", _response_body(programme), content_type="application/json"
    )
    assert first.status_code == 201 and first.json()["index"] is not None
    again = api.post(
        "/api/v1/responses", _response_body(programme), content_type="application/json"
    )
    assert again.status_code == 200 and again.json()["id"] == first.json()["id"]
    assert Response.objects.count() == 1 and Response.objects.get().channel == "import"


def test_a_response_with_a_bad_answer_names_the_item_and_stores_nothing(
    api_as, store_a_manager, programme, customer_a
):
    body = _response_body(programme, answers={**GOOD_ANSWERS, "SQ1": 11})
    made = api_as(store_a_manager).post("/api/v1/responses", body, content_type="application/json")
    assert made.status_code == 422 and "SQ1" in made.json()["problems"]
    assert not Response.objects.exists()


def test_a_response_for_another_stores_unit_is_refused(
    api_as, store_b_manager, programme, customer_a
):
    made = api_as(store_b_manager).post(
        "/api/v1/responses", _response_body(programme), content_type="application/json"
    )
    assert made.status_code == 400 and not Response.objects.exists()


def test_responses_are_read_within_the_tokens_units(
    api_as, store_a_manager, store_b_manager, programme, customer_a
):
    api_as(store_a_manager).post(
        "/api/v1/responses", _response_body(programme), content_type="application/json"
    )
    mine = api_as(store_a_manager).get("/api/v1/responses").json()
    assert mine["count"] == 1 and mine["items"][0]["scores"]["factors"]
    assert api_as(store_b_manager).get("/api/v1/responses").json()["count"] == 0


def test_the_programme_shows_its_funnel(api_as, hq_analyst, programme, invitation):
    body = api_as(hq_analyst).get(f"/api/v1/programmes/{programme.pk}").json()
    assert body["funnel"]["invited"] == 1 and body["funnel"]["completed"] == 0


def test_the_openapi_schema_lists_the_survey_paths(client, db):
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    assert {"/api/v1/invitations", "/api/v1/responses", "/api/v1/programmes"} <= set(paths)


def test_hq_sets_up_a_programme_through_the_api(api_as, hq_analyst, csi_version, network):
    made = api_as(hq_analyst).post(
        "/api/v1/programmes",
        {
            "code": "csi-api",
            "name": "CSI by API",
            "version_id": csi_version.pk,
            "unit_codes": ["R-N"],
            "sampling": "random",
            "sample_rate": 30,
        },
        content_type="application/json",
    )
    assert made.status_code == 201
    assert made.json()["unit_ids"] == [network.north.pk] and made.json()["sample_rate"] == 30


def test_a_store_manager_cannot_set_up_a_programme(api_as, store_a_manager, csi_version):
    made = api_as(store_a_manager).post(
        "/api/v1/programmes",
        {"code": "x", "name": "x", "version_id": csi_version.pk, "unit_codes": ["S-A"]},
        content_type="application/json",
    )
    assert made.status_code == 403


def test_a_programme_over_an_unknown_unit_is_refused(api_as, hq_analyst, csi_version):
    made = api_as(hq_analyst).post(
        "/api/v1/programmes",
        {"code": "x", "name": "x", "version_id": csi_version.pk, "unit_codes": ["S-NOPE"]},
        content_type="application/json",
    )
    assert made.status_code == 400 and "S-NOPE" in made.json()["detail"]
