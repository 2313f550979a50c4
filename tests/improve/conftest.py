"""The improvement stories' fixtures: a published CSI programme, two months of answers,
and seven North stores over five months, two of which acted."""

from datetime import date, datetime, timedelta

import numpy as np
import pytest
from django.utils import timezone

from manyi.analytics.periods import month_shift
from manyi.analytics.services import rollups_fold
from manyi.improve.services.actions import action_close, action_open
from manyi.org.services import unit_create
from manyi.surveys.services.responses import create_scored
from tests.analytics.report_fixtures import CSI_ITEMS
from tests.surveys.fixtures import GOOD_ANSWERS

LAST = month_shift(timezone.localdate().replace(day=1), -1)  # the last whole month
TRIGGER = month_shift(LAST, -2)
MONTHS = [month_shift(TRIGGER, k) for k in (-2, -1, 0, 1, 2)]
PEERS = 21


def _moment(month: date, day: int) -> datetime:
    return timezone.make_aware(datetime(month.year, month.month, day, 11))


@pytest.fixture
def north(network, csi_version):
    """Twenty-three North stores (a placebo verdict needs nineteen comparable ones), ten
    answers a store a month; A lifts after its action, B dips in the trigger month only,
    every store-month has a shock of its own."""
    peers = [
        unit_create(actor=None, code=f"S-N{k}", name=f"North {k}", level="store",
                    kind="dealer", parent=network.north)
        for k in range(1, PEERS + 1)
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
            for k in range(10):
                mood = shift + rng.normal(scale=0.5)
                answers = {code: int(np.clip(round(7.6 + mood + rng.normal(scale=0.7)), 1, 10))
                           for code in CSI_ITEMS}  # fmt: skip
                answers["OVERALL"] = int(np.clip(round(7.6 + mood), 1, 10))
                create_scored(version_id=csi_version.pk, answers={**GOOD_ANSWERS, **answers},
                              unit_id=store.pk, channel="import",
                              submitted_at=_moment(month, 3 + k))  # fmt: skip
    rollups_fold(limit=100_000)
    return peers


def _acted(store, manager, scheme):
    plan = action_open(
        actor=manager, unit=store, title="Explain the work before starting", owner=manager,
        due_on=TRIGGER + timedelta(days=25), programme=scheme, variable="@index",
        expected_change=30, trigger_month=TRIGGER, now=_moment(TRIGGER, 5),
    )  # fmt: skip
    return action_close(actor=manager, plan=plan, status="done", now=_moment(TRIGGER, 20))


@pytest.fixture
def plans(north, network, programme, north_manager):
    return (_acted(network.store_a, north_manager, programme),
            _acted(network.store_b, north_manager, programme))  # fmt: skip
