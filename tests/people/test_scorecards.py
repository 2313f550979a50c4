"""Last month's scorecards: fair to small samples, traced to their facts, scoped to
who may read them, and locked once a period is closed."""

from datetime import timedelta

import pytest
from django.utils import timezone

from manyi.analytics.services import rollups_fold
from manyi.org.models import Role
from manyi.people.models import Scorecard
from manyi.people.selectors.scorecards import cards_of
from manyi.people.services.scorecards import (
    MeasureRule,
    ScorecardError,
    period_close,
    period_reissue,
    scorecards_compute,
    template_save,
)
from manyi.surveys.services.responses import create_scored
from tests.analytics.report_fixtures import last_month_start
from tests.people.scorecard_fixtures import ADVISOR_CARD
from tests.surveys.fixtures import GOOD_ANSWERS


def _card(period, staff, version=None):
    return Scorecard.objects.get(period=period, staff=staff, version=version or period.version)


def _line(card, kind):
    return card.lines.get(kind=kind)


def test_an_advisors_index_is_shrunk_toward_the_store_within_its_interval(last_month, advisors):
    alan, bo, _cai, _dan = advisors
    scorecards_compute(period=last_month)
    csi = _line(_card(last_month, alan), "csi")
    assert csi.n == 40 and csi.low < csi.value < csi.high
    store_a = [_line(_card(last_month, member), "csi") for member in (alan, bo)]
    assert min(line.raw for line in store_a) < csi.value < csi.raw  # pulled toward store A


def test_three_perfect_answers_are_shown_but_never_ranked(last_month, advisors):
    alan, bo, cai, dan = advisors
    scorecards_compute(period=last_month)
    thin = _card(last_month, cai)
    assert _line(thin, "csi").raw == 1000 and _line(thin, "csi").n == 3
    assert thin.rank is None and thin.score is not None
    ranked = [_card(last_month, member) for member in (alan, bo, dan)]
    assert sorted(card.rank for card in ranked) == [1, 2, 3]
    assert _card(last_month, alan).rank == 1


def test_the_chances_of_the_top_fifth_share_its_places(last_month, five_ranked):
    scorecards_compute(period=last_month)
    ranked = [
        _card(last_month, member) for member in five_ranked if member.username != "cai_advisor"
    ]
    assert sum(card.top_chance for card in ranked) == pytest.approx(1.0)  # ⌈5/5⌉ place
    assert max(ranked, key=lambda card: card.top_chance).rank == 1


def test_points_follow_the_rule_and_name_the_weight_used(last_month, advisors):
    alan, bo, _cai, _dan = advisors
    scorecards_compute(period=last_month)
    praise = _line(_card(last_month, alan), "praise")
    assert (praise.value, praise.points, praise.met) == (1, 50, False)  # half way to 2
    missed = _line(_card(last_month, bo), "deadlines_missed")
    assert missed.value == 1 and missed.points == pytest.approx(200 / 3)
    card = _card(last_month, bo)
    weighted = sum(line.points * line.weight_used for line in card.lines.all())
    assert card.score == pytest.approx(weighted) and not card.reweighted


def test_a_measure_without_data_reweights_the_others_and_the_card_says_so(
    network, last_month, advisors
):
    scorecards_compute(period=last_month)
    store = Scorecard.objects.get(period=last_month, unit=network.store_a, staff=None)
    callbacks, csi = _line(store, "callbacks"), _line(store, "csi")
    assert callbacks.points is None and callbacks.weight_used == 0
    assert csi.weight_used == 1.0 and store.reweighted
    assert store.score == pytest.approx(csi.points)


def test_an_advisor_sees_only_their_own_card(last_month, advisors, advisor_a):
    scorecards_compute(period=last_month)
    assert [card.staff for card in cards_of(advisor_a, last_month)] == [advisor_a]


def test_a_store_manager_sees_their_staff_and_store_but_not_the_other_store(
    network, last_month, advisors, store_b_manager
):
    _alan, _bo, cai, dan = advisors
    scorecards_compute(period=last_month)
    seen = list(cards_of(store_b_manager, last_month))
    assert {card.staff for card in seen if card.staff} == {cai, dan}
    assert {card.unit for card in seen if card.staff is None} == {network.store_b}


def test_a_closed_period_is_not_changed_by_later_data_and_a_reissue_keeps_both(
    csi_version, network, hq_analyst, last_month, advisors
):
    alan, *_rest = advisors
    scorecards_compute(period=last_month)
    before = _line(_card(last_month, alan), "csi").raw
    period_close(actor=hq_analyst, period=last_month)
    for _ in range(20):  # late answers imported for last month
        create_scored(version_id=csi_version.pk, answers={**GOOD_ANSWERS, "OVERALL": 2, "SQ1": 1},
                      unit_id=network.store_a.pk, channel="import",
                      submitted_at=last_month_start() + timedelta(days=5),
                      staff_id=alan.pk)  # fmt: skip
    rollups_fold(limit=1000)
    assert scorecards_compute(period=last_month) == 0
    assert _line(_card(last_month, alan), "csi").raw == before
    period_reissue(actor=hq_analyst, period=last_month, reason="Late import of the DMS file")
    last_month.refresh_from_db()
    assert last_month.version == 2
    assert _line(_card(last_month, alan, version=1), "csi").raw == before
    assert _line(_card(last_month, alan, version=2), "csi").raw < before
    assert last_month.versions.get().reason == "Late import of the DMS file"


