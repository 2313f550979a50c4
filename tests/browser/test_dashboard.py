"""The CSI dashboard in a browser: charts drawn, a store reached in two clicks."""

from datetime import timedelta

import pytest
from django.utils import timezone

from manyi.analytics.services import rollups_fold
from manyi.surveys.services.responses import create_scored
from tests.analytics.report_fixtures import last_month_start
from tests.browser.conftest import sign_in
from tests.surveys.fixtures import GOOD_ANSWERS

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_hq_opens_the_dashboard_and_drills_down_to_a_store(page, hq_analyst, programme, network):
    for store, quality in ((network.store_a, 4), (network.store_b, 9), (network.store_c, 8)):
        for overall in (6, 7, 8):
            create_scored(
                version_id=programme.version_id,
                answers={**GOOD_ANSWERS, "SQ1": quality, "OVERALL": overall},
                unit_id=store.pk,
                channel="import",
                programme=programme,
                submitted_at=last_month_start() + timedelta(minutes=1),
            )
    rollups_fold()
    sign_in(page, hq_analyst.username)
    page.goto(f"{page.base}/analytics/")
    page.wait_for_selector("[data-chart='csi-trend'][data-ready]")
    assert page.inner_text("[data-testid=responses]") == "9"
    page.get_by_role("link", name="North").click()
    page.wait_for_selector("[data-chart='factor-bars'][data-ready]")
    page.get_by_role("link", name="Store A").click()
    page.wait_for_selector("[data-testid=ranking]")
    assert page.inner_text("[data-testid=responses]") == "3"
    assert "Store A" in page.inner_text(".page-header, .page-title, body")
    assert page.problems == []


def test_a_region_manager_walks_the_analysis_tabs_and_gets_a_pdf(
    page, north_manager, programme, network, two_months
):
    sign_in(page, north_manager.username)
    page.goto(f"{page.base}/analytics/drivers/?period=1")
    page.wait_for_selector("[data-chart='ipa-scatter'][data-ready]")
    page.get_by_role("link", name="NPS", exact=True).click()
    page.wait_for_selector("[data-chart='nps-trend'][data-ready]")
    page.get_by_role("link", name="What changed").click()
    assert "Store A" in page.inner_text("[data-testid=moves]")
    page.get_by_role("link", name="Response funnel").click()
    page.wait_for_selector("[data-testid=funnel]")
    page.click("[data-testid=pdf]")
    # The worker of the test settings runs the task at once; the page then offers it.
    page.wait_for_selector("[data-testid=pdf-status][data-status=done]")
    with page.expect_download() as download:
        page.click("[data-testid=pdf-download]")
    assert download.value.suggested_filename.endswith(".pdf")
    assert page.problems == []


def test_a_month_just_begun_neither_stretches_the_trend_nor_gets_a_band(
    page, hq_analyst, programme, network, tmp_path
):
    """Thirty-five answers last month; two poor ones so far this month. The two are drawn
    apart, hollow, and the axis fits last month's figure and its band, in both languages."""
    start = timezone.localtime().replace(day=1, hour=9, minute=0, second=0, microsecond=0)
    last_month = start - timedelta(days=10)
    worst = {code: 1 for code, value in GOOD_ANSWERS.items() if type(value) is int}
    for n in range(37):
        create_scored(
            version_id=programme.version_id,
            answers={**GOOD_ANSWERS, **worst} if n >= 35 else GOOD_ANSWERS,
            unit_id=network.store_a.pk,
            channel="import",
            programme=programme,
            submitted_at=last_month if n < 35 else start + timedelta(minutes=n),
        )
    rollups_fold()
    sign_in(page, hq_analyst.username)
    for language, thin_label in (("en", "Too few answers"), ("zh-hans", "答卷过少")):
        page.context.add_cookies([{"name": "django_language", "value": language, "url": page.base}])
        since = (last_month - timedelta(days=40)).date().replace(day=1)
        page.goto(
            f"{page.base}/analytics/?unit={network.store_a.pk}"
            f"&since={since}&until={timezone.localdate()}"
        )
        page.wait_for_selector("[data-chart='csi-trend'][data-ready]")
        option = page.evaluate(
            "() => { const o = echarts.getInstanceByDom("
            "document.querySelector(\"[data-chart='csi-trend']\")).getOption();"
            " return {min: o.yAxis[0].min, max: o.yAxis[0].max,"
            " series: o.series.map(s => [s.name, s.type, s.data])}; }"
        )
        assert option["min"] >= 0 and option["max"] <= 1000
        assert option["min"] > 500, "the poor month just begun does not pull the axis down"
        thin = [data for name, kind, data in option["series"] if name == thin_label]
        assert thin and thin[0][-1] is not None and thin[0][-1] >= option["min"]
        line = [data for name, kind, data in option["series"] if kind == "line"][-1]
        assert line[-1] is None  # not on the line
        path = tmp_path / f"trend-{language}.png"
        page.locator("[data-chart='csi-trend']").screenshot(path=str(path))
        assert path.stat().st_size > 5000  # a drawn chart, not an empty box
    assert page.problems == []
