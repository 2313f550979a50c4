"""The scorecards on screen and over the API, as a store manager, an advisor and HQ
use them."""

import io

import pytest
from openpyxl import load_workbook

from manyi.people.models import Scorecard, ScorecardTemplate
from manyi.people.services.scorecards import scorecards_compute


@pytest.fixture
def computed(last_month):
    scorecards_compute(period=last_month)
    return last_month


def test_a_store_manager_sees_last_months_advisors_with_their_intervals(
    client, store_b_manager, computed, advisors
):
    client.force_login(store_b_manager)
    page = client.get("/people/scorecards/").content.decode()
    assert "Cai_Advisor" in page and "Dan_Advisor" in page and "Alan_Advisor" not in page
    assert 'class="interval"' in page and "not ranked: too few answers" in page


def test_an_advisor_is_taken_to_their_own_card(client, advisor_a, computed):
    client.force_login(advisor_a)
    response = client.get("/people/scorecards/", follow=True)
    assert response.redirect_chain and "Praise cases" in response.content.decode()
    card = Scorecard.objects.get(period=computed, staff=advisor_a)
    assert response.redirect_chain[-1][0] == f"/people/scorecards/{card.pk}/"


def test_an_advisor_cannot_open_a_colleagues_card(client, advisor_a, computed, advisors):
    other = Scorecard.objects.get(period=computed, staff=advisors[1])
    client.force_login(advisor_a)
    assert client.get(f"/people/scorecards/{other.pk}/").status_code == 404


def test_a_unit_outside_ones_part_is_not_found_and_a_bad_period_is_refused(
    client, network, store_b_manager, computed
):
    client.force_login(store_b_manager)
    assert client.get(f"/people/scorecards/?unit={network.store_a.pk}").status_code == 404
    assert client.get("/people/scorecards/?period=abc").status_code == 400
    assert client.get("/people/scorecards/?period=99999999").status_code == 404


def test_hq_closes_the_period_and_the_payroll_spreadsheet_has_every_card(
    client, hq_analyst, computed
):
    client.force_login(hq_analyst)
    client.post(f"/people/scorecards/periods/{computed.pk}/close/")
    computed.refresh_from_db()
    assert computed.is_closed
    response = client.get(f"/people/scorecards/periods/{computed.pk}/export.xlsx")
    book = load_workbook(io.BytesIO(response.content))
    cards = list(book["Cards"].iter_rows(values_only=True))
    assert len(cards) - 1 == Scorecard.objects.filter(period=computed).count()
    assert "Praise cases points" in cards[0]


def test_a_store_manager_may_neither_close_nor_set_the_cards(client, store_a_manager, computed):
    client.force_login(store_a_manager)
    assert client.post(f"/people/scorecards/periods/{computed.pk}/close/").status_code == 403
    assert client.get("/people/scorecards/settings/").status_code == 403


def test_hq_sets_a_handlers_card_from_the_form(client, hq_analyst, programme, cards_set):
    client.force_login(hq_analyst)
    response = client.post("/people/scorecards/settings/new/", {
        "name": "Handler", "subject": "staff", "role": "case_handler",
        "deadlines_kept_on": "on", "deadlines_kept_weight": "70",
        "deadlines_kept_floor": "70", "deadlines_kept_target": "98",
        "deadlines_kept_min_n": "5",
        "praise_on": "on", "praise_weight": "30", "praise_floor": "0",
        "praise_target": "3", "praise_min_n": "0",
    })  # fmt: skip
    assert response.status_code == 302
    card = ScorecardTemplate.objects.get(name="Handler")
    kept = card.measures.get(kind="deadlines_kept")
    assert (kept.floor, kept.target) == (0.7, 0.98)  # typed as percentages


def test_a_measure_ticked_without_its_figures_is_refused(client, hq_analyst, cards_set):
    client.force_login(hq_analyst)
    response = client.post("/people/scorecards/settings/new/", {
        "name": "Handler", "subject": "staff", "role": "case_handler", "praise_on": "on",
    }, follow=True)  # fmt: skip
    assert "Needed for a measure on the card" in response.content.decode()
    assert not ScorecardTemplate.objects.filter(name="Handler").exists()


def test_the_api_gives_a_store_manager_their_stores_cards(
    api_as, network, store_b_manager, computed, advisors
):
    cards = api_as(store_b_manager).get(f"/api/v1/people/periods/{computed.pk}/cards").json()
    assert {card["unit"] for card in cards["items"]} == {network.store_b.pk}
    dan = next(card for card in cards["items"] if card["staff"] == advisors[3].pk)
    lines = {line["kind"]: line for line in dan["lines"]}
    assert lines["csi"]["low"] < lines["csi"]["value"] < lines["csi"]["high"]


def test_the_api_answers_404_for_another_stores_card(api_as, store_b_manager, computed, advisors):
    other = Scorecard.objects.get(period=computed, staff=advisors[0])
    client = api_as(store_b_manager)
    assert client.get(f"/api/v1/people/cards/{other.pk}").status_code == 404
    assert client.get(f"/api/v1/people/periods/{computed.pk}/cards?version=7").status_code == 404
