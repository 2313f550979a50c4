"""The CSI report and dashboard: figures from rollups, rankings with minimum n, shortfalls."""

from datetime import timedelta

import numpy as np
import pytest
from django.utils import timezone

from manyi.analytics import cells
from manyi.analytics.periods import months_back, whole_months
from manyi.analytics.reports import csi_report
from manyi.analytics.services import rollups_fold
from manyi.surveys.models import Response
from manyi.surveys.services.responses import create_scored
from tests.analytics.report_fixtures import last_month_start
from tests.surveys.fixtures import GOOD_ANSWERS


def _respond(version, unit, **answers):
    return create_scored(
        version_id=version.pk,
        answers={**GOOD_ANSWERS, **answers},
        unit_id=unit.pk,
        channel="import",
        submitted_at=last_month_start() + timedelta(minutes=5),
    )


@pytest.fixture
def answered(csi_version, network):
    """Store A is weak on service quality; store B is good; store C (East) in between."""
    rng = np.random.default_rng(30)
    level = {network.store_a: -1.5, network.store_b: 0.8, network.store_c: 0.0}
    for store, shift in level.items():
        for _ in range(8):
            mood = rng.normal()
            answers = {
                code: int(np.clip(round(8 + mood + rng.normal(scale=0.7)), 1, 10))
                for code in ("SI1", "SI2", "SA1", "SA2", "SF1", "SF2", "SF3", "VP1", "VP2", "VP3")
            }
            quality = mood + shift
            for code in ("SQ1", "SQ2", "SQ3"):
                answers[code] = int(
                    np.clip(round(8 + 1.5 * quality + rng.normal(scale=0.5)), 1, 10)
                )
            answers["OVERALL"] = int(np.clip(round(8 + mood + quality), 1, 10))
            _respond(csi_version, store, **answers)
    rollups_fold(limit=10)  # part folded, part pending: figures must not care


def test_the_network_index_is_the_mean_of_the_response_indices(csi_version, answered):
    report = csi_report(version_id=csi_version.pk, months=whole_months(1), scope=None, min_n=5)
    indices = list(Response.objects.values_list("index", flat=True))
    assert report.responses == 24
    assert report.index.mean == pytest.approx(sum(indices) / len(indices), abs=1e-9)
    assert {figure.unit.code for figure in report.children} == {"R-N", "R-E"}


def test_stores_are_ranked_and_the_thin_ones_are_not(csi_version, network, answered):
    report = csi_report(
        version_id=csi_version.pk, months=whole_months(1), scope=network.north, min_n=8
    )
    assert [(f.unit.code, f.rank) for f in report.children] == [("S-B", 1), ("S-A", 2)]
    thin = csi_report(
        version_id=csi_version.pk, months=whole_months(1), scope=network.north, min_n=9
    )
    assert all(not figure.rankable and figure.rank is None for figure in thin.children)


def test_the_weak_store_sees_service_quality_at_the_top_of_its_shortfalls(
    csi_version, network, answered
):
    report = csi_report(
        version_id=csi_version.pk, months=whole_months(1), scope=network.store_a, min_n=5
    )
    assert report.shortfalls[0].item in {"SQ1", "SQ2"}
    quality = dict((code, value) for code, _name, value, _net in report.factors)
    network_quality = dict((code, net) for code, _name, _value, net in report.factors)
    assert quality["service_quality"] < network_quality["service_quality"]


def test_a_store_manager_sees_their_store_and_not_another(
    client, store_a_manager, csi_version, programme, network, answered
):
    client.force_login(store_a_manager)
    page = client.get("/analytics/")
    assert page.status_code == 200 and page.context["scope"] == network.store_a
    assert page.context["report"].responses == 8
    assert client.get(f"/analytics/?unit={network.store_b.pk}").status_code == 404


def test_hq_drills_down_from_the_network_to_a_store(
    client, hq_analyst, programme, network, answered
):
    client.force_login(hq_analyst)
    network_page = client.get("/analytics/")
    assert network_page.context["report"].responses == 24
    store = client.get(f"/analytics/?programme={programme.pk}&unit={network.store_b.pk}")
    assert store.context["report"].responses == 8 and 'data-chart="csi-trend"' in store.text


def test_months_back_counts_calendar_months():
    from datetime import date

    assert months_back(3, date(2026, 2, 14)) == [
        date(2025, 12, 1),
        date(2026, 1, 1),
        date(2026, 2, 1),
    ]
    assert cells.month_of(timezone.now()) == months_back(1)[0]


def test_the_dashboard_exports_its_tables_to_xlsx(client, hq_analyst, programme, network, answered):
    import io

    import openpyxl

    client.force_login(hq_analyst)
    download = client.get(
        f"/analytics/export.xlsx?programme={programme.pk}&unit={network.north.pk}"
    )
    book = openpyxl.load_workbook(io.BytesIO(download.content))
    assert book.sheetnames == [
        "Summary",
        "CSI trend",
        "Factor scores",
        "Ranking",
        "Shortfalls  fix these first",
    ]
    summary = {row[0].value: row[1].value for row in book["Summary"].iter_rows(min_row=2)}
    assert summary["Unit"] == "North" and summary["Responses"] == 16
    assert client.get("/analytics/export.xlsx?unit=999999").status_code == 404


def test_a_unit_without_answers_gets_an_empty_report_not_an_error(csi_version, network, answered):
    report = csi_report(
        version_id=csi_version.pk, months=whole_months(1), scope=network.service_a, min_n=5
    )
    assert report.responses == 0 and report.index is None and report.shortfalls == []
