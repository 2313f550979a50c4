"""Points and awards for last month: each entry names its fact, caps hold, a closed
period's points stay as they were, each person sees their own; awards come from ranked
cards of an ended period and are given once it is closed."""

import uuid
from datetime import timedelta

import pytest
from django.utils import timezone

from manyi.cases.models import Case
from manyi.cases.services import case_open
from manyi.improve.models import Inspection
from manyi.improve.services.inspections import Given, inspection_record, inspections_schedule
from manyi.people.models import NominationStatus, PointEntry, PointRule, Scorecard
from manyi.people.services.awards import AwardError, nomination_decide, nomination_make
from manyi.people.services.points import point_rule_set
from manyi.people.services.scorecards import (
    period_close,
    period_reissue,
    scorecards_compute,
)
from tests.analytics.report_fixtures import last_month_start


def _entries(period, staff, kind):
    return list(PointEntry.objects.filter(period=period, version=period.version, staff=staff,
                                          kind=kind))  # fmt: skip


def test_praise_and_an_overdue_deadline_name_their_cases(last_month, advisors):
    alan, bo, *_rest = advisors
    scorecards_compute(period=last_month)
    (praise,) = _entries(last_month, alan, "praise")
    assert (
        praise.points == 5
        and praise.case.kind == "praise"
        and praise.fact == f"case:{praise.case_id}"
    )
    (late,) = _entries(last_month, bo, "first_response_late")
    assert late.points == -3 and late.case.owner == bo


def test_the_card_gives_points_for_a_target_met_and_a_top_fifth_place(
    network, hui, last_month, five_ranked
):
    alan, *_rest = five_ranked
    case_open(actor=hui, kind="praise", unit=network.store_a, subject="Thanks again",
              channel="phone", staff=alan,
              opened_at=last_month_start() + timedelta(days=6))  # fmt: skip
    scorecards_compute(period=last_month)
    (top,) = _entries(last_month, alan, "top_fifth")  # rank 1 of 5: ⌈5/5⌉ = 1 place
    assert top.card.rank == 1 and top.points == 10
    met = _entries(last_month, alan, "target_met")
    assert met and all(entry.line.met and entry.line.card == top.card for entry in met)


def test_a_repeat_complaint_counts_against_whoever_closed_the_first(
    network, hui, last_month, advisors, customer_a
):
    when = last_month_start() + timedelta(days=2)
    first = case_open(actor=hui, kind="complaint", unit=network.store_a, subject="Noise",
                      channel="phone", customer=customer_a, owner=hui,
                      opened_at=when)  # fmt: skip
    Case.objects.filter(pk=first.pk).update(status="closed", closed_at=when + timedelta(hours=2))
    again = case_open(actor=hui, kind="complaint", unit=network.store_a, subject="Noise again",
                      channel="phone", customer=customer_a,
                      opened_at=when + timedelta(days=3))  # fmt: skip
    assert again.repeat_of == first
    scorecards_compute(period=last_month)
    (entry,) = _entries(last_month, hui, "repeat_complaint")
    assert entry.case == again and entry.points == -5


def test_a_failed_standard_counts_against_the_stores_manager(
    network, hq_analyst, store_a_manager, checklist, reception, last_month, advisors
):
    check = inspections_schedule(actor=hq_analyst, checklist=checklist, units=[network.store_a],
                                 planned_for=timezone.localdate())[0]  # fmt: skip
    covers, lounge, drinks = reception
    inspection_record(actor=store_a_manager, inspection=check, submission_key=uuid.uuid4(),
                      answers={covers.pk: Given("no"), lounge.pk: Given("4"),
                               drinks.pk: Given("yes")})  # fmt: skip
    Inspection.objects.filter(pk=check.pk).update(planned_for=last_month.start)
    scorecards_compute(period=last_month)
    (entry,) = _entries(last_month, store_a_manager, "failed_standard")
    assert entry.answer.standard == covers and entry.points == -2


def test_past_the_cap_an_entry_keeps_its_place_without_points(
    network, hq_analyst, hui, last_month, advisors
):
    alan, *_rest = advisors
    point_rule_set(actor=hq_analyst, kind="praise", points=5, cap=7, is_active=True)
    for day in (4, 5):
        case_open(actor=hui, kind="praise", unit=network.store_a, subject="Thanks again",
                  channel="phone", staff=alan,
                  opened_at=last_month_start() + timedelta(days=day))  # fmt: skip
    scorecards_compute(period=last_month)
    points = [(e.points, e.capped) for e in _entries(last_month, alan, "praise")]
    assert points == [(5, False), (2, True), (0, True)]


