"""An action's effect, as its verdict reads: store A's advisors changed how they explain
the work and its figure rose beyond what five comparable North stores did by themselves —
credited. Store B acted after one bad month and simply recovered — not credited, though
measuring from the bad month itself would have credited it."""

from datetime import date, datetime, timedelta

import numpy as np
import pytest
from django.utils import timezone

from manyi.analytics.services import rollups_fold
from manyi.improve.action_effect import action_effect, comparable_units, month_add, windows
from manyi.improve.actions import action_close, action_open
from manyi.improve.effect import effect_of
from manyi.org.services import unit_create
from manyi.surveys.services.responses import create_scored
from tests.analytics.report_fixtures import CSI_ITEMS
from tests.surveys.fixtures import GOOD_ANSWERS

LAST = month_add(timezone.localdate().replace(day=1), -1)  # the last whole month
TRIGGER = month_add(LAST, -2)
MONTHS = [month_add(TRIGGER, k) for k in (-2, -1, 0, 1, 2)]


def _moment(month: date, day: int) -> datetime:
    return timezone.make_aware(datetime(month.year, month.month, day, 11))


@pytest.fixture
def north(network, csi_version):
    """Seven North stores, twenty answers a store a month; A lifts after its action, B dips
    in the trigger month only, every store-month has a shock of its own."""
    peers = [
        unit_create(actor=None, code=f"S-N{k}", name=f"North {k}", level="store",
                    kind="dealer", parent=network.north)
        for k in range(1, 6)
    ]  # fmt: skip
    stores = [network.store_a, network.store_b, *peers]
    rng = np.random.default_rng(2026)
    for store in stores:
        for month in MONTHS:
            shift = rng.normal(scale=0.12)
            if store == network.store_a and month > TRIGGER:
                shift += 1.2
            if store == network.store_b and month == TRIGGER:
                shift -= 1.5
            for k in range(20):
                answers = {code: int(np.clip(round(7.6 + shift + rng.normal(scale=0.8)), 1, 10))
                           for code in CSI_ITEMS}  # fmt: skip
                create_scored(version_id=csi_version.pk, answers={**GOOD_ANSWERS, **answers},
                              unit_id=store.pk, channel="import",
                              submitted_at=_moment(month, 3 + k))  # fmt: skip
    rollups_fold(limit=100_000)
    return peers


def _acted(store, manager, programme):
    plan = action_open(
        actor=manager, unit=store, title="Explain the work before starting", owner=manager,
        due_on=TRIGGER + timedelta(days=25), programme=programme, variable="@index",
        expected_change=30, trigger_month=TRIGGER, now=_moment(TRIGGER, 5),
    )  # fmt: skip
    return action_close(actor=manager, plan=plan, status="done", now=_moment(TRIGGER, 20))


@pytest.fixture
def plans(north, network, programme, north_manager):
    return (_acted(network.store_a, north_manager, programme),
            _acted(network.store_b, north_manager, programme))  # fmt: skip


def test_the_windows_end_before_the_trigger_and_start_after_the_action(plans):
    before, after = windows(plans[0], timezone.localdate())
    assert before[-1] == month_add(TRIGGER, -1) and len(before) == 6
    assert after == [month_add(TRIGGER, 1), LAST]


def test_comparable_units_are_the_siblings_without_such_an_action(plans, north, network):
    plan = plans[0]
    assert set(comparable_units(plan, (MONTHS[0], LAST))) == set(north)  # B acted too


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
                      before=[TRIGGER], after=[month_add(TRIGGER, 1), LAST])  # fmt: skip
    assert naive.verdict.credited and naive.result.estimate > 50


def test_an_open_action_says_when_it_will_be_measured(network, programme, north_manager, north):
    plan = action_open(actor=north_manager, unit=network.store_a, title="Lounge",
                       owner=north_manager, due_on=timezone.localdate() + timedelta(days=9),
                       programme=programme, variable="@index")  # fmt: skip
    found = action_effect(plan)
    assert found.pending == "not_done" and found.effect is None
    assert found.before[-1] == month_add(timezone.localdate().replace(day=1), -1)
