"""Cases over the API: opened with their deadlines, scoped to the token's unit,
refused with a clear reason."""

from manyi.cases.models import Case


def _open(api, unit, **extra):
    body = {"kind": "complaint", "unit_id": unit.pk, "subject": "Noise after repair", **extra}
    return api.post("/api/v1/cases", body, content_type="application/json")


def test_a_store_opens_a_complaint_with_its_deadlines(api_as, store_a_manager, network, customer_a):
    api = api_as(store_a_manager)
    made = _open(api, network.store_a, customer_external_id="C-A1", cause="product")
    assert made.status_code == 201, made.text
    case = made.json()
    assert case["first_response_due"] and case["resolution_due"]
    assert case["cause"] == "product" and case["customer_id"] == customer_a.pk
    listed = api.get("/api/v1/cases?status=active").json()
    assert [item["number"] for item in listed["items"]] == [case["number"]]


def test_another_stores_case_and_unit_are_out_of_reach(
    api_as, store_a_manager, store_b_manager, network
):
    case = _open(api_as(store_a_manager), network.store_a).json()
    other = api_as(store_b_manager)
    assert other.get(f"/api/v1/cases/{case['id']}").status_code == 404
    assert _open(other, network.store_a).status_code == 404
    assert other.get("/api/v1/cases").json()["count"] == 0


def test_bad_input_gets_a_clear_reason_and_stores_nothing(api_as, store_a_manager, network):
    api = api_as(store_a_manager)
    for extra in (
        {"kind": "rant"},
        {"severity": "apocalyptic"},
        {"cause": "weather"},
        {"subject": " "},
    ):
        answer = _open(api, network.store_a, **extra)
        assert answer.status_code == 400 and answer.json()["detail"]
    assert not Case.objects.exists()


def test_a_reply_and_a_change_over_the_api(api_as, store_a_manager, network):
    api = api_as(store_a_manager)
    case = _open(api, network.store_a).json()
    replied = api.post(
        f"/api/v1/cases/{case['id']}/replies",
        {"body": "We are sorry and will call you."},
        content_type="application/json",
    )
    assert replied.status_code == 201 and replied.json()["first_responded_at"]
    changed = api.patch(
        f"/api/v1/cases/{case['id']}", {"severity": "critical"}, content_type="application/json"
    )
    assert changed.json()["severity"] == "critical"
    assert changed.json()["resolution_due"] < case["resolution_due"]


def test_a_subject_too_long_is_refused_not_cut(api_as, store_a_manager, network):
    api = api_as(store_a_manager)
    refused = _open(api, network.store_a, subject="Noise " * 40)
    assert refused.status_code == 422
    assert [error["field"] for error in refused.json()["errors"]] == ["subject"]
    assert not Case.objects.exists()
    case = _open(api, network.store_a).json()
    changed = api.patch(
        f"/api/v1/cases/{case['id']}", {"subject": "x" * 201}, content_type="application/json"
    )
    assert changed.status_code == 422
    assert Case.objects.get().subject == "Noise after repair"


def test_a_change_that_changes_nothing_is_refused(api_as, store_a_manager, network):
    api = api_as(store_a_manager)
    case = _open(api, network.store_a).json()
    for body in ({}, [], "severity"):
        changed = api.patch(f"/api/v1/cases/{case['id']}", body, content_type="application/json")
        assert changed.status_code in (400, 422), (body, changed.status_code)
        assert changed.json()["detail"]


def _step(api, case, name, **body):
    return api.post(f"/api/v1/cases/{case['id']}/{name}", body, content_type="application/json")


def test_a_crm_takes_a_complaint_through_the_seven_steps(
    api_as, store_a_manager, store_b_manager, network
):
    # Amy's store runs its complaints from its CRM: every step over the API.
    api = api_as(store_a_manager)
    case = _open(api, network.store_a).json()
    _step(api, case, "replies", body="We are sorry and will call you today.")
    assert _step(api, case, "analyse", cause="weather", finding="?").status_code == 400
    analysed = _step(api, case, "analyse", cause="process", finding="Booked twice.")
    assert analysed.status_code == 200 and analysed.json()["step"] == "propose"
    odd = _step(api, case, "propose", solution="Refund.", compensation_kind="cash", amount="10")
    assert odd.status_code == 400 and "compensation_kind" in odd.json()["detail"]
    proposed = _step(
        api, case, "propose", solution="Free car wash.", compensation_kind="free_service",
        amount="80",
    )  # fmt: skip
    assert proposed.json()["step"] == "carry_out"  # within a store manager's limit
    assert _step(api, case, "resolve", body="Rebooked and washed.").json()["status"] == "resolved"
    refused = _step(api, case, "close")
    assert refused.status_code == 400 and "review" in refused.json()["detail"]
    closed = _step(api, case, "review", root_cause="Two diaries.", prevention="One diary.")
    assert closed.json()["status"] == "closed"
    # Another store cannot touch it; the customer calls again and it is reopened.
    assert _step(api_as(store_b_manager), case, "reopen", reason="x").status_code == 404
    api = api_as(store_a_manager)
    reopened = _step(api, case, "reopen", reason="Booked twice again.")
    assert reopened.json()["status"] == "open" and reopened.json()["step"] == "analyse"
