"""The analysis reports — NPS, what changed, SERVQUAL gaps, advisors, the funnel — each
recomputed here from the raw answers with an independent tool, and scoped by unit."""

import time
from datetime import timedelta

import numpy as np
import pytest
from django.utils import timezone, translation
from scipy import stats

from manyi.analytics.periods import comparison_months, whole_months
from manyi.analytics.reports.changes import change_report
from manyi.analytics.reports.drivers import KEPT, kano_report
from manyi.analytics.reports.gaps import gap_report
from manyi.analytics.reports.nps import nps_report
from manyi.analytics.reports.staff import staff_report
from manyi.analytics.services import rollups_fold
from manyi.surveys.services.responses import create_scored
from tests.analytics.report_fixtures import last_month_start
from tests.surveys.fixtures import GOOD_ANSWERS

NOW, BEFORE = whole_months(1), comparison_months(whole_months(1), "previous")


def test_the_nps_report_splits_the_answers_and_tests_the_change(csi_version, two_months):
    report = nps_report(
        version_id=csi_version.pk, months=NOW, compare_months=BEFORE, scope=None, min_n=30
    )
    start = last_month_start()
    now = [r.nps for r in two_months if r.submitted_at >= start]
    before = [r.nps for r in two_months if r.submitted_at < start]
    assert report.histogram == [now.count(point) for point in range(11)]
    promoters = sum(a >= 9 for a in now)
    detractors = sum(a <= 6 for a in now)
    assert report.estimate.promoters == promoters and report.estimate.detractors == detractors
    assert report.estimate.nps == pytest.approx(100 * (promoters - detractors) / len(now))
    # The ±1/0 respondent score: Welch's z from scipy's variances matches the report's test.
    scores = [np.sign(np.array(x) - 7.5) * (np.abs(np.array(x) - 7.5) > 1) for x in (now, before)]
    se = np.sqrt(sum(np.var(s) / len(s) for s in scores))
    z = (scores[0].mean() - scores[1].mean()) / se
    assert report.change.p == pytest.approx(2 * stats.norm.sf(abs(z)), rel=1e-9)


def test_the_slipping_store_shows_in_what_changed(csi_version, network, two_months):
    report = change_report(
        version_id=csi_version.pk, months=NOW, compare_months=BEFORE, scope=network.north, min_n=30
    )
    moved = {(move.kind, move.code): move for move in report.moves}
    store_a = moved[("unit", "S-A")]
    indices = [
        [
            r.index
            for r in two_months
            if r.unit_id == network.store_a.pk and (r.submitted_at >= last_month_start()) is now
        ]
        for now in (True, False)
    ]
    welch = stats.ttest_ind(indices[0], indices[1], equal_var=False)
    assert store_a.p == pytest.approx(welch.pvalue, rel=1e-6)
    assert store_a.significant and store_a.difference < 0
    assert not moved[("unit", "S-B")].significant
    assert report.significant[0].difference < 0  # the biggest significant move first
    q = stats.false_discovery_control([move.p for move in report.moves])
    assert sorted(move.q for move in report.moves) == pytest.approx(sorted(q))


def test_a_thin_figure_is_listed_apart_never_tested(csi_version, network, two_months):
    report = change_report(
        version_id=csi_version.pk, months=NOW, compare_months=BEFORE, scope=network.north, min_n=50
    )
    assert "Store A" in report.thin and all(m.code != "S-A" for m in report.moves)


def test_servqual_gaps_match_paired_t_tests(servqual_version, network):
    rng = np.random.default_rng(3)
    definition_items = [f"RL{i}" for i in range(1, 6)]
    expectations, perceptions = [], []
    for _ in range(25):
        answers = {"OVERALL": 5, "CONTACT_ME": False}
        e = rng.integers(5, 8, size=len(definition_items))
        p = np.clip(e - rng.integers(0, 3, size=len(definition_items)), 1, 7)
        for code in (
            "T1",
            "T2",
            "T3",
            "T4",
            "RS1",
            "RS2",
            "RS3",
            "RS4",
            "A1",
            "A2",
            "A3",
            "A4",
            "E1",
            "E2",
            "E3",
            "E4",
            "E5",
        ):
            answers[code] = {"e": 6, "p": 6}
        for code, ei, pi in zip(definition_items, e, p, strict=True):
            answers[code] = {"e": int(ei), "p": int(pi)}
        expectations.append(e)
        perceptions.append(p)
        create_scored(
            version_id=servqual_version.pk,
            answers=answers,
            unit_id=network.store_a.pk,
            channel="import",
            submitted_at=last_month_start() + timedelta(minutes=1),
        )
    rollups_fold(limit=10)
    report = gap_report(version_id=servqual_version.pk, months=NOW, scope=network.store_a)
    e, p = np.array(expectations, float), np.array(perceptions, float)
    item = next(g for g in report.items if g.item == "RL1")
    paired = stats.ttest_rel(p[:, 0], e[:, 0])
    assert item.gap.gap == pytest.approx((p[:, 0] - e[:, 0]).mean())
    assert item.gap.p == pytest.approx(paired.pvalue, rel=1e-9)
    assert item.expectation == pytest.approx(e[:, 0].mean())
    reliability = next(d for d in report.dimensions if d.code == "reliability")
    one_sample = stats.ttest_1samp((p - e).mean(axis=1), 0.0)
    assert reliability.gap.gap == pytest.approx((p - e).mean())
    assert reliability.gap.t == pytest.approx(one_sample.statistic, rel=1e-9)
    assert reliability.gap.p == pytest.approx(one_sample.pvalue, rel=1e-9)
    tangibles = next(d for d in report.dimensions if d.code == "tangibles")
    assert tangibles.gap.gap == 0
    region = gap_report(version_id=servqual_version.pk, months=NOW, scope=network.north)
    (store_a,) = region.children
    assert store_a.unit == network.store_a and store_a.worst == "reliability"
    assert store_a.gaps["reliability"] == pytest.approx((p - e).mean())


