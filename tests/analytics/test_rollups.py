"""Rollups: folded by the worker, exact at any moment, and the same as a rebuild."""

from datetime import timedelta

import numpy as np
import pandas as pd
import pytest
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from manyi.analytics import cells
from manyi.analytics.models import Rollup
from manyi.analytics.selectors import slice_of, unit_summaries
from manyi.analytics.services import rollups_fold, rollups_rebuild
from manyi.surveys.models import Response
from manyi.surveys.services.responses import create_scored
from tests.surveys.fixtures import GOOD_ANSWERS

ITEMS = [code for code in GOOD_ANSWERS if code not in ("CONTACT_ME", "NPS")]


def _respond(csi_version, unit, answers, *, staff=None, days_ago=0, ref=""):
    return create_scored(
        version_id=csi_version.pk,
        answers={**GOOD_ANSWERS, **answers},
        unit_id=unit.pk,
        channel="import",
        submitted_at=timezone.now() - timedelta(days=days_ago),
        staff_id=staff.pk if staff else None,
        external_id=ref or None,
    )


def _month():
    return cells.month_of(timezone.now())


def _raw_frame(csi_version, responses):
    definition = csi_version.parsed()
    names = cells.variables(definition)
    return pd.DataFrame([cells.row(definition, names, r) for r in responses], columns=names)


def test_a_slice_is_exact_before_and_after_the_worker_folds(csi_version, network, advisor_a):
    rng = np.random.default_rng(1)
    made = [
        _respond(csi_version, network.store_a, {c: int(rng.integers(5, 11)) for c in ITEMS},
                 staff=advisor_a)
        for _ in range(12)
    ]  # fmt: skip
    before = slice_of(version_id=csi_version.pk, months=[_month()], unit_id=network.store_a.pk)
    assert rollups_fold(limit=5) == 5  # the worker folds some; the rest are still pending
    during = slice_of(version_id=csi_version.pk, months=[_month()], unit_id=network.store_a.pk)
    rollups_fold()
    after = slice_of(version_id=csi_version.pk, months=[_month()], unit_id=network.store_a.pk)
    frame = _raw_frame(csi_version, made)
    for result in (before, during, after):
        assert result.responses == 12
        assert result.moments.mean("SQ1") == pytest.approx(frame["SQ1"].mean(), abs=1e-9)
        assert result.moments.covariance() == pytest.approx(frame.cov().to_numpy(), abs=1e-6)
    assert sum(after.histograms["SQ1"].values()) == 12
    staff = slice_of(version_id=csi_version.pk, months=[_month()], staff_id=advisor_a.pk)
    assert staff.responses == 12


def test_other_units_and_months_stay_out_of_a_slice(csi_version, network):
    _respond(csi_version, network.store_a, {"SQ1": 2})
    _respond(csi_version, network.store_b, {"SQ1": 9})
    _respond(csi_version, network.store_a, {"SQ1": 9}, days_ago=70)
    rollups_fold()
    result = slice_of(version_id=csi_version.pk, months=[_month()], unit_id=network.store_a.pk)
    assert result.responses == 1 and result.histograms["SQ1"] == {"2": 1}
    whole = slice_of(version_id=csi_version.pk, months=[_month()])
    assert whole.responses == 2


answer_sets = st.lists(
    st.fixed_dictionaries({code: st.integers(1, 10) for code in ("SI1", "SQ1", "OVERALL")}),
    min_size=1,
    max_size=12,
)


