"""An action's effect, as its verdict reads: store A's advisors changed how they explain
the work and its figure rose beyond what twenty-one comparable North stores did by themselves —
credited. Store B acted after one bad month and simply recovered — not credited, though
measuring from the bad month itself would have credited it."""

from datetime import timedelta

from django.utils import timezone

from manyi.analytics.periods import month_shift
from manyi.improve.action_effect import action_effect, comparable_units, windows
from manyi.improve.effect import effect_of
from manyi.improve.services.actions import action_open
from tests.improve.conftest import LAST, MONTHS, TRIGGER


def test_the_windows_end_before_the_trigger_and_start_after_the_action(plans):
    before, after = windows(plans[0], timezone.localdate())
    assert before[-1] == month_shift(TRIGGER, -1) and len(before) == 6
    assert after == [month_shift(TRIGGER, 1), LAST]


def test_comparable_units_are_the_siblings_without_such_an_action(plans, north, network):
    plan = plans[0]
    siblings, network_wide = comparable_units(plan, (MONTHS[0], LAST))
    assert set(siblings) == set(north)  # B acted too
    assert set(network_wide) == set(north)  # not store C: the programme covers the North only


def test_a_real_improvement_is_credited(plans):
    found = action_effect(plans[0])
    assert found.pending == ""
    assert found.effect.result.estimate > found.effect.verdict.high
    assert found.credited


def test_a_recovery_from_a_bad_month_is_not_credited(plans, csi_version, north, network):
    found = action_effect(plans[1])
    assert found.effect.verdict is not None and not found.credited
    # Measured from the bad month itself, the same recovery would have passed for an effect.
    naive = effect_of(version_id=csi_version.pk, variable="@index",
                      treated=[network.store_b.pk], comparison=[p.pk for p in north],
                      before=[TRIGGER], after=[month_shift(TRIGGER, 1), LAST])  # fmt: skip
    assert naive.verdict.credited and naive.result.estimate > 50


def test_an_open_action_says_when_it_will_be_measured(network, programme, north_manager, north):
    plan = action_open(actor=north_manager, unit=network.store_a, title="Lounge",
                       owner=north_manager, due_on=timezone.localdate() + timedelta(days=9),
                       programme=programme, variable="@index")  # fmt: skip
    found = action_effect(plan)
    assert found.pending == "not_done" and found.effect is None
    assert found.before[-1] == month_shift(timezone.localdate().replace(day=1), -1)


def test_headquarters_reads_the_summary_over_the_api(api_as, hq_analyst, plans, network):
    summary = api_as(hq_analyst).get("/api/v1/improve/actions/summary").json()
    assert summary == {"finished": 2, "on_time": 2, "judged": 2, "moved": 1, "unjudged": 0,
                       "looked_at": 2}  # fmt: skip
    east = api_as(hq_analyst).get(f"/api/v1/improve/actions/summary?unit_id={network.east.pk}")
    assert east.json()["finished"] == 0


def test_amy_reads_her_effect_without_the_names_of_other_stores(client, store_a_manager, plans):
    client.force_login(store_a_manager)
    page = client.get(f"/improve/actions/{plans[0].pk}/").content.decode()
    assert "Moved its figure" in page and "Placebo rank p = 0.05" in page
    assert "Comparable unit 1" in page and "North 3" not in page
