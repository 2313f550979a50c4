"""Programmes, waves, invitations, responses, alerts and calls on screen, scoped by unit."""

import pytest

from manyi.surveys.models import AlertRule, Programme, Response
from manyi.surveys.services import invitation_create, response_submit
from tests.surveys.fixtures import GOOD_ANSWERS

LOW = {**GOOD_ANSWERS, "OVERALL": 2, "NPS": 3}


def test_an_analyst_sets_up_a_programme_on_screen(client, hq_analyst, csi_version, network):
    client.force_login(hq_analyst)
    assert client.get("/surveys/programmes/new/").status_code == 200
    response = client.post(
        "/surveys/programmes/new/",
        {
            "code": "nps-2027",
            "name": "NPS 2027",
            "version": csi_version.pk,
            "units": [network.north.pk],
            "event_kinds": ["maintenance"],
            "trigger": "after_event",
            "delay_days": 3,
            "sampling": "quota",
            "sample_rate": 100,
            "quota_per_unit": 40,
            "exclude_recent_days": 90,
            "exclude_internal": "on",
            "channels": ["sms"],
            "reminder_after_days": 2,
            "expire_after_days": 14,
            "max_call_attempts": 5,
            "call_retry_minutes": 120,
            "min_n_unit": 30,
            "min_n_staff": 10,
            "is_active": "on",
        },
    )
    programme = Programme.objects.get(code="nps-2027")
    assert response.url == f"/surveys/programmes/{programme.pk}/"
    assert programme.quota_per_unit == 40 and programme.channels == ["sms"]
    assert AlertRule.objects.filter(programme=programme).count() == 3


def test_a_programme_without_units_is_refused_with_a_message(client, hq_analyst, csi_version):
    client.force_login(hq_analyst)
    page = client.post("/surveys/programmes/new/", {"code": "x", "name": "x"})
    assert page.status_code == 200 and not Programme.objects.filter(code="x").exists()


def test_a_store_manager_may_read_but_not_set_up_programmes(client, store_a_manager, programme):
    client.force_login(store_a_manager)
    assert client.get(f"/surveys/programmes/{programme.pk}/").status_code == 200
    assert client.get("/surveys/programmes/new/").status_code == 403
    assert client.post(f"/surveys/programmes/{programme.pk}/rules/", {}).status_code == 403


def test_an_advisor_does_not_see_programmes(client, advisor_a, programme):
    client.force_login(advisor_a)
    assert client.get("/surveys/programmes/").status_code == 403


@pytest.fixture
def two_invitations(programme, closed_event, customer_a, customer_b, network):
    at_a = invitation_create(
        programme=programme,
        customer=customer_a,
        event=closed_event("RO-1"),
        channel="sms",
        address="+8613812345678",
    )
    at_b = invitation_create(
        programme=programme,
        customer=customer_b,
        event=closed_event("RO-2", customer=customer_b, unit=network.store_b),
        channel="sms",
        address="+8613987654321",
    )
    response_submit(token=at_a.token, answers=LOW)
    return at_a, at_b


def test_the_wave_funnel_counts_only_the_managers_store(client, store_b_manager, two_invitations):
    _at_a, at_b = two_invitations
    client.force_login(store_b_manager)
    page = client.get(f"/surveys/programmes/{at_b.programme_id}/waves/{at_b.wave_id}/")
    assert page.status_code == 200
    funnel = page.context["unit_rows"]
    assert [row.label for row in funnel] == ["Store B"]
    assert funnel[0].counts["invited"] == 1 and funnel[0].counts["completed"] == 0
    assert "Li Ming" not in page.text


def test_the_network_funnel_shows_the_response_rate(client, hq_analyst, two_invitations):
    client.force_login(hq_analyst)
    page = client.get(f"/surveys/programmes/{two_invitations[0].programme_id}/")
    assert page.context["total"].counts["completed"] == 1
    assert page.context["total"].response_rate == 0.5


def test_another_stores_invitation_and_response_are_not_found(
    client, store_b_manager, two_invitations
):
    at_a, _at_b = two_invitations
    client.force_login(store_b_manager)
    assert client.get(f"/surveys/invitations/{at_a.pk}/").status_code == 404
    assert client.get(f"/surveys/invitations/{at_a.pk}/qr.svg").status_code == 404
    response = Response.objects.get(invitation=at_a)
    assert client.get(f"/surveys/responses/{response.pk}/").status_code == 404