def test_a_reissue_needs_a_reason_and_a_closed_period(hq_analyst, last_month, advisors):
    scorecards_compute(period=last_month)
    with pytest.raises(ScorecardError):
        period_reissue(actor=hq_analyst, period=last_month, reason="too soon")
    period_close(actor=hq_analyst, period=last_month)
    with pytest.raises(ScorecardError):
        period_reissue(actor=hq_analyst, period=last_month, reason="  ")


def test_a_running_period_cannot_be_closed(hq_analyst, advisors):
    from manyi.people.services.scorecards import periods_ensure

    running = periods_ensure(timezone.localdate())[1]
    scorecards_compute(period=running)
    with pytest.raises(ScorecardError, match="ended"):
        period_close(actor=hq_analyst, period=running)


def test_only_headquarters_sets_cards(store_a_manager, programme):
    with pytest.raises(ScorecardError):
        template_save(actor=store_a_manager, name="Mine", subject="staff",
                      applies_to=Role.ADVISOR, programme=programme, rules=ADVISOR_CARD)  # fmt: skip


@pytest.mark.parametrize(
    ("rules", "message"),
    [
        ([MeasureRule("inspections", 50, 60, 95, 1)], "not measured per person"),
        ([MeasureRule("csi", 0, 700, 900, 10)], "weight"),
        ([MeasureRule("csi", 50, 800, 800, 10)], "target apart"),
        ([MeasureRule("csi", 50, 700, 900, 10)] * 2, "once"),
        ([], "from 1 to"),
    ],
)
def test_a_card_with_a_wrong_rule_is_refused_with_its_reason(hq_analyst, programme, rules,
                                                              message):  # fmt: skip
    with pytest.raises(ScorecardError, match=message):
        template_save(actor=hq_analyst, name="Advisor", subject="staff",
                      applies_to=Role.ADVISOR, programme=programme, rules=rules)  # fmt: skip


def test_a_role_has_one_card_in_use(hq_analyst, programme, cards_set):
    with pytest.raises(ScorecardError, match="already"):
        template_save(actor=hq_analyst, name="Advisor 2", subject="staff",
                      applies_to=Role.ADVISOR, programme=programme, rules=ADVISOR_CARD)  # fmt: skip


def test_a_figure_from_too_few_answers_is_shown_but_not_scored(
    hq_analyst, programme, last_month, advisors, cards_set
):
    advisor_card, _store = cards_set
    template_save(actor=hq_analyst, template=advisor_card, name="Advisor", subject="staff",
                  applies_to=Role.ADVISOR, programme=programme,
                  rules=[*ADVISOR_CARD, MeasureRule("nps", 20, 0, 60, 10)])  # fmt: skip
    scorecards_compute(period=last_month)
    thin = _card(last_month, advisors[2])  # Cai: three answers
    nps, csi = _line(thin, "nps"), _line(thin, "csi")
    assert nps.value == 100 and nps.points is None and nps.weight_used == 0 and not nps.met
    assert csi.points is not None and thin.reweighted  # shrunk: fair at any n
    full = _line(_card(last_month, advisors[0]), "nps")
    assert full.points is not None and full.weight_used > 0


def test_a_positions_own_card_takes_them_off_the_roles_card(
    hq_analyst, programme, network, last_month, advisors
):
    from tests.conftest import _person

    tech = _person("tao_technician", network.store_a, Role.ADVISOR, position="technician")
    template_save(actor=hq_analyst, name="Technician", subject="staff", applies_to=Role.ADVISOR,
                  position="technician", programme=programme,
                  rules=[MeasureRule("first_time_fix", 100, 0.8, 0.97, 10)])  # fmt: skip
    scorecards_compute(period=last_month)
    assert _card(last_month, tech).template.name == "Technician"
    assert _card(last_month, advisors[0]).template.name == "Advisor"


def test_an_advisor_alone_in_a_store_is_not_shrunk_nor_scored_under_the_minimum(
    network, csi_version, last_month, advisors
):
    from tests.conftest import _person

    lone = _person("lu_advisor", network.store_c, Role.ADVISOR)
    for _ in range(3):
        create_scored(version_id=csi_version.pk, answers={**GOOD_ANSWERS, "OVERALL": 10},
                      unit_id=network.store_c.pk, channel="import",
                      submitted_at=last_month_start() + timedelta(days=2),
                      staff_id=lone.pk)  # fmt: skip
    rollups_fold(limit=1000)
    scorecards_compute(period=last_month)
    csi = _line(_card(last_month, lone), "csi")
    assert csi.value == pytest.approx(csi.raw) and csi.points is None
    assert 0 <= csi.low < csi.value < csi.high <= 1000
