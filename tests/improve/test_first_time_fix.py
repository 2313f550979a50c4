"""First-time fix worked by hand. Store A repaired five times in January: V1 on the 3rd
came back on the 20th (not fixed) and that second repair held; V2 never came back; V3
came back after 45 days (outside the 30-day window: fixed); V4 came back to store B on
the 25th (not fixed — store A's repair did not hold, wherever it was redone). Three of
five. A repair of last week is not counted yet."""

from datetime import date, datetime, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from manyi.customers.models import Asset, Customer, ServiceEvent
from manyi.improve.models import FixPolicy
from manyi.improve.selectors.fixes import decided_months, first_time_fix
from manyi.improve.services.fixes import fix_policy_set

JANUARY = date(2026, 1, 1)
TODAY = date(2026, 6, 15)


def _at(day: date) -> datetime:
    return timezone.make_aware(datetime(day.year, day.month, day.day, 16))


@pytest.fixture
def repairs(network, advisor_a):
    owner = Customer.objects.create(external_id="C-1", unit=network.store_a, name="Li Ming")
    number = 0

    def repair(car: str, day: date, store=network.store_a) -> None:
        nonlocal number
        number += 1
        asset, _new = Asset.objects.get_or_create(external_id=car, customer=owner,
                                                  defaults={"identifier": car})  # fmt: skip
        ServiceEvent.objects.create(
            external_id=f"RO-{number}", kind="repair", unit=store, staff=advisor_a,
            customer=owner, asset=asset, opened_at=_at(day) - timedelta(hours=5),
            closed_at=_at(day),
        )  # fmt: skip

    repair("V1", date(2026, 1, 3))
    repair("V1", date(2026, 1, 20))  # a January repair too, and fixed: V1 came no more
    repair("V2", date(2026, 1, 8))
    repair("V3", date(2026, 1, 10))
    repair("V3", date(2026, 2, 24))  # 45 days on
    repair("V4", date(2026, 1, 12))
    repair("V4", date(2026, 1, 25), store=network.store_b)
    repair("V5", TODAY - timedelta(days=7))  # its window is not over
    return owner


def test_the_rate_is_the_share_not_repaired_again_within_the_window(repairs, hq_analyst, network):
    rows = first_time_fix(hq_analyst, months=[JANUARY], today=TODAY)
    by_store = {row.key: row.months[JANUARY] for row in rows}
    # Store A: V1 (3rd, came back), V1 (20th, held), V2, V3, V4 (came back at B) → 3 of 5.
    assert by_store[network.store_a] == (3, 5)
    assert by_store[network.store_b] == (1, 1)


def test_a_wider_window_counts_the_late_return_too(repairs, hq_analyst, network):
    fix_policy_set(actor=hq_analyst, window_days=60)
    rows = first_time_fix(hq_analyst, months=[JANUARY], today=TODAY)
    assert {row.key: row.months[JANUARY] for row in rows}[network.store_a] == (2, 5)


def test_the_window_not_over_is_not_counted(repairs, hq_analyst):
    june = TODAY.replace(day=1)
    assert first_time_fix(hq_analyst, months=[june], today=TODAY) == []


def test_a_store_sees_its_own_rate_with_the_return_elsewhere_counted(repairs, store_a_manager,
                                                                     network):  # fmt: skip
    rows = first_time_fix(store_a_manager, months=[JANUARY], today=TODAY)
    assert [(row.key, row.months[JANUARY]) for row in rows] == [(network.store_a, (3, 5))]


def test_per_advisor_and_on_screen(client, repairs, hq_analyst, advisor_a, network):
    rows = first_time_fix(hq_analyst, months=[JANUARY], unit=network.store_a, by="staff",
                          today=TODAY)  # fmt: skip
    assert [(row.key, row.total) for row in rows] == [(advisor_a, (3, 5))]
    client.force_login(hq_analyst)
    assert client.get(reverse("improve:first_time_fix")).status_code == 200
    refused = client.post(reverse("improve:fix_policy"), {"window_days": "0"}, follow=True)
    assert FixPolicy.current().window_days == 30
    assert "Ensure this value is greater than or equal to 1" in refused.content.decode()


def test_the_api_gives_the_rates_and_refuses_a_silly_period(api_as, repairs, hq_analyst,
                                                             network):  # fmt: skip
    client = api_as(hq_analyst)
    answer = client.get("/api/v1/improve/first-time-fix?months=24")
    assert answer.status_code == 200 and answer.json()["window_days"] == 30
    stores = {row["unit_id"]: (row["fixed"], row["decided"]) for row in answer.json()["rows"]}
    # By today all of store A's seven repairs are decided: January's three of five, and
    # V3's return in February and V5's in June, both held.
    assert stores[network.store_a.pk] == (5, 7)
    assert client.get("/api/v1/improve/first-time-fix?months=99").status_code in (400, 422)