@settings(
    max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(answers=answer_sets, limits=st.lists(st.integers(1, 5), min_size=1, max_size=6))
def test_folding_in_any_batches_equals_a_rebuild(csi_version, network, answers, limits):
    Response.objects.all().delete()
    Rollup.objects.all().delete()
    for index, given_answers in enumerate(answers):
        unit = network.store_a if index % 2 else network.store_b
        _respond(csi_version, unit, given_answers, days_ago=index % 3 * 20)
    for limit in limits:
        rollups_fold(limit=limit)
    rollups_fold()
    incremental = {
        (c.unit_id, c.month): (c.responses, bytes(c.moments), c.histograms)
        for c in Rollup.objects.all()
    }
    rollups_rebuild()
    rebuilt = {
        (c.unit_id, c.month): (c.responses, bytes(c.moments), c.histograms)
        for c in Rollup.objects.all()
    }
    assert incremental.keys() == rebuilt.keys()
    names = cells.variables(csi_version.parsed())
    from manyi.stats.moments import Moments

    for key, (responses, blob, histograms) in incremental.items():
        other = rebuilt[key]
        assert responses == other[0] and histograms == other[2]
        a, b = Moments.unpack(names, blob), Moments.unpack(names, other[1])
        assert a.products == pytest.approx(b.products, abs=1e-6)
        assert a.count == pytest.approx(b.count)


def test_a_region_cell_counts_its_stores_and_summaries_rank_them(csi_version, network):
    _respond(csi_version, network.store_a, {"SQ1": 4})
    _respond(csi_version, network.store_a, {"SQ1": 6})
    _respond(csi_version, network.store_b, {"SQ1": 10})
    _respond(csi_version, network.store_c, {"SQ1": 1})  # in the East region
    rollups_fold()
    _respond(csi_version, network.store_b, {"SQ1": 8})  # not folded yet
    north = slice_of(version_id=csi_version.pk, months=[_month()], unit_id=network.north.pk)
    assert north.responses == 4 and north.histograms["SQ1"] == {"4": 1, "6": 1, "10": 1, "8": 1}
    summaries = unit_summaries(
        version_id=csi_version.pk,
        months=[_month()],
        unit_ids=[network.store_a.pk, network.store_b.pk],
    )
    sq1 = cells.variables(csi_version.parsed()).index("SQ1")
    n_a, sum_a = summaries[network.store_a.pk][0, sq1], summaries[network.store_a.pk][1, sq1]
    n_b, sum_b = summaries[network.store_b.pk][0, sq1], summaries[network.store_b.pk][1, sq1]
    assert (n_a, n_b) == (2, 2)
    # Item scores on 0–1000: 4 → 333.3 and 6 → 555.6 on the 1–10 scale.
    assert sum_a / n_a == pytest.approx((333.33333333 + 555.55555556) / 2, abs=1e-6)
    assert sum_b / n_b == pytest.approx((1000 + 777.77777778) / 2, abs=1e-6)


@pytest.mark.django_db(transaction=True)
def test_two_workers_folding_at_once_count_each_response_once(csi_version, network):
    import threading

    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("SKIP LOCKED claims are PostgreSQL's; the embedded setup runs one worker")
    for index in range(60):
        _respond(csi_version, network.store_a if index % 2 else network.store_b, {"SQ1": 5})
    barrier = threading.Barrier(2)
    errors = []

    def worker() -> None:
        try:
            barrier.wait()
            while rollups_fold(limit=7):
                pass
        except Exception as error:  # reported below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert not Response.objects.filter(rolled_up=False).exists()
    hq = Rollup.objects.get(unit=network.hq, staff=None)
    assert hq.responses == 60


def test_a_department_counts_once_in_its_store_region_and_network(csi_version, network):
    _respond(csi_version, network.store_a, {"SQ1": 3})
    _respond(csi_version, network.service_a, {"SQ1": 5})  # the store's service department
    for rebuild in (False, True):
        if rebuild:
            rollups_rebuild()
        else:
            rollups_fold()
        month = _month()
        for unit, expected in (
            (network.service_a, 1),
            (network.store_a, 2),
            (network.north, 2),
            (network.hq, 2),
        ):
            cell = Rollup.objects.get(unit=unit, staff=None, month=month)
            assert cell.responses == expected, (rebuild, unit.code)


def test_a_trend_reads_each_month_as_its_own_slice_would(csi_version, network):
    from manyi.analytics.periods import Span
    from manyi.analytics.selectors import slices_by_month

    rng = np.random.default_rng(7)
    made = [
        _respond(csi_version, unit, {"SQ1": int(rng.integers(1, 11))}, days_ago=days)
        for days in (0, 1, 33, 34, 66, 67, 80)
        for unit in (network.store_a, network.store_b)
    ]
    rollups_fold(limit=6)  # some folded into cells, the rest still raw
    today = timezone.localdate()
    span = Span.of_dates(today - timedelta(days=75), today)  # cut at the start (and today)
    trend = slices_by_month(version_id=csi_version.pk, months=span, unit_id=network.store_a.pk)
    assert [month for month, _slice in trend] == [month for month, _piece in span.pieces()]
    first, _after = span.bounds()
    for month, monthly in trend:
        mine = [
            r for r in made
            if r.unit_id == network.store_a.pk and cells.month_of(r.submitted_at) == month
            and r.submitted_at >= first
        ]  # fmt: skip
        assert monthly.responses == len(mine)
        if mine:
            expected = _raw_frame(csi_version, mine)["SQ1"].mean()
            assert monthly.moments.mean("SQ1") == pytest.approx(expected, abs=1e-9)
        alone = dict(span.pieces())[month]
        single = slice_of(version_id=csi_version.pk, months=alone, unit_id=network.store_a.pk)
        assert monthly.histograms == single.histograms