def test_the_invitation_page_shows_its_life_and_a_qr_code(client, store_a_manager, two_invitations):
    at_a, _ = two_invitations
    client.force_login(store_a_manager)
    page = client.get(f"/surveys/invitations/{at_a.pk}/")
    assert page.status_code == 200 and "Completed" in page.text
    assert [str(label) for label, _at in page.context["life"]][:1] == ["created at"]
    qr = client.get(f"/surveys/invitations/{at_a.pk}/qr.svg")
    assert qr["Content-Type"] == "image/svg+xml" and qr.content.startswith(b"<svg")
    assert b"http://www.w3.org/2000/svg" in qr.content  # a standalone image needs its namespace


def test_a_low_score_is_in_the_stores_alert_list_until_acknowledged(
    client, store_a_manager, store_b_manager, two_invitations
):
    client.force_login(store_b_manager)
    assert len(client.get("/surveys/alerts/").context["page"]) == 0
    client.force_login(store_a_manager)
    alerts = list(client.get("/surveys/alerts/").context["page"])
    assert len(alerts) >= 2  # overall ≤ 4 and NPS detractor
    client.post(f"/surveys/alerts/{alerts[0].pk}/acknowledge/")
    assert len(client.get("/surveys/alerts/?status=open").context["page"]) == len(alerts) - 1
    assert len(client.get("/surveys/alerts/").context["page"]) == len(alerts)  # all, by default


def test_an_alert_shows_its_case_and_whether_the_case_is_overdue(
    client, store_a_manager, two_invitations
):
    from datetime import timedelta

    from django.utils import timezone

    from manyi.cases.from_alerts import alerts_to_cases
    from manyi.cases.models import Case

    alerts_to_cases()
    case = Case.objects.get()
    Case.objects.filter(pk=case.pk).update(resolution_due=timezone.now() - timedelta(hours=1))
    client.force_login(store_a_manager)
    page = client.get("/surveys/alerts/")
    assert [row[1] for row in page.context["rows"] if row[1]] and case.number in page.text
    assert "overdue" in page.text
    assert "OVERALL" not in page.text


def test_the_response_page_shows_scores(client, hq_analyst, two_invitations):
    client.force_login(hq_analyst)
    response = Response.objects.get()
    page = client.get(f"/surveys/responses/{response.pk}/")
    assert page.status_code == 200 and "Detractor" in page.text


def test_the_customer_timeline_shows_the_invitation_and_the_response(
    client, store_a_manager, two_invitations, customer_a
):
    client.force_login(store_a_manager)
    page = client.get(f"/customers/{customer_a.pk}/")
    types = [entry["type"] for entry in page.context["timeline"]]
    assert {"service_event", "invitation", "response"} <= set(types)
    assert 'data-entry="response"' in page.text


def test_a_keyword_rule_without_keywords_is_refused(client, hq_analyst, programme):
    client.force_login(hq_analyst)
    before = programme.alert_rules.count()
    client.post(f"/surveys/programmes/{programme.pk}/rules/", {"kind": "keyword"})
    assert programme.alert_rules.count() == before
    client.post(
        f"/surveys/programmes/{programme.pk}/rules/", {"kind": "keyword", "keywords": "投诉, 差"}
    )
    assert programme.alert_rules.filter(kind="keyword", keywords="投诉, 差").exists()


def test_a_manual_wave_with_an_unknown_customer_sends_nothing(
    client, hq_analyst, programme, customer_a
):
    client.force_login(hq_analyst)
    client.post(
        f"/surveys/programmes/{programme.pk}/waves/new/",
        {"name": "VIP", "customers": "C-A1\nC-NOBODY"},
    )
    assert not programme.invitations.exists()
    response = client.post(
        f"/surveys/programmes/{programme.pk}/waves/new/", {"name": "VIP", "customers": "C-A1"}
    )
    assert programme.invitations.count() == 1
    assert response.url.startswith(f"/surveys/programmes/{programme.pk}/waves/")


@pytest.fixture
def heavy_customers(network):
    """Twelve heavyweight customers of store A, one a month from January; two of store B;
    three lightweight ones of store A."""
    from datetime import datetime, timedelta

    from manyi.customers.services import customer_create, event_create
    from tests.conftest import SHANGHAI

    made = []
    for n, (store, tier) in enumerate(
        [(network.store_a, "heavyweight")] * 12
        + [(network.store_b, "heavyweight")] * 2
        + [(network.store_a, "lightweight")] * 3
    ):
        customer = customer_create(
            actor=None,
            external_id=f"H-{n}",
            unit=store,
            name=f"Customer {n}",
            phone=f"1390000{n:04d}",
            tier=tier,
        )
        opened = datetime(2026, 1 + n % 12, 10, 9, tzinfo=SHANGHAI)
        event_create(
            actor=None,
            external_id=f"RO-H{n}",
            kind="maintenance",
            unit=store,
            customer=customer,
            opened_at=opened,
            closed_at=opened + timedelta(hours=3),
        )
        made.append(customer)
    return made


