"""The checks on screen and over the API: Amy (store A's manager) sends her inspection
from a phone's script and it is stored once; Hana (headquarters) orders a mystery shop and
the agency's shopper reports through the one-time link; the results keep staff
inspections and mystery shops apart; another store's inspection is never shown."""

import uuid

import pytest
from django.urls import reverse
from django.utils import timezone

from manyi.improve.models import InspectionAnswer
from manyi.improve.selectors.inspections import inspection_list
from manyi.improve.services.checklists import competitor_save
from manyi.improve.services.inspections import Given, inspection_record, inspections_schedule
from manyi.improve.services.mystery import mystery_shop_order

JSON = "application/json"


@pytest.fixture
def planned(checklist, network, hq_analyst):
    return inspections_schedule(actor=hq_analyst, checklist=checklist, units=[network.store_a],
                                planned_for=timezone.localdate())[0]  # fmt: skip


def _posted(reception, key, covers="no"):
    covers_std, lounge, drinks = reception
    return {
        "submission_key": str(key), f"result-{covers_std.pk}": covers,
        f"note-{covers_std.pk}": "Seat cover missing", f"result-{lounge.pk}": "5",
        f"result-{drinks.pk}": "yes",
    }  # fmt: skip


def test_the_phone_script_sends_the_answers_and_a_resend_is_stored_once(
    client, planned, store_a_manager, reception
):
    client.force_login(store_a_manager)
    url = reverse("improve:inspection_carry_out", args=[planned.pk])
    page = client.get(url)
    assert page.status_code == 200 and "data-inspection-form" in page.content.decode()
    key = uuid.uuid4()
    for _ in range(2):
        answer = client.post(url, _posted(reception, key), HTTP_ACCEPT="application/json")
        assert answer.status_code == 200 and answer.json()["stored"] is True
    assert answer.json()["url"] == reverse("improve:inspection", args=[planned.pk])
    assert InspectionAnswer.objects.filter(inspection=planned).count() == 3
    shown = client.get(answer.json()["url"]).content.decode()
    assert "Seat cover missing" in shown and 'data-testid="to-action"' in shown


def test_a_refused_report_says_why_as_json(client, planned, store_a_manager, reception):
    client.force_login(store_a_manager)
    url = reverse("improve:inspection_carry_out", args=[planned.pk])
    answer = client.post(url, _posted(reception, uuid.uuid4(), covers="3"),
                         HTTP_ACCEPT="application/json")  # fmt: skip
    assert answer.status_code == 400 and "has no such answer" in answer.json()["error"]
    bad_key = client.post(url, {"submission_key": "x"}, HTTP_ACCEPT="application/json")
    assert bad_key.status_code == 400 and not InspectionAnswer.objects.exists()


def test_another_store_never_sees_or_carries_out_the_inspection(client, planned,
                                                               store_b_manager):  # fmt: skip
    client.force_login(store_b_manager)
    assert client.get(reverse("improve:inspection", args=[planned.pk])).status_code == 404
    assert client.get(reverse("improve:inspection_carry_out", args=[planned.pk])).status_code == 404
    assert "Store A" not in client.get(reverse("improve:inspections")).content.decode()


def test_one_click_turns_a_failure_into_an_action(client, planned, store_a_manager, reception):
    inspection_record(actor=store_a_manager, inspection=planned, submission_key=uuid.uuid4(),
                      answers={s.pk: Given("no") if s.code == "covers" else Given("na")
                               for s in reception})  # fmt: skip
    failed = InspectionAnswer.objects.get(passed=False)
    client.force_login(store_a_manager)
    answer = client.post(reverse("improve:answer_action", args=[planned.pk, failed.pk]))
    failed.refresh_from_db()
    assert answer.status_code == 302 and answer["Location"] == reverse(
        "improve:action", args=[failed.action_id]
    )


@pytest.fixture
def shop(checklist, network, hq_analyst):
    return mystery_shop_order(
        actor=hq_analyst, checklist=checklist, unit=network.store_a,
        planned_for=timezone.localdate(), agency="Mingcha Research",
        scenario="Book a 10,000 km service; ask about a brake noise.",
    )  # fmt: skip


