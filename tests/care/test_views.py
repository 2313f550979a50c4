"""The care screens: the callback list, the call screen that opens a case, the board
and the rules — for the people each is for."""

from datetime import timedelta

import pytest
from django.utils import timezone

from manyi.care.models import Callback, CareRule
from manyi.care.services import callbacks_schedule, care_rule_save
from manyi.cases.models import Case


@pytest.fixture
def due_callback(hq_analyst, closed_event):
    rule = care_rule_save(
        actor=hq_analyst,
        code="three-day",
        name="Three-day callback",
        event_kinds=["repair"],
        delay_business_days=0,
    )
    CareRule.objects.filter(pk=rule.pk).update(created_at=timezone.now() - timedelta(days=9))
    closed_event("RO-V1", days_ago=1)
    callbacks_schedule()
    return Callback.objects.get()


def test_hui_works_her_callback_list_and_an_issue_opens_a_case(client, hui, due_callback):
    client.force_login(hui)
    listing = client.get("/care/callbacks/")
    assert f"/care/callbacks/{due_callback.pk}/" in listing.text
    screen = client.get(f"/care/callbacks/{due_callback.pk}/")
    assert screen.status_code == 200 and "RO-V1" in screen.text
    assert screen.context["phones"]  # the number to dial, revealed and logged
    answer = client.post(
        f"/care/callbacks/{due_callback.pk}/",
        {"outcome": "issue", "note": "Still a rattle at the back."},
    )
    assert answer.status_code == 302
    case = Case.objects.get()
    assert case.channel == "callback" and case.description == "Still a rattle at the back."
    assert Callback.objects.get().case == case


def test_an_issue_without_words_is_refused_on_the_screen(client, hui, due_callback):
    client.force_login(hui)
    page = client.post(f"/care/callbacks/{due_callback.pk}/", {"outcome": "issue"})
    assert page.status_code == 200 and "becomes the case" in page.text
    assert not Case.objects.exists()


def test_store_b_does_not_reach_store_as_callback(client, store_b_manager, due_callback):
    client.force_login(store_b_manager)
    assert client.get(f"/care/callbacks/{due_callback.pk}/").status_code == 404
    assert f"/care/callbacks/{due_callback.pk}/" not in client.get("/care/callbacks/").text


def test_the_board_and_rules_for_hq_and_a_store(client, hq_analyst, store_a_manager, due_callback):
    client.force_login(hq_analyst)
    board = client.get("/care/board/")
    assert [row.label for row in board.context["stores"]] == ["Store A"]
    assert "Three-day callback" in client.get("/care/rules/").text
    client.force_login(store_a_manager)
    assert client.get("/care/rules/").status_code == 200
    assert client.get("/care/rules/new/").status_code == 403
    assert client.get("/care/board/?since=not-a-date").status_code == 400


def test_hq_sets_a_rule_on_screen(client, hq_analyst, network):
    client.force_login(hq_analyst)
    answer = client.post(
        "/care/rules/new/",
        {
            "code": "vip-two-day",
            "name": "VIP two-day callback",
            "kind": "callback",
            "days_before": 0,
            "event_kinds": ["maintenance", "repair"],
            "delay_business_days": 0,
            "within_days": 2,
            "max_attempts": 5,
            "retry_hours": 2,
            "units": [network.north.pk],
            "tiers": ["super_heavyweight"],
            "is_active": "on",
        },
    )
    assert answer.status_code == 302, answer.context["form"].errors if answer.context else ""
    rule = CareRule.objects.get(code="vip-two-day")
    assert list(rule.units.all()) == [network.north] and rule.tiers == ["super_heavyweight"]
    festival = {"code": "spring", "name": "春节问候", "kind": "festival", "days_before": 1}
    refused = client.post("/care/rules/new/", festival)
    assert refused.status_code == 200 and "Choose the festival." in refused.text
    client.post("/care/rules/new/", {**festival, "festival": "spring"})
    assert "Spring Festival, 1 days before" in client.get("/care/rules/").text


def test_the_callback_shows_on_the_customer_card_and_home(client, hui, customer_a, due_callback):
    client.force_login(hui)
    card = client.get(f"/customers/{customer_a.pk}/")
    assert 'data-entry="callback"' in card.text
    home = client.get("/")
    assert 'data-testid="card-callbacks"' in home.text


def test_hq_sets_the_quiet_hours_and_the_monthly_cap(client, hq_analyst, store_a_manager):
    from manyi.customers.models import ContactPolicy

    client.force_login(hq_analyst)
    client.post(
        "/care/contact-policy/",
        {"quiet_from": "22:00", "quiet_until": "07:30", "marketing_per_month": 2},
    )
    policy = ContactPolicy.current()
    assert (str(policy.quiet_from), str(policy.quiet_until), policy.marketing_per_month) == (
        "22:00:00",
        "07:30:00",
        2,
    )
    assert "No messages from 22:00 to 07:30" in client.get("/care/rules/").text
    client.force_login(store_a_manager)
    assert client.get("/care/contact-policy/").status_code == 403


def test_a_store_records_a_customers_yes_to_marketing(client, store_a_manager, customer_a):
    phone = customer_a.contacts.get(channel="phone")
    client.force_login(store_a_manager)
    client.post(f"/customers/{customer_a.pk}/contacts/{phone.pk}/marketing/", {"consent": "1"})
    phone.refresh_from_db()
    assert phone.marketing_consent
    assert 'data-testid="marketing-yes"' in client.get(f"/customers/{customer_a.pk}/").text
