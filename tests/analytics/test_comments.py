"""What customers wrote: every free-text answer of the period and scope, filtered and
exported. Hana at HQ asks what customers of store B said about waiting last month;
Amy, store A's manager, sees her store's comments only.
"""

import io
from datetime import timedelta

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from manyi.analytics.models import Comment
from manyi.analytics.services import rollups_fold, rollups_rebuild
from manyi.cases.services import case_open
from manyi.surveys.services.responses import create_scored
from tests.surveys.fixtures import GOOD_ANSWERS


def _say(programme, unit, text, *, days_ago=3, quality=9):
    return create_scored(
        version_id=programme.version_id,
        programme=programme,
        answers={**GOOD_ANSWERS, "SQ1": quality, "SQ2": quality, "REASON": text},
        unit_id=unit.pk,
        channel="import",
        submitted_at=timezone.now() - timedelta(days=days_ago),
    )


@pytest.fixture
def said(programme, network):
    made = {
        "a_waiting": _say(programme, network.store_a, "Waiting two hours for the car", quality=3),
        "b_waiting": _say(programme, network.store_b, "Too much waiting at reception", quality=4),
        "b_praise": _say(programme, network.store_b, "Friendly advisor, clean lounge"),
        "b_formula": _say(programme, network.store_b, '=HYPERLINK("http://x")'),
        "b_silent": _say(programme, network.store_b, "   "),
    }
    rollups_fold()
    return made


def _page(client, programme, **params):
    query = {"programme": programme.pk, "since": _day(-30), "until": _day(0), **params}
    return client.get("/analytics/comments/", query)


def _day(offset):
    return (timezone.localdate() + timedelta(days=offset)).isoformat()


def test_the_worker_keeps_each_comment_once_and_a_rebuild_keeps_the_same(said):
    texts = sorted(Comment.objects.values_list("text", flat=True))
    assert len(texts) == 4  # the blank answer is no comment
    rollups_rebuild()
    assert sorted(Comment.objects.values_list("text", flat=True)) == texts


def test_hq_finds_what_store_b_said_about_waiting_in_two_filters(
    client, hq_analyst, programme, network, said
):
    client.force_login(hq_analyst)
    page = _page(client, programme, unit=network.store_b.pk, words="waiting")
    assert page.status_code == 200
    assert [comment.text for comment, _case in page.context["rows"]] == [
        "Too much waiting at reception"
    ]


def test_a_store_manager_reads_only_her_stores_comments(
    client, store_a_manager, programme, network, said
):
    client.force_login(store_a_manager)
    page = _page(client, programme)
    assert [comment.unit for comment, _case in page.context["rows"]] == [network.store_a]
    assert _page(client, programme, unit=network.store_b.pk).status_code == 404


def test_lowest_first_and_a_band_of_the_index(client, hq_analyst, programme, said):
    client.force_login(hq_analyst)
    rows = _page(client, programme, order="lowest").context["rows"]
    indices = [comment.index for comment, _case in rows]
    assert indices == sorted(indices) and rows[0][0].text.startswith("Waiting two hours")
    top = said["b_praise"].index
    banded = _page(client, programme, lowest=round(top) - 1).context["rows"]
    assert {comment.text for comment, _case in banded} == {
        "Friendly advisor, clean lounge",
        '=HYPERLINK("http://x")',
    }


def test_a_comment_links_to_the_case_its_response_opened(
    client, store_a_manager, programme, network, said
):
    case = case_open(
        actor=store_a_manager, kind="complaint", unit=network.store_a, subject="Waited too long",
        channel="survey", response=said["a_waiting"],
    )  # fmt: skip
    client.force_login(store_a_manager)
    page = _page(client, programme)
    assert page.context["rows"][0][1] == case
    assert f"/cases/{case.pk}/" in page.text and f"/surveys/responses/{said['a_waiting'].pk}/" in (
        page.text
    )


def test_odd_filters_are_a_clear_400(client, hq_analyst, programme, said):
    client.force_login(hq_analyst)
    assert _page(client, programme, lowest="²").status_code == 400
    assert _page(client, programme, highest=5000).status_code == 400
    assert _page(client, programme, item="NOT_AN_ITEM").status_code == 400


def test_the_export_holds_every_matching_comment_safe_to_open(
    client, hq_analyst, programme, network, said
):
    client.force_login(hq_analyst)
    query = {
        "programme": programme.pk,
        "since": _day(-30),
        "until": _day(0),
        "unit": network.store_b.pk,
    }
    answer = client.get("/analytics/comments.xlsx", query)
    assert answer.status_code == 200
    sheet = load_workbook(io.BytesIO(answer.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert len(rows) == 1 + 3
    assert '\'=HYPERLINK("http://x")' in [row[4] for row in rows]
