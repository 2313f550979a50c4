"""The action screens and API as the people of the North region use them: Amy (store A)
opens an action from a shortfall on her dashboard, adds a task and a photo of the new
protective covers, and finishes it; Nick drills the board from the region to her store;
Ben of store B sees none of it; the complaint groups open an action too."""

import io
from datetime import date, timedelta

import pytest
from django.urls import reverse

from manyi.cases.models import Case, Cause
from manyi.cases.services import case_open
from manyi.improve.models import ActionPlan

PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 64
SOON = date.today() + timedelta(days=30)


@pytest.fixture
def opened(client, store_a_manager, programme, network):
    client.force_login(store_a_manager)
    link = (
        f"{reverse('improve:action_new')}?source=shortfall&unit={network.store_a.pk}"
        f"&programme={programme.pk}&variable=SQ2&month=2026-10&gap=41.5&importance=0.12"
    )
    form = client.get(link).content.decode()
    assert "Improve: SQ2" in form and f'value="{programme.pk}|SQ2" selected' in form
    answer = client.post(link, {
        "unit": network.store_a.pk, "title": "Improve: SQ2 thoroughness", "why": "Shortfall",
        "owner": store_a_manager.pk, "due_on": SOON.isoformat(),
        "figure": f"{programme.pk}|SQ2", "expected_change": "25", "trigger_month": "2026-10",
        "source": "shortfall", "evidence": '{"gap": "41.5", "variable": "SQ2"}',
    })  # fmt: skip
    assert answer.status_code == 302, answer.content.decode()[:2000]
    return ActionPlan.objects.get()


def test_amy_opens_an_action_from_a_shortfall(opened, client):
    assert opened.source == "shortfall" and opened.variable == "SQ2"
    assert opened.evidence == {"gap": "41.5", "variable": "SQ2"}
    page = client.get(reverse("improve:action", args=[opened.pk])).content.decode()
    assert "41.5" in page and "Measured once it is done" in page


def test_the_dashboard_offers_to_act_on_each_shortfall(client, store_a_manager, programme,
                                                       network, two_months):  # fmt: skip
    client.force_login(store_a_manager)
    query = {"programme": programme.pk, "unit": network.store_a.pk}
    page = client.get(reverse("analytics:dashboard"), query).content.decode()
    assert 'data-testid="shortfall-action"' in page and "source=shortfall" in page


def test_she_works_it_to_the_end_with_a_photo(opened, client, store_a_manager):
    url = reverse("improve:action", args=[opened.pk])
    client.post(reverse("improve:action_task_add", args=[opened.pk]),
                {"title": "Seat covers in every bay", "due_on": SOON.isoformat()})  # fmt: skip
    photo = io.BytesIO(PNG)
    photo.name = "covers.png"
    client.post(reverse("improve:action_note_add", args=[opened.pk]),
                {"text": "New covers in bay 3", "photo": photo})  # fmt: skip
    note = opened.notes.get()
    assert note.photo_type == "image/png"
    served = client.get(reverse("improve:action_photo", args=[opened.pk, note.pk]))
    assert served["Content-Type"] == "image/png"
    text = io.BytesIO(b"just text")
    text.name = "covers.png"
    refused = client.post(reverse("improve:action_note_add", args=[opened.pk]),
                          {"text": "Another", "photo": text}, follow=True)  # fmt: skip
    assert "Only photos" in refused.content.decode()
    early = client.post(reverse("improve:action_close", args=[opened.pk]), {"status": "done"},
                        follow=True)  # fmt: skip
    assert "Tick off its tasks first" in early.content.decode()
    task = opened.tasks.get()
    client.post(reverse("improve:action_task_done", args=[opened.pk, task.pk]))
    client.post(reverse("improve:action_close", args=[opened.pk]), {"status": "done"})
    opened.refresh_from_db()
    assert opened.status == "done"
    assert "Done; measured from the first whole month" in client.get(url).content.decode()


