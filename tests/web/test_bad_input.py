"""Odd input gets a clear answer, never a 500: digits that are not ASCII ("²".isdigit()
is true, int("²") fails), numbers too large for the database, NUL characters, huge
pages, and a `next` that leaves the site.
"""

import pytest

from manyi.cases.services import case_open
from manyi.customers.models import ServiceEvent

SUPERSCRIPT_TWO = "²"
HUGE = "9" * 30


@pytest.mark.parametrize(
    "url",
    [
        f"/cases/?unit={SUPERSCRIPT_TWO}",
        f"/cases/?status={SUPERSCRIPT_TWO}",
        f"/cases/board/?unit={SUPERSCRIPT_TWO}",
        f"/cases/rules/?year={SUPERSCRIPT_TWO}",
        f"/surveys/alerts/?unit={SUPERSCRIPT_TWO}",
        f"/surveys/calls/?programme={SUPERSCRIPT_TWO}",
        f"/org/staff/?unit={SUPERSCRIPT_TWO}",
        f"/customers/?unit={SUPERSCRIPT_TWO}",
        f"/customers/export/?unit={SUPERSCRIPT_TWO}",
        f"/customers/events/?unit={SUPERSCRIPT_TWO}",
        f"/analytics/?period={SUPERSCRIPT_TWO}",
    ],
)
def test_a_query_parameter_that_is_not_a_number_is_a_400(client, admin, url, programme):
    client.force_login(admin)
    response = client.get(url)
    assert response.status_code == 400
    assert 'data-testid="bad-request"' in response.content.decode() or url.startswith("/analytics")


def test_a_unit_outside_the_users_part_is_a_400_on_the_queue(client, store_a_manager, network):
    client.force_login(store_a_manager)
    assert client.get(f"/cases/?unit={network.store_b.pk}").status_code == 400


@pytest.mark.parametrize(
    "url", [f"/customers/{HUGE}/", f"/cases/{HUGE}/", f"/surveys/responses/{HUGE}/"]
)
def test_an_id_too_large_for_the_database_is_a_404(client, admin, url):
    client.force_login(admin)
    assert client.get(url).status_code == 404


def test_an_api_id_too_large_for_the_database_is_a_404(api_as, admin):
    assert api_as(admin).get(f"/api/v1/customers/{HUGE}").status_code == 404
    assert api_as(admin).get(f"/api/v1/cases/{HUGE}").status_code == 404


def test_an_api_page_holds_at_most_500_rows(api_as, admin, customer_a):
    ServiceEvent.objects.bulk_create(
        ServiceEvent(
            external_id=f"E{n}",
            kind="maintenance",
            unit=customer_a.unit,
            customer=customer_a,
            opened_at="2026-03-01T10:00:00+08:00",
        )
        for n in range(520)
    )
    body = api_as(admin).get("/api/v1/events", {"limit": 100000}).json()
    assert (body["count"], len(body["items"])) == (520, 500)


def test_an_api_offset_past_any_table_is_refused(api_as, admin):
    assert api_as(admin).get("/api/v1/events", {"offset": 10**20}).status_code == 422


def test_a_nul_character_is_refused_with_a_clear_message(api_as, admin, network):
    response = api_as(admin).post(
        "/api/v1/cases",
        {"kind": "complaint", "unit_id": network.store_a.pk, "subject": "bad\x00subject"},
        content_type="application/json",
    )
    assert response.status_code == 422
    assert "NUL" in response.content.decode()


def test_acknowledging_an_alert_never_sends_the_user_off_the_site(
    client, store_a_manager, programme, customer_a, event_a
):
    from manyi.surveys.services import invitation_create, response_submit
    from tests.surveys.fixtures import GOOD_ANSWERS

    invitation = invitation_create(
        programme=programme, customer=customer_a, event=event_a, channel="link", address=""
    )
    response = response_submit(token=invitation.token, answers={**GOOD_ANSWERS, "OVERALL": 1})
    alert = response.alerts.first()
    client.force_login(store_a_manager)
    answer = client.post(
        f"/surveys/alerts/{alert.pk}/acknowledge/", {"next": "https://evil.example/phish"}
    )
    assert answer["Location"] == "/surveys/alerts/"
    answer = client.post(f"/surveys/alerts/{alert.pk}/acknowledge/", {"next": "//evil.example/"})
    assert answer["Location"] == "/surveys/alerts/"


def test_a_signed_hook_with_a_timestamp_in_other_digits_is_refused(client, settings, network):
    settings.CASE_INTAKE_SECRET = "s3cret"
    response = client.post(
        "/hooks/cases/",
        b"{}",
        content_type="application/json",
        HTTP_X_MANYI_TIMESTAMP=SUPERSCRIPT_TWO * 3,
        HTTP_X_MANYI_SIGNATURE="sha256=00",
    )
    assert response.status_code == 401


def test_a_case_amount_that_is_not_a_number_is_a_message(client, hui, network):
    case = case_open(
        actor=hui, kind="complaint", unit=network.store_a, subject="Late", channel="phone"
    )
    client.force_login(hui)
    for amount in ("NaN", "Infinity", "1e999999", SUPERSCRIPT_TWO):
        answer = client.post(
            f"/cases/{case.pk}/propose/",
            {"solution": "A voucher", "kind": "voucher", "amount": amount},
        )
        assert answer.status_code == 302
    assert case.compensations.count() == 0


@pytest.mark.parametrize("month", ["9999-12", "0001-01", "2026-13"])
def test_a_month_outside_the_reports_years_shows_this_month(client, admin, month):
    from django.utils import timezone

    client.force_login(admin)
    for url in ("/cases/reports/", "/cases/compensation/"):
        page = client.get(url, {"month": month})
        assert page.context["month"] == f"{timezone.localdate():%Y-%m}"
    assert client.get("/cases/record.xlsx", {"month": month}).status_code == 200


@pytest.mark.parametrize(
    ("since", "until"), [("9999-12-01", "9999-12-31"), ("0001-01-01", "0001-01-31")]
)
def test_analytics_dates_at_the_calendars_edges_are_a_400(
    client, api_as, admin, programme, since, until
):
    client.force_login(admin)
    assert client.get("/analytics/", {"since": since, "until": until}).status_code == 400
    answer = api_as(admin).get(
        "/api/v1/analytics/csi",
        {"programme_id": programme.pk, "since": since, "until": until},
    )
    assert answer.status_code == 400 and "2000" in answer.json()["detail"]


def test_a_response_list_from_year_one_is_refused(api_as, admin):
    answer = api_as(admin).get("/api/v1/responses", {"since": "0001-01-01T00:00:00+14:00"})
    assert answer.status_code == 422


def test_a_nul_in_a_query_string_is_refused_before_any_view(client, api_as, hq_analyst):
    client.force_login(hq_analyst)
    assert client.get("/customers/?q=a%00b").status_code == 400
    answer = api_as(hq_analyst).get("/api/v1/invitations?status=N%00")
    assert answer.status_code == 400 and answer.json()["detail"] == "NUL characters are refused."
