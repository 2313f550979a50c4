"""The targets screen and API as Hana (headquarters) and Nick (North region) use them:
set a target on screen, see its progress in either language, remove it; over the API the
same, with the figure so far; a store manager reads but does not set."""

from datetime import date
from decimal import Decimal

from django.urls import reverse

from manyi.improve.models import Target


def _form(programme, unit, value="700"):
    start = date.today().replace(day=1)
    return {"unit": unit.pk, "figure": f"{programme.pk}|@index",
            "since": f"{start.year - 1}-{start.month:02d}", "until": start.strftime("%Y-%m"),
            "value": value}  # fmt: skip


def test_headquarters_sets_a_target_and_sees_where_the_store_stands(
    client, hq_analyst, programme, network, two_months
):
    client.force_login(hq_analyst)
    form = client.get(reverse("improve:target_new")).content.decode()
    assert f"{programme.pk}|factor:service_quality" in form
    answer = client.post(reverse("improve:target_new"), _form(programme, network.store_a))
    assert answer.status_code == 302
    target = Target.objects.get()
    assert target.since.day == 1 and target.variable == "@index"
    page = client.get(reverse("improve:targets"), HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "n = 80" in page and "达标" in page


def test_a_region_manager_is_offered_his_stores_and_told_why_not(
    client, north_manager, programme, network
):
    client.force_login(north_manager)
    page = client.post(reverse("improve:target_new"), _form(programme, network.north))
    assert page.status_code == 200 and "Select a valid choice" in page.content.decode()
    bad = {**_form(programme, network.store_a), "since": "2026-09", "until": "2026-07"}
    assert (
        "ends before it starts" in client.post(reverse("improve:target_new"), bad).content.decode()
    )


def test_a_store_manager_reads_the_targets_but_sets_none(client, store_a_manager):
    client.force_login(store_a_manager)
    assert client.get(reverse("improve:targets")).status_code == 200
    assert client.get(reverse("improve:target_new")).status_code == 403


def test_the_api_sets_a_target_and_reports_its_progress(api_as, hq_analyst, programme,
                                                        network, two_months):  # fmt: skip
    client = api_as(hq_analyst)
    body = {"programme_id": programme.pk, "unit_id": network.store_a.pk, "figure": "@index",
            "since": "2025-01-01", "until": str(date.today()), "value": "700"}  # fmt: skip
    made = client.post("/api/v1/improve/targets", body, content_type="application/json")
    assert made.status_code == 201, made.content
    assert made.json()["n"] == 80 and made.json()["met"] is not None
    wrong = client.post("/api/v1/improve/targets", {**body, "figure": "nothing"},
                        content_type="application/json")  # fmt: skip
    off_scale = client.post("/api/v1/improve/targets", {**body, "value": "999999"},
                            content_type="application/json")  # fmt: skip
    assert off_scale.status_code == 400 and "between 0 and 1000" in off_scale.json()["detail"]
    assert wrong.status_code == 400 and "not one of" in wrong.json()["detail"]
    gone = client.delete(f"/api/v1/improve/targets/{made.json()['id']}")
    assert gone.status_code == 204 and not Target.objects.exists()


def test_the_home_page_shows_the_targets_running_and_who_is_behind(
    client, hq_analyst, programme, network, two_months
):
    client.force_login(hq_analyst)
    month = date.today().replace(day=1)
    for unit, value in ((network.store_a, "990"), (network.store_b, "100")):
        form = {**_form(programme, unit, value=value), "until": month.strftime("%Y-%m")}
        client.post(reverse("improve:target_new"), form)
    home = client.get(reverse("home")).content.decode()
    assert 'data-testid="card-targets"' in home and "1 of 2 met" in home
    assert "Store A" in home.split('data-testid="card-targets"')[1]


def test_the_analytics_pages_draw_the_target_line_and_the_distance(
    client, north_manager, programme, network, two_months
):
    from manyi.improve.services.targets import target_set

    start = date.today().replace(day=1)
    target_set(actor=north_manager, programme=programme, unit=network.store_a,
               variable="@index", since=start.replace(year=start.year - 1), until=start,
               value=Decimal("990"))  # fmt: skip
    client.force_login(north_manager)
    query = {"programme": programme.pk, "unit": network.store_a.pk}
    for tab in ("dashboard", "nps", "drivers"):
        page = client.get(reverse(f"analytics:{tab}"), query).content.decode()
        assert 'data-testid="target-line"' in page and "to go" in page, tab
    assert '"target": 990.0' in client.get(reverse("analytics:dashboard"), query).content.decode()
    other = client.get(reverse("analytics:dashboard"), {**query, "unit": network.store_b.pk})
    assert 'data-testid="target-line"' not in other.content.decode()