def test_advisors_are_ranked_by_their_customers_and_thin_ones_are_not(
    csi_version, network, advisor_a, store_a_manager
):
    for staff, count, quality in ((advisor_a, 12, 5), (store_a_manager, 4, 10)):
        for _ in range(count):
            create_scored(
                version_id=csi_version.pk,
                answers={**GOOD_ANSWERS, "SQ1": quality, "SQ2": quality, "SQ3": quality},
                unit_id=network.store_a.pk,
                channel="import",
                submitted_at=last_month_start() + timedelta(minutes=1),
                staff_id=staff.pk,
            )
    rollups_fold(limit=5)
    figures = staff_report(version_id=csi_version.pk, months=NOW, scope=network.north, min_n=10)
    first, thin = figures
    assert first.staff == advisor_a and first.rank == 1 and first.n == 12
    assert first.weakest == "service_quality" and first.behind > 0
    assert thin.staff == store_a_manager and thin.rank is None and not thin.rankable
    elsewhere = staff_report(version_id=csi_version.pk, months=NOW, scope=network.east, min_n=10)
    assert elsewhere == []


def test_kano_needs_answers_at_both_ends_of_the_scale(csi_version, network):
    create_scored(
        version_id=csi_version.pk,
        answers=GOOD_ANSWERS,
        unit_id=network.store_a.pk,
        channel="import",
        submitted_at=timezone.now(),
    )
    result = kano_report(version_id=csi_version.pk, months=NOW, scope=None)
    assert result.items == [] and result.problem


def test_a_kano_classification_is_kept_five_minutes_per_scope_and_language(
    csi_version, network, monkeypatch
):
    def answered():
        create_scored(
            version_id=csi_version.pk,
            answers=GOOD_ANSWERS,
            unit_id=network.store_a.pk,
            channel="import",
            submitted_at=last_month_start() + timedelta(days=1),
        )

    answered()
    first = kano_report(version_id=csi_version.pk, months=NOW, scope=None)
    answered()
    again = kano_report(version_id=csi_version.pk, months=NOW, scope=None)
    assert (first.n, again.n) == (1, 1) and again.at == first.at  # kept
    store = kano_report(version_id=csi_version.pk, months=NOW, scope=network.store_a)
    assert store.n == 2  # another scope: read afresh
    with translation.override("zh-hans"):
        chinese = kano_report(version_id=csi_version.pk, months=NOW, scope=None)
    assert chinese.n == 2 and chinese.problem != first.problem
    later = time.time() + KEPT + 1
    monkeypatch.setattr("django.core.cache.backends.locmem.time.time", lambda: later)
    assert kano_report(version_id=csi_version.pk, months=NOW, scope=None).n == 2


def test_the_kano_sample_holds_each_answer_s_score_newest_first_in_scope(csi_version, network):
    from manyi.analytics.selectors import recent_scores
    from manyi.surveys.models import Response

    started = last_month_start()
    for minutes, unit, quality in (
        (1, network.store_a, 4),
        (2, network.store_a, 9),
        (3, network.store_b, 7),
    ):
        answers = {**GOOD_ANSWERS, "SQ1": quality}
        answers.pop("SQ2")  # left unanswered: no score
        create_scored(
            version_id=csi_version.pk,
            answers=answers,
            unit_id=unit.pk,
            channel="import",
            submitted_at=started + timedelta(minutes=minutes),
        )
    data = recent_scores(
        version_id=csi_version.pk,
        months=NOW,
        unit_id=network.store_a.pk,
        codes=["SQ1", "SQ2"],
        limit=5,
    )
    stored = Response.objects.filter(unit=network.store_a).order_by("-submitted_at")
    assert data[:, 0].tolist() == [r.scores["items"]["SQ1"] for r in stored]
    assert data[0, 0] > data[1, 0] and np.isnan(data[:, 1]).all()
    newest = recent_scores(
        version_id=csi_version.pk, months=NOW, unit_id=None, codes=["SQ1"], limit=1
    )
    assert (
        newest.shape == (1, 1)
        and newest[0, 0] == Response.objects.latest("submitted_at").scores["items"]["SQ1"]
    )