def test_nick_drills_the_board_and_ben_sees_nothing(opened, client, north_manager,
                                                    store_b_manager, network):  # fmt: skip
    client.force_login(north_manager)
    board = client.get(reverse("improve:actions")).content.decode()
    assert "Store A" in board and 'data-testid="actions-open">1<' in board
    store = client.get(reverse("improve:actions"), {"unit": network.store_a.pk}).content.decode()
    assert opened.title in store
    assert client.get(reverse("improve:actions"), {"unit": network.east.pk}).status_code == 404
    client.force_login(store_b_manager)
    assert client.get(reverse("improve:action", args=[opened.pk])).status_code == 404
    assert opened.title not in client.get(reverse("improve:actions")).content.decode()


def test_her_action_waits_in_her_inbox_and_on_her_home(opened, client):
    assert opened.title in client.get(reverse("home")).content.decode()
    assert opened.title in client.get(reverse("inbox")).content.decode()


def test_reviewed_complaints_with_one_cause_suggest_an_action(client, store_a_manager, network):
    cause = Cause.objects.create(code="waiting", name="等待", name_en="Waiting", side="company")
    for _ in range(3):
        case = case_open(actor=None, kind="complaint", unit=network.store_a, subject="Slow",
                         channel="phone")  # fmt: skip
        Case.objects.filter(pk=case.pk).update(cause=cause, root_cause="One lift for four bays")
    client.force_login(store_a_manager)
    page = client.get(reverse("improve:complaint_groups"), HTTP_ACCEPT_LANGUAGE="en")
    text = page.content.decode()
    assert "Waiting" in text and "source=complaints" in text
    form = client.get(f"{reverse('improve:action_new')}?source=complaints&cause=Waiting"
                      f"&unit={network.store_a.pk}&cases=C1").content.decode()  # fmt: skip
    assert "Prevent complaints: Waiting" in form


def test_the_api_opens_an_action_and_reads_its_effect(api_as, store_a_manager, store_b_manager,
                                                      programme, network):  # fmt: skip
    client = api_as(store_a_manager)
    body = {"unit_id": network.store_a.pk, "title": "Lounge coffee", "owner_id":
            store_a_manager.pk, "due_on": SOON.isoformat(), "programme_id": programme.pk,
            "figure": "factor:service_facility", "expected_change": "20"}  # fmt: skip
    made = client.post("/api/v1/improve/actions", body, content_type="application/json")
    assert made.status_code == 201, made.content
    plan_id = made.json()["id"]
    task = client.post(f"/api/v1/improve/actions/{plan_id}/tasks",
                       {"title": "Buy the machine", "due_on": SOON.isoformat()},
                       content_type="application/json")  # fmt: skip
    assert task.status_code == 201
    read = client.get(f"/api/v1/improve/actions/{plan_id}").json()
    assert read["effect"]["pending"] == "not_done" and len(read["tasks"]) == 1
    assert read["effect"]["before"]
    wrong = client.post("/api/v1/improve/actions", {**body, "figure": "nothing"},
                        content_type="application/json")  # fmt: skip
    assert wrong.status_code == 400 and "not one of" in wrong.json()["detail"]
    other = api_as(store_b_manager)
    assert other.get(f"/api/v1/improve/actions/{plan_id}").status_code == 404
    assert other.post("/api/v1/improve/actions", {**body, "owner_id": store_b_manager.pk},
                      content_type="application/json").status_code == 404  # fmt: skip


def test_a_moved_due_date_reads_in_the_readers_language(opened, client):
    later = SOON + timedelta(days=10)
    client.post(reverse("improve:action_redate", args=[opened.pk]),
                {"due_on": later.isoformat(), "reason": "Parts late"})  # fmt: skip
    url = reverse("improve:action", args=[opened.pk])
    english = client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert f"Due date moved from {SOON.isoformat()} to {later.isoformat()}" in english
    chinese = client.get(url, HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert f"截止日期由 {SOON.isoformat()} 调整为 {later.isoformat()}" in chinese


def test_an_action_opened_by_hand_from_the_board(client, store_a_manager, network):
    client.force_login(store_a_manager)
    form = client.get(reverse("improve:action_new")).content.decode()
    assert 'name="source" value="hand"' in form
    answer = client.post(reverse("improve:action_new"), {
        "unit": network.store_a.pk, "title": "Coffee in the lounge", "owner": store_a_manager.pk,
        "due_on": SOON.isoformat(), "source": "hand", "evidence": "",
    })  # fmt: skip
    assert answer.status_code == 302, answer.content.decode()[:1500]
    assert ActionPlan.objects.get().source == "hand"
