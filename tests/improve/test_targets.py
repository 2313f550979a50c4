"""Targets: Hana (headquarters) sets them for any unit, Nick (North region) for his
stores only; a store's progress is its figure over the months gone, "met" only once the
programme's minimum n is reached."""

from datetime import date, timedelta
from decimal import Decimal

import numpy as np
import pytest

from manyi.audit.models import AuditEntry
from manyi.improve.models import Target
from manyi.improve.selectors.targets import target_list, target_progress
from manyi.improve.services.targets import TargetError, target_set
from manyi.surveys.models import Response
from tests.analytics.report_fixtures import last_month_start


def _set(actor, programme, unit, value="820", variable="@index", since=None, until=None):
    start = last_month_start().date()
    return target_set(
        actor=actor, programme=programme, unit=unit, variable=variable,
        since=since or start - timedelta(days=20), until=until or start, value=Decimal(value),
    )  # fmt: skip


def test_headquarters_sets_a_target_and_setting_it_again_changes_it(
    hq_analyst,
    programme,
    network,
):
    first = _set(hq_analyst, programme, network.north)
    again = _set(hq_analyst, programme, network.north, value="830")
    assert again.pk == first.pk and again.value == Decimal("830")
    assert again.since.day == 1 and again.until.day == 1
    assert AuditEntry.objects.filter(action="target.set").count() == 2


def test_a_region_sets_its_stores_targets_only(north_manager, programme, network):
    assert _set(north_manager, programme, network.store_b).unit == network.store_b
    with pytest.raises(TargetError, match="headquarters sets the region"):
        _set(north_manager, programme, network.north)
    with pytest.raises(TargetError, match="outside your part"):
        _set(north_manager, programme, network.store_c)


def test_store_staff_and_bad_input_are_refused(store_a_manager, hq_analyst, programme, network):
    with pytest.raises(TargetError, match="may not"):
        _set(store_a_manager, programme, network.store_a)
    with pytest.raises(TargetError, match="not one of"):
        _set(hq_analyst, programme, network.store_a, variable="factor:parking")
    with pytest.raises(TargetError, match="ends before"):
        _set(hq_analyst, programme, network.store_a, since=date(2026, 9, 1), until=date(2026, 7, 1))
    with pytest.raises(TargetError, match="two years"):
        _set(hq_analyst, programme, network.store_a, since=date(2024, 1, 1), until=date(2026, 7, 1))


def test_progress_is_the_stores_own_figure_and_met_needs_the_minimum_n(
    hq_analyst,
    programme,
    network,
    two_months,
    store_b_manager,
):
    target = _set(hq_analyst, programme, network.store_a, value="700")
    progress = target_progress(target, today=date.today())
    raw = [r.index for r in Response.objects.filter(unit=network.store_a)]
    assert progress.n == len(raw) == 80
    assert progress.figure == pytest.approx(np.mean(raw))
    assert progress.distance == pytest.approx(np.mean(raw) - 700)
    assert progress.met == bool(np.mean(raw) >= 700)
    programme.min_n_unit = 81
    programme.save(update_fields=["min_n_unit"])
    target.refresh_from_db()
    assert target_progress(target, today=date.today()).met is None  # too few to tell
    assert not target_list(store_b_manager).exists()  # store A's target is not B's


def test_a_figure_the_programme_no_longer_asks_shows_nothing(hq_analyst, programme, network):
    target = _set(hq_analyst, programme, network.store_a)
    Target.objects.filter(pk=target.pk).update(variable="SQ9")
    target.refresh_from_db()
    progress = target_progress(target, today=date.today())
    assert progress.figure is None and progress.met is None