def test_a_wave_picks_a_segment_by_tier_store_and_last_visit(
    client, hq_analyst, programme, network, heavy_customers
):
    """Hq wants the heavyweights of store A last seen from March to June: four of them."""
    client.force_login(hq_analyst)
    answer = client.post(
        f"/surveys/programmes/{programme.pk}/waves/new/",
        {
            "name": "Heavyweights, spring",
            "tiers": ["heavyweight"],
            "unit": network.store_a.pk,
            "visited_from": "2026-03-01",
            "visited_to": "2026-06-30",
        },
    )
    assert answer.url.startswith(f"/surveys/programmes/{programme.pk}/waves/")
    invited = set(programme.invitations.values_list("customer__external_id", flat=True))
    assert invited == {"H-2", "H-3", "H-4", "H-5"}


def test_at_most_draws_the_same_sample_for_the_same_wave_name(
    hq_analyst, programme, network, heavy_customers
):
    from manyi.customers.selectors import customer_segment
    from manyi.surveys.services import ProgrammeError, wave_draw

    segment = customer_segment(hq_analyst, tiers=["heavyweight"], unit=network.store_a)
    first = wave_draw(customers=segment, at_most=5, seed="Spring")
    assert len(first) == 5 and {c.tier for c in first} == {"heavyweight"}
    assert wave_draw(customers=segment, at_most=5, seed="Spring") == first
    assert len(wave_draw(customers=segment, at_most=50, seed="Spring")) == 12
    with pytest.raises(ProgrammeError):
        wave_draw(customers=segment.none(), at_most=None, seed="Spring")


def test_a_wave_needs_a_segment_or_a_list(client, hq_analyst, programme, heavy_customers):
    client.force_login(hq_analyst)
    answer = client.post(
        f"/surveys/programmes/{programme.pk}/waves/new/", {"name": "Everyone"}, follow=True
    )
    assert "Choose a segment or list the customers." in answer.text
    assert not programme.invitations.exists()


def test_the_sample_size_tool_gives_margins(client, hq_analyst):
    client.force_login(hq_analyst)
    page = client.get(
        "/surveys/sample-size/",
        {"population": 1000, "quota": 278, "margin": 5, "sd": 200, "confidence": "0.95"},
    )
    assert page.context["figures"]["needed"] == 278
    assert round(page.context["figures"]["share"], 1) == 5.0
    bad = client.get(
        "/surveys/sample-size/",
        {"population": 10, "quota": 20, "margin": 5, "sd": 200, "confidence": "0.95"},
    )
    assert bad.context["figures"] is None and "cannot return more" in bad.text


@pytest.fixture
def phone_invitation(programme, closed_event, customer_a):
    return invitation_create(
        programme=programme,
        customer=customer_a,
        event=closed_event("RO-CALL"),
        channel="phone",
        address="+8613812345678",
    )


def test_an_agent_calls_and_records_a_completed_interview(client, agent, phone_invitation):
    client.force_login(agent)
    listed = client.get("/surveys/calls/")
    assert [inv.pk for inv in listed.context["page"]] == [phone_invitation.pk]
    script = client.get(f"/surveys/calls/{phone_invitation.pk}/")
    assert "138 1234 5678" in script.text or "13812345678" in script.text
    data = {f"a-{code}": value for code, value in GOOD_ANSWERS.items() if code != "CONTACT_ME"}
    data.update({"a-CONTACT_ME": "no", "outcome": "completed"})
    done = client.post(f"/surveys/calls/{phone_invitation.pk}/", data)
    assert done.status_code == 302
    assert Response.objects.get().channel == "phone"
    assert client.get("/surveys/calls/").context["page"].paginator.count == 0


def test_an_agent_records_no_answer_and_the_call_leaves_the_list(client, agent, phone_invitation):
    client.force_login(agent)
    client.post(f"/surveys/calls/{phone_invitation.pk}/", {"outcome": "no_answer"})
    assert client.get("/surveys/calls/").context["page"].paginator.count == 0
    phone_invitation.refresh_from_db()
    assert phone_invitation.call_attempts == 1 and not Response.objects.exists()


def test_hq_narrows_the_alert_list_to_one_store(client, hq_analyst, two_invitations, network):
    client.force_login(hq_analyst)
    everything = client.get("/surveys/alerts/").context["page"].paginator.count
    store_b = client.get(f"/surveys/alerts/?unit={network.store_b.pk}")
    assert everything >= 2 and store_b.context["page"].paginator.count == 0
