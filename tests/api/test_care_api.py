"""Care over the API: HQ sets the rules, a store works its callbacks and reads its
figure; another store's callbacks are out of reach."""

from datetime import timedelta

from django.utils import timezone

from manyi.care.models import CareRule
from manyi.care.services import callbacks_schedule
from manyi.cases.models import Case

RULE = {
    "code": "three-day",
    "name": "Three-day callback",
    "event_kinds": ["maintenance", "repair"],
    "delay_business_days": 0,
    "within_days": 3,
}


def _rule(api_as, hq_analyst):
    made = api_as(hq_analyst).post("/api/v1/care/rules", RULE, content_type="application/json")
    assert made.status_code == 201, made.text
    CareRule.objects.filter(pk=made.json()["id"]).update(
        created_at=timezone.now() - timedelta(days=7)
    )
    return made.json()


def test_hq_sets_a_rule_and_a_store_may_only_read_it(api_as, hq_analyst, store_a_manager):
    rule = _rule(api_as, hq_analyst)
    assert rule["unit_ids"] == [] and rule["event_kinds"] == ["maintenance", "repair"]
    store = api_as(store_a_manager)
    assert [r["code"] for r in store.get("/api/v1/care/rules").json()] == ["three-day"]
    refused = store.post(
        "/api/v1/care/rules", {**RULE, "code": "x"}, content_type="application/json"
    )
    assert refused.status_code == 403
    bad = api_as(hq_analyst).post(
        "/api/v1/care/rules",
        {**RULE, "code": "y", "event_kinds": ["picnic"]},
        content_type="application/json",
    )
    assert bad.status_code == 400 and "event_kinds" in bad.json()["detail"]


def test_a_store_calls_back_and_an_issue_becomes_a_case(
    api_as, hq_analyst, store_a_manager, store_b_manager, closed_event
):
    _rule(api_as, hq_analyst)
    closed_event("RO-API-1", days_ago=1)
    callbacks_schedule()
    store = api_as(store_a_manager)
    (callback,) = store.get("/api/v1/care/callbacks").json()["items"]
    answer = store.post(
        f"/api/v1/care/callbacks/{callback['id']}/calls",
        {"outcome": "issue", "note": "The brakes squeal again."},
        content_type="application/json",
    )
    assert answer.status_code == 201, answer.text
    done = answer.json()
    assert done["status"] == "issue" and done["reached_in_time"]
    assert Case.objects.get(pk=done["case_id"]).description == "The brakes squeal again."
    again = store.post(
        f"/api/v1/care/callbacks/{callback['id']}/calls",
        {"outcome": "satisfied"},
        content_type="application/json",
    )
    assert again.status_code == 400 and "finished" in again.json()["detail"]
    other = api_as(store_b_manager)
    assert other.get(f"/api/v1/care/callbacks/{callback['id']}").status_code == 404


def test_the_figure_per_store_over_the_api(api_as, hq_analyst, closed_event):
    _rule(api_as, hq_analyst)
    closed_event("RO-API-2", days_ago=1)
    callbacks_schedule()
    today = timezone.localdate()
    api = api_as(hq_analyst)
    (store,) = api.get(
        f"/api/v1/care/figures?since={today - timedelta(days=3)}&until={today}"
    ).json()
    assert store["label"] == "Store A" and store["callbacks"] == 1 and store["in_time"] == 0
    assert api.get(f"/api/v1/care/figures?since={today}&until=9999-12-31").status_code == 400
    assert api.get(f"/api/v1/care/figures?since={today}&until={today}&by=moon").status_code == 400
