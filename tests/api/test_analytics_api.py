"""The CSI report over the API, scoped to the token's staff member."""

from datetime import timedelta

import pytest

from manyi.surveys.models import Response
from manyi.surveys.services.responses import create_scored
from tests.analytics.report_fixtures import last_month_start
from tests.surveys.fixtures import GOOD_ANSWERS


@pytest.fixture
def answered(programme, network):
    for store, overall in ((network.store_a, 4), (network.store_b, 9), (network.store_a, 6)):
        create_scored(
            version_id=programme.version_id,
            answers={**GOOD_ANSWERS, "OVERALL": overall},
            unit_id=store.pk,
            channel="import",
            programme=programme,
            submitted_at=last_month_start() + timedelta(minutes=2),
        )


def test_hq_reads_the_network_report(api_as, hq_analyst, programme, answered):
    body = api_as(hq_analyst).get(f"/api/v1/analytics/csi?programme_id={programme.pk}").json()
    indices = list(Response.objects.values_list("index", flat=True))
    assert body["responses"] == 3 and body["unit_id"] is None
    assert body["index"]["value"] == pytest.approx(sum(indices) / 3)
    assert len(body["trend"]) == 12 and body["trend"][-1]["n"] == 3


def test_a_store_manager_gets_their_store_and_not_another(
    api_as, store_a_manager, programme, network, answered
):
    api = api_as(store_a_manager)
    mine = api.get(f"/api/v1/analytics/csi?programme_id={programme.pk}").json()
    assert mine["unit_id"] == network.store_a.pk and mine["responses"] == 2
    other = api.get(
        f"/api/v1/analytics/csi?programme_id={programme.pk}&unit_id={network.store_b.pk}"
    )
    assert other.status_code == 404


def test_a_bad_period_is_refused(api_as, hq_analyst, programme):
    answer = api_as(hq_analyst).get(f"/api/v1/analytics/csi?programme_id={programme.pk}&months=99")
    assert answer.status_code == 400


REPORTS = ("drivers", "nps", "gaps", "changes", "staff", "funnel")


@pytest.mark.parametrize("report", REPORTS)
def test_every_report_answers_within_the_tokens_part_of_the_network(
    api_as, store_a_manager, programme, network, two_months, report
):
    api = api_as(store_a_manager)
    mine = api.get(f"/api/v1/analytics/{report}?programme_id={programme.pk}&months=3")
    assert mine.status_code == 200, mine.text
    other = api.get(
        f"/api/v1/analytics/{report}?programme_id={programme.pk}&unit_id={network.store_b.pk}"
    )
    assert other.status_code == 404


def test_the_nps_figures_over_the_api_match_the_report(api_as, hq_analyst, programme, two_months):
    body = api_as(hq_analyst).get(f"/api/v1/analytics/nps?programme_id={programme.pk}&months=1")
    figures = body.json()
    assert sum(figures["histogram"]) == figures["nps"]["n"] == 80
    assert figures["promoters"] + figures["passives"] + figures["detractors"] == 80
    assert figures["previous"] is not None and 0 <= figures["change_p"] <= 1


def test_what_changed_over_the_api_names_the_slipping_store(
    api_as, hq_analyst, programme, network, two_months
):
    body = api_as(hq_analyst).get(
        f"/api/v1/analytics/changes?programme_id={programme.pk}&unit_id={network.north.pk}"
        "&months=1&compare=previous"
    )
    moves = {(m["kind"], m["code"]): m for m in body.json()["moves"]}
    assert (
        moves[("unit", "S-A")]["significant"]
        and moves[("unit", "S-A")]["now"] < moves[("unit", "S-A")]["before"]
    )


def test_an_unknown_comparison_is_refused(api_as, hq_analyst, programme):
    answer = api_as(hq_analyst).get(
        f"/api/v1/analytics/changes?programme_id={programme.pk}&compare=decade"
    )
    assert answer.status_code == 400


def test_a_date_range_over_the_api(api_as, hq_analyst, programme, two_months):

    first = last_month_start().date()
    body = api_as(hq_analyst).get(
        f"/api/v1/analytics/csi?programme_id={programme.pk}&since={first}"
        f"&until={first.replace(day=15)}"
    )
    assert body.status_code == 200 and body.json()["responses"] == 80
    refused = api_as(hq_analyst).get(
        f"/api/v1/analytics/nps?programme_id={programme.pk}&since=2026-03-02&until=2026-03-01"
    )
    assert refused.status_code == 400