def test_a_closed_months_points_stay_as_they_were(network, hq_analyst, hui, last_month, advisors):
    alan, *_rest = advisors
    scorecards_compute(period=last_month)
    period_close(actor=hq_analyst, period=last_month)
    case_open(actor=hui, kind="praise", unit=network.store_a, subject="Late thanks",
              channel="phone", staff=alan,
              opened_at=last_month_start() + timedelta(days=9))  # fmt: skip
    scorecards_compute(period=last_month)
    assert len(_entries(last_month, alan, "praise")) == 1


def test_each_person_sees_their_own_points_and_a_manager_their_part(
    client, advisor_a, store_b_manager, last_month, advisors
):
    alan, bo, _cai, _dan = advisors
    scorecards_compute(period=last_month)
    client.force_login(advisor_a)
    page = client.get("/people/points/").content.decode()
    assert "Praise case" in page and "First response overdue" not in page  # Bo's
    assert client.get(f"/people/points/?staff={bo.pk}").status_code == 404
    client.force_login(store_b_manager)
    assert client.get(f"/people/points/?staff={alan.pk}").status_code == 404


def test_a_rule_outside_its_bounds_is_refused(client, hq_analyst):
    client.force_login(hq_analyst)
    client.post("/people/points/rules/", {"kind": "praise", "points": "500", "cap": ""})
    assert not PointRule.objects.filter(kind="praise", points=500).exists()


def test_an_award_goes_to_a_ranked_card_of_a_closed_period(
    hq_analyst, store_a_manager, store_b_manager, last_month, advisors
):
    alan, _bo, cai, _dan = advisors
    scorecards_compute(period=last_month)
    card = Scorecard.objects.get(period=last_month, staff=alan)
    with pytest.raises(AwardError, match="closed"):
        nomination_make(actor=store_a_manager, card=card)
    period_close(actor=hq_analyst, period=last_month)
    card = Scorecard.objects.get(period=last_month, staff=alan)  # computed once more
    with pytest.raises(AwardError, match="too few"):
        nomination_make(actor=store_b_manager,
                        card=Scorecard.objects.get(period=last_month, staff=cai))  # fmt: skip
    nomination = nomination_make(actor=store_a_manager, card=card, reason="Best month yet")
    with pytest.raises(AwardError, match="already"):
        nomination_make(actor=store_a_manager, card=card)
    with pytest.raises(AwardError):
        nomination_decide(actor=store_a_manager, nomination=nomination, award=True)
    nomination_decide(actor=hq_analyst, nomination=nomination, award=True)
    nomination.refresh_from_db()
    assert nomination.status == NominationStatus.AWARDED and nomination.decided_by == hq_analyst


def test_a_store_manager_may_not_put_forward_another_stores_card_nor_her_own(
    hq_analyst, store_a_manager, store_b_manager, last_month, advisors
):
    scorecards_compute(period=last_month)
    period_close(actor=hq_analyst, period=last_month)
    card = Scorecard.objects.get(period=last_month, staff=advisors[0])
    with pytest.raises(AwardError):
        nomination_make(actor=store_b_manager, card=card)


def test_an_award_of_a_card_issued_again_since_is_refused(
    hq_analyst, store_a_manager, last_month, advisors
):
    scorecards_compute(period=last_month)
    period_close(actor=hq_analyst, period=last_month)
    card = Scorecard.objects.get(period=last_month, staff=advisors[0])
    nomination = nomination_make(actor=store_a_manager, card=card)
    period_reissue(actor=hq_analyst, period=last_month, reason="Late import")
    with pytest.raises(AwardError, match="issued again"):
        nomination_decide(actor=hq_analyst, nomination=nomination, award=True)
    new_card = Scorecard.objects.get(period=last_month, staff=advisors[0], version=2)
    with pytest.raises(AwardError, match="already"):
        nomination_make(actor=store_a_manager, card=new_card)


def test_no_top_fifth_among_fewer_than_five_ranked(last_month, advisors):
    scorecards_compute(period=last_month)
    assert not PointEntry.objects.filter(kind="top_fifth").exists()
    assert all(card.top_chance is None for card in Scorecard.objects.filter(period=last_month))


def test_the_shortlist_page_offers_the_top_fifth(client, hq_analyst, last_month, five_ranked):
    scorecards_compute(period=last_month)
    client.force_login(hq_analyst)
    page = client.get(f"/people/awards/?period={last_month.pk}").content.decode()
    assert "Alan_Advisor" in page and 'data-testid="nominate"' in page
    assert "Bo_Advisor" not in page.split('data-testid="shortlist-staff"')[1].split("</table>")[0]
