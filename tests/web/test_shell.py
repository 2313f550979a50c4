"""The shell: signing in and out, languages, navigation, throttling."""

import pytest
from django.core.management import call_command

from tests.conftest import at


def test_the_home_page_asks_visitors_to_sign_in(client, db):
    response = client.get("/")
    assert response.status_code == 302 and response.url.startswith("/login/")


def test_a_store_manager_signs_in_and_lands_on_the_stores_home(
    client, store_a_manager, customer_a, customer_b, settings
):
    settings.AXES_ENABLED = True
    response = client.post(
        "/login/",
        {"username": store_a_manager.username, "password": "a-long-test-password"},
        REMOTE_ADDR="10.0.0.1",
    )
    assert response.status_code == 302
    page = client.get("/")
    assert page.context["scope"] == store_a_manager.unit
    assert "cases.deadlines" in [shown.card.key for shown in page.context["cards"]]


def test_the_page_is_in_chinese_after_switching_language(client, hq_analyst):
    client.force_login(hq_analyst)
    client.post("/i18n/setlang/", {"language": "zh-hans", "next": "/"})
    assert "客户" in client.get("/").text
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert "Customers" in client.get("/").text


def test_navigation_follows_the_role(client, advisor_a, hq_analyst):
    client.force_login(advisor_a)
    advisor_nav = {item["key"] for item in client.get("/").context["nav"]}
    assert "imports" not in advisor_nav and "units" not in advisor_nav
    client.force_login(hq_analyst)
    assert {"imports", "units", "tiers"} <= {item["key"] for item in client.get("/").context["nav"]}


def test_repeated_wrong_passwords_lock_the_account(client, store_a_manager, settings):
    settings.AXES_ENABLED = True
    settings.AXES_FAILURE_LIMIT = 3
    for _ in range(3):
        client.post(
            "/login/",
            {"username": store_a_manager.username, "password": "wrong"},
            REMOTE_ADDR="10.0.0.2",
        )
    response = client.post(
        "/login/",
        {"username": store_a_manager.username, "password": "a-long-test-password"},
        REMOTE_ADDR="10.0.0.2",
    )
    assert response.status_code == 429


def test_a_staff_member_changes_their_password(client, advisor_a):
    client.force_login(advisor_a)
    response = client.post(
        "/password/",
        {
            "old_password": "a-long-test-password",
            "new_password1": "another-Long-pass-99",
            "new_password2": "another-Long-pass-99",
        },
    )
    assert response.status_code == 302
    advisor_a.refresh_from_db()
    assert advisor_a.check_password("another-Long-pass-99")


def test_pages_carry_a_content_security_policy_without_inline_scripts(client, hq_analyst):
    client.force_login(hq_analyst)
    policy = client.get("/")["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy


@pytest.mark.parametrize(
    "path",
    [
        "/customers/",
        "/customers/events/",
        "/org/units/",
        "/org/staff/",
        "/imports/",
        "/audit/",
        "/customers/tiers/",
        "/customers/new/",
        "/org/units/new/",
        "/org/staff/new/",
        "/password/",
    ],
)
def test_every_main_screen_renders_for_an_administrator(client, admin, event_a, path):
    client.force_login(admin)
    assert client.get(path).status_code == 200


def test_the_event_detail_page_renders(client, admin, event_a):
    client.force_login(admin)
    assert "RO-A1" in client.get(f"/customers/events/{event_a.pk}/").text


def test_the_worker_runs_queued_tasks_and_sweeps_once(
    transactional_db, settings, network, store_a_manager
):
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile

    from manyi.imports import tasks
    from manyi.imports.models import ImportJob
    from manyi.imports.services import import_job_create

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    job = import_job_create(
        actor=store_a_manager,
        kind="customers",
        upload=SimpleUploadedFile("c.csv", b"external_id,name,unit_code\nC1,Li,S-A\n"),
    )
    tasks.check_import.enqueue(job.pk)
    assert ImportJob.objects.get().status == "uploaded"
    call_command("worker", "--once", stdout=io.StringIO())
    assert ImportJob.objects.get().status == "checked"


def test_opened_at_helper_is_in_shanghai_time():
    assert at("2026-03-01 09:00").utcoffset().total_seconds() == 8 * 3600


def test_the_tiers_item_is_marked_current_on_the_tiers_page(client, hq_analyst):
    client.force_login(hq_analyst)
    assert client.get("/customers/tiers/").context["nav_current"] == "tiers"
    assert client.get("/customers/events/").context["nav_current"] == "events"