def test_a_departments_repairs_count_with_its_store(repairs, hq_analyst, network):
    asset = repairs.assets.get(external_id="V2")
    ServiceEvent.objects.create(
        external_id="RO-DEPT", kind="repair", unit=network.service_a, customer=repairs,
        asset=asset, opened_at=_at(date(2026, 1, 28)), closed_at=_at(date(2026, 1, 28)),
    )  # fmt: skip
    rows = first_time_fix(hq_analyst, months=[JANUARY], today=TODAY)
    # V2 of the 8th now came back on the 28th (at the store's service department).
    assert {row.key: row.months[JANUARY] for row in rows}[network.store_a] == (3, 6)


def test_only_months_whose_windows_are_over_are_shown():
    assert decided_months(3, window=30, today=date(2026, 6, 15)) == [
        date(2026, 2, 1),
        date(2026, 3, 1),
        date(2026, 4, 1),
    ]  # May ends on the 31st: its last repairs' windows run to 30 June


def test_another_store_is_not_shown_to_a_store_manager(client, api_as, repairs, store_a_manager,
                                                       network):  # fmt: skip
    client.force_login(store_a_manager)
    url = reverse("improve:first_time_fix")
    assert client.get(url, {"unit": network.store_b.pk}).status_code == 404
    answer = api_as(store_a_manager).get(
        f"/api/v1/improve/first-time-fix?unit_id={network.store_b.pk}"
    )
    assert answer.status_code == 404


def test_the_home_card_shows_the_last_month_that_can_tell(network, advisor_a, hq_analyst,
                                                          store_a_manager):  # fmt: skip
    from manyi.improve.home import first_time_fix_card

    (month,) = decided_months(1, window=30, today=timezone.localdate())
    owner = Customer.objects.create(external_id="C-9", unit=network.store_a, name="Li Ming")
    for number, (car, day, store) in enumerate([
        ("V1", 3, network.store_a), ("V1", 10, network.store_a), ("V2", 5, network.store_b),
    ]):  # fmt: skip
        asset, _new = Asset.objects.get_or_create(external_id=car, customer=owner)
        ServiceEvent.objects.create(
            external_id=f"RO-H{number}", kind="repair", unit=store, customer=owner,
            asset=asset, opened_at=_at(month.replace(day=day)),
            closed_at=_at(month.replace(day=day)),
        )  # fmt: skip
    card = first_time_fix_card(hq_analyst)
    # Store A: V1 came back a week later, its second repair held (1 of 2); store B 1 of 1.
    assert (card["month"], card["repairs"], round(card["rate"], 3)) == (month, 3, 0.667)
    assert [row.key for row in card["lowest"]] == [network.store_a, network.store_b]
    mine = first_time_fix_card(store_a_manager)
    assert mine["repairs"] == 2 and mine["lowest"] == []


def test_each_advisor_stands_beside_their_own_customers_answer(programme, network, advisor_a,
                                                               hq_analyst):  # fmt: skip
    from manyi.improve.selectors.fixes import survey_item_beside
    from manyi.surveys.services.responses import create_scored
    from tests.surveys.fixtures import GOOD_ANSWERS

    fix_policy_set(actor=hq_analyst, window_days=30, survey_item="SQ2")
    (month,) = decided_months(1, window=30, today=timezone.localdate())
    for value in (10, 4):  # Alan's two customers; the store's third customer had nobody
        create_scored(version_id=programme.version_id, answers={**GOOD_ANSWERS, "SQ2": value},
                      unit_id=network.service_a.pk, channel="import", staff_id=advisor_a.pk,
                      submitted_at=_at(month.replace(day=5)))  # fmt: skip
    create_scored(version_id=programme.version_id, answers={**GOOD_ANSWERS, "SQ2": 1},
                  unit_id=network.store_a.pk, channel="import",
                  submitted_at=_at(month.replace(day=6)))  # fmt: skip
    _words, by_store = survey_item_beside([network.store_a.pk], [month], "en")
    _words, by_advisor = survey_item_beside([advisor_a.pk], [month], "en",
                                            advisors_of=network.store_a.pk)  # fmt: skip
    # The store's mean is of all three, Alan's of his two; the third answered the bottom
    # of the scale (0 of 1,000), so three store means less two of Alan's leaves 0.
    third = by_store[network.store_a.pk] * 3 - by_advisor[advisor_a.pk] * 2
    assert third == pytest.approx(0.0) and by_advisor[advisor_a.pk] > by_store[network.store_a.pk]