def test_an_agency_report_arrives_through_its_one_time_link(
    client, shop, reception, store_a_manager
):
    inspection, token = shop
    url = reverse("shop", args=[token])
    page = client.get(url)
    assert page.status_code == 200 and "ask about a brake noise" in page.content.decode()
    assert 'name="audio-' in page.content.decode()
    assert inspection not in inspection_list(store_a_manager)  # not seen coming
    key = uuid.uuid4()
    for _ in range(2):  # the second send: the link is used, the same report is not stored again
        answer = client.post(url, _posted(reception, key), HTTP_ACCEPT="application/json")
        assert answer.json() == {"stored": True, "url": reverse("shop_thanks")}
    assert client.get(url).status_code == 410
    other = client.post(url, _posted(reception, uuid.uuid4()), HTTP_ACCEPT="application/json")
    assert other.status_code == 400 and InspectionAnswer.objects.count() == 3
    inspection.refresh_from_db()
    assert inspection.status == "done" and inspection.token_hash is None
    assert inspection in inspection_list(store_a_manager)


def test_results_keep_mystery_shops_apart_and_set_competitors_beside_ours(
    client, shop, planned, reception, hq_analyst, store_a_manager, checklist, network
):
    _ours, token = shop
    client.post(reverse("shop", args=[token]), _posted(reception, uuid.uuid4(), covers="yes"))
    inspection_record(actor=store_a_manager, inspection=planned, submission_key=uuid.uuid4(),
                      answers={s.pk: Given("no") if s.code == "covers" else Given("na")
                               for s in reception})  # fmt: skip
    rival = competitor_save(actor=hq_analyst, name="Rival Toyota", near=network.store_a)
    _theirs, link = mystery_shop_order(
        actor=hq_analyst, checklist=checklist, competitor=rival,
        planned_for=timezone.localdate(), agency="Mingcha", scenario="The same visit.",
    )  # fmt: skip
    client.post(reverse("shop", args=[link]), _posted(reception, uuid.uuid4(), covers="no"))
    client.force_login(hq_analyst)
    staff = client.get(reverse("improve:inspection_results")).context
    assert [row.failed for row in staff["pareto"]] == [1] and staff["grid"][0].score == 0.0
    mystery = client.get(reverse("improve:inspection_results") + "?view=mystery").context
    assert mystery["pareto"] == [] and mystery["grid"][0].score == 100.0  # ours only
    (beside,) = mystery["rivals"]
    assert (beside.ours, beside.theirs) == (100.0, 66.7)  # their covers failed: 2 of 3 marks


def test_the_api_schedules_records_and_reports(
    api_as, checklist, network, hq_analyst, store_a_manager, store_b_manager, reception
):
    today = timezone.localdate().isoformat()
    plan = {"checklist": checklist.pk, "units": [network.store_a.pk], "planned_for": today}
    made = api_as(hq_analyst).post("/api/v1/improve/inspections/schedule", plan,
                                   content_type=JSON)  # fmt: skip
    assert made.status_code == 201, made.content
    url = f"/api/v1/improve/inspections/{made.json()[0]['id']}/answers"
    body = {"submission_key": str(uuid.uuid4()), "answers": [
        {"standard": "covers", "result": "yes"}, {"standard": "lounge", "result": "3"},
        {"standard": "drinks", "result": "no", "note": "No water"},
    ]}  # fmt: skip
    assert api_as(store_b_manager).post(url, body, content_type=JSON).status_code == 404
    done = api_as(store_a_manager).post(url, body, content_type=JSON)
    assert done.status_code == 200, done.content
    assert done.json()["score"] == 53.3 and done.json()["failed"] == 1  # (1 + 3/5 + 0) / 3
    report = api_as(hq_analyst).get(
        f"/api/v1/improve/inspections/results?since={today}&until={today}"
    )
    assert report.json()["pareto"][0]["standard"] == "drinks" and report.json()["checks"] == 1
    refused = api_as(store_a_manager).post("/api/v1/improve/inspections/schedule", plan,
                                           content_type=JSON)  # fmt: skip
    assert refused.status_code == 403
