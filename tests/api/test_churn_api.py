"""The churn API as a call-centre system uses it: read store A's risk list, open a
win-back task, record the call; bad input gets a 400 that says what is wrong."""

import pytest

from manyi.care.churn import churn_refresh
from tests.care.conftest import TODAY, crowd, li_ming  # noqa: F401
from tests.surveys.fixtures import csi_version  # noqa: F401


@pytest.fixture
def refreshed(crowd, li_ming):  # noqa: F811
    churn_refresh(today=TODAY)


def test_a_call_centre_works_the_list_over_the_api(api_as, refreshed, store_a_manager, li_ming):  # noqa: F811
    client = api_as(store_a_manager)
    rows = client.get("/api/v1/care/risk?reason=two_poor").json()["items"]
    assert [row["customer_name"] for row in rows] == ["Li Ming"]
    assert set(rows[0]["reasons"]) == {"overdue", "drifting", "two_poor"}
    opened = client.post(f"/api/v1/care/risk/{rows[0]['id']}/winback", {},
                         content_type="application/json")  # fmt: skip
    assert opened.status_code == 201, opened.content
    task = opened.json()
    call = client.post(f"/api/v1/care/winbacks/{task['id']}/calls",
                       {"outcome": "lost", "loss_reason": "competitor"},
                       content_type="application/json")  # fmt: skip
    assert call.status_code == 201 and call.json()["status"] == "lost"
    assert call.json()["calls"][0]["loss_reason"] == "competitor"
    figures = client.get(f"/api/v1/care/retention?since=2026-01-01&until={TODAY}").json()
    assert figures["loss_reasons"] == [
        {"reason": "competitor", "count": 1, "share": 1.0, "cumulative": 1.0}
    ]
    assert figures["model"]["at_risk"] > 0 and figures["holdout"]


def test_bad_input_says_what_is_wrong(api_as, refreshed, store_a_manager, store_b_manager, li_ming):  # noqa: F811
    client = api_as(store_a_manager)
    assert "tier is one of" in client.get("/api/v1/care/risk?tier=gold").json()["detail"]
    row = client.get("/api/v1/care/risk").json()["items"][0]
    task = client.post(f"/api/v1/care/risk/{row['id']}/winback", {},
                       content_type="application/json").json()  # fmt: skip
    wrong = client.post(f"/api/v1/care/winbacks/{task['id']}/calls", {"outcome": "maybe"},
                        content_type="application/json")  # fmt: skip
    assert wrong.status_code == 400 and "outcome is one of" in wrong.json()["detail"]
    other = api_as(store_b_manager)
    assert other.get(f"/api/v1/care/winbacks/{task['id']}").status_code == 404
