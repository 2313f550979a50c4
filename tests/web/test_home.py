"""Each role's home page and inbox: the work waiting for them on the first screen.

Amy manages store A, Hui and Hao handle its complaints, Alan advises there, Nick runs the
North region, Hana is at HQ, Zhou calls customers for the North region.
"""

import time
from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from manyi.analytics.home import MONTHS
from manyi.analytics.periods import months_back
from manyi.analytics.services import rollups_fold
from manyi.cases.compensation import compensation_propose
from manyi.cases.models import ApprovalLimit, Case, DeadlineWatch
from manyi.cases.selectors import case_list, due_today
from manyi.cases.services import case_open
from manyi.org.models import Role
from manyi.org.services import staff_create
from manyi.surveys.models import Invitation
from manyi.surveys.services import invitation_create
from manyi.surveys.services.responses import create_scored
from manyi.web.registry import CARDS, KEEP_FIGURES, home_card
from tests.surveys.fixtures import GOOD_ANSWERS


def _cards(page) -> list[str]:
    return [shown.card.key for shown in page.context["cards"]]


def _inbox(page) -> dict[str, int]:
    return {section.source.key: section.count for section in page.context["inbox"]}


def _answer(programme, unit, *, months_ago: int, overall: int, staff=None):
    """An answer in the middle of a whole month ``months_ago`` before this one."""
    month = months_back(months_ago + 1)[0]
    at = timezone.make_aware(timezone.datetime(month.year, month.month, 15, 10))
    answers = {**GOOD_ANSWERS, **{code: overall for code in ("SQ1", "SQ2", "SQ3")}}
    return create_scored(
        version_id=programme.version_id,
        programme=programme,
        answers=answers,
        unit_id=unit.pk,
        staff_id=staff.pk if staff else None,
        channel="import",
        submitted_at=at,
    )


@pytest.fixture
def answered(programme, network, advisor_a):
    """Three answers a month in store A (Alan's) and store B over the last six whole
    months; store A got worse in the last three, store B did not."""
    made = {"a_now": [], "a_before": [], "b_now": []}
    for months_ago in range(1, 2 * MONTHS + 1):
        recent = months_ago <= MONTHS
        for _ in range(3):
            a = _answer(
                programme, network.store_a, months_ago=months_ago,
                overall=5 if recent else 9, staff=advisor_a,
            )  # fmt: skip
            made["a_now" if recent else "a_before"].append(a)
            b = _answer(programme, network.store_b, months_ago=months_ago, overall=8)
            if recent:
                made["b_now"].append(b)
    type(programme).objects.filter(pk=programme.pk).update(min_n_unit=5, min_n_staff=5)
    rollups_fold()
    return made


def _mean(responses) -> float:
    return sum(r.index for r in responses) / len(responses)


def test_a_store_manager_sees_the_stores_satisfaction_against_the_months_before(
    client, store_a_manager, answered
):
    client.force_login(store_a_manager)
    page = client.get("/")
    assert page.status_code == 200
    card = {shown.card.key: shown.context for shown in page.context["cards"]}[
        "analytics.satisfaction"
    ]
    assert card["scope"].code == "S-A"
    assert card["index"].value == pytest.approx(_mean(answered["a_now"]))
    assert card["index"].before == pytest.approx(_mean(answered["a_before"]))
    assert card["index"].change < 0 and card["index"].n == 9 and card["index"].enough
    assert "cases.deadlines" in _cards(page)
    assert "analytics.own" not in _cards(page)


def _shown(client) -> dict:
    return {shown.card.key: shown for shown in client.get("/").context["cards"]}


@pytest.fixture
def kept(settings):
    settings.HOME_LIVE_SECONDS = 30
    return settings.HOME_LIVE_SECONDS


def _after(monkeypatch, seconds: int) -> None:
    """The clock of the test cache, ``seconds`` on."""
    later = time.time() + seconds
    monkeypatch.setattr("django.core.cache.backends.locmem.time.time", lambda: later)


def test_a_drawn_card_is_shown_again_while_it_may_be_kept(client, kept, hq_analyst, answered):
    client.force_login(hq_analyst)
    first, again = _shown(client), _shown(client)
    assert first["analytics.behind"].card.keep == KEEP_FIGURES
    assert again["analytics.behind"].context is None  # kept, and so are the live cards
    assert again["analytics.behind"].html == first["analytics.behind"].html
    assert again["cases.deadlines"].context is None
    chinese = client.get("/", HTTP_ACCEPT_LANGUAGE="zh-hans").context["cards"]
    drawn = {shown.card.key: shown for shown in chinese}["analytics.behind"]
    assert drawn.context is not None and drawn.html != first["analytics.behind"].html


def test_a_readers_own_change_is_on_her_next_home_page(
    client, kept, hq_analyst, programme, network, answered
):
    client.force_login(hq_analyst)
    assert "improve.targets" not in _shown(client)
    month = timezone.localdate().strftime("%Y-%m")
    form = {"unit": network.store_a.pk, "figure": f"{programme.pk}|@index",
            "since": month, "until": month, "value": "700"}  # fmt: skip
    assert client.post(reverse("improve:target_new"), form).status_code == 302
    after = _shown(client)
    assert after["improve.targets"].context["count"] == 1
    assert after["analytics.behind"].context is not None  # every card of hers drawn afresh


def test_someone_elses_change_shows_once_the_live_seconds_have_passed(
    client, kept, monkeypatch, hq_analyst, hui, network, answered
):
    client.force_login(hq_analyst)
    assert _shown(client)["cases.deadlines"].context["active"] == 0
    _complaint(hui, network.store_a)
    assert _shown(client)["cases.deadlines"].context is None  # Hana's drawing, kept
    _after(monkeypatch, kept + 1)
    shown = _shown(client)
    assert shown["cases.deadlines"].context["active"] == 1
    assert shown["analytics.behind"].context is None  # whole months: kept five minutes


def test_a_kept_home_page_is_never_another_readers(client, kept, hui, network):
    hao = staff_create(actor=None, username="hao_handler", full_name="Hao", unit=network.store_a,
                       role=Role.CASE_HANDLER, password="a-long-test-password")  # fmt: skip
    _complaint(hui, network.store_a)
    for _ in range(2):
        _complaint(hao, network.store_a)
    client.force_login(hui)
    assert _inbox(client.get("/"))["cases.mine"] == 1
    client.force_login(hao)  # same role, unit and language: his own drawing all the same
    assert _inbox(client.get("/"))["cases.mine"] == 2
    assert client.get("/inbox/badge/").context["count"] == 2


def test_the_inbox_on_home_is_kept_as_the_live_cards_are(client, kept, hui, network):
    _complaint(hui, network.store_a)
    client.force_login(hui)
    assert _inbox(client.get("/"))["cases.mine"] == 1
    _complaint(hui, network.store_a)  # behind the page's back: the kept one is shown
    again = client.get("/")
    assert again.context["inbox"] is None and 'data-testid="home-inbox-cases.mine"' in again.text
    answer = client.post(reverse("preferences"), {"language": "en", "inbox_digest": "on"})
    assert answer.status_code == 302
    assert _inbox(client.get("/"))["cases.mine"] == 2  # her own change: drawn afresh


def test_hq_sees_the_stores_furthest_behind(client, hq_analyst, answered):
    client.force_login(hq_analyst)
    cards = {shown.card.key: shown.context for shown in client.get("/").context["cards"]}
    behind = cards["analytics.behind"]
    assert [figure.unit.code for figure in behind["behind"]] == ["S-A", "S-B"]
    assert behind["behind"][0].index == pytest.approx(_mean(answered["a_now"]))
    assert behind["thin"] == 1  # store C has no answers: shown as not ranked
    assert cards["analytics.satisfaction"]["scope"] is None


def test_an_advisor_sees_their_own_customers_figures_not_the_stores(client, advisor_a, answered):
    client.force_login(advisor_a)
    page = client.get("/")
    cards = {shown.card.key: shown.context for shown in page.context["cards"]}
    assert set(cards) == {"analytics.own"}
    assert cards["analytics.own"]["index"].value == pytest.approx(_mean(answered["a_now"]))


def _complaint(actor, unit, **extra):
    return case_open(
        actor=actor, kind="complaint", unit=unit, subject="Noise after repair",
        channel="phone", owner=actor, **extra,
    )  # fmt: skip


def test_a_handler_finds_her_cases_in_her_inbox_most_urgent_first(client, hui, network):
    late = _complaint(hui, network.store_a)
    Case.objects.filter(pk=late.pk).update(first_response_due=timezone.now() - timedelta(hours=1))
    soon = _complaint(hui, network.store_a)
    Case.objects.filter(pk=soon.pk).update(first_response_due=timezone.now() + timedelta(minutes=5))
    client.force_login(hui)
    page = client.get("/")
    assert _inbox(page)["cases.mine"] == 2
    deadlines = {shown.card.key: shown.context for shown in page.context["cards"]}[
        "cases.deadlines"
    ]
    assert (deadlines["late"], deadlines["active"]) == (1, 2)
    assert (
        deadlines["due_today"]
        == case_list(hui, status="active").filter(due_today(timezone.now())).count()
    )  # counted together, as the queue counts them one by one
    assert deadlines["urgent"][0].overdue
    inbox = client.get("/inbox/")
    mine = next(s for s in inbox.context["sections"] if s.source.key == "cases.mine")
    assert mine.items[0].title.startswith(late.number) and mine.items[0].overdue


def test_an_escalation_reaches_the_inbox_of_the_unit_it_went_to(
    client, hui, store_a_manager, north_manager, network
):
    case = _complaint(hui, network.store_a)
    DeadlineWatch.objects.filter(case=case).update(escalation_level=1)
    client.force_login(store_a_manager)
    assert _inbox(client.get("/"))["cases.escalated"] == 1
    client.force_login(north_manager)
    assert _inbox(client.get("/")).get("cases.escalated", 0) == 0
    DeadlineWatch.objects.filter(case=case).update(escalation_level=2)
    assert _inbox(client.get("/"))["cases.escalated"] == 1


def test_compensation_over_her_limit_waits_in_the_managers_inbox_not_hers(
    client, hui, store_a_manager, network
):
    ApprovalLimit.objects.update_or_create(role="case_handler", defaults={"max_amount": 200})
    ApprovalLimit.objects.update_or_create(role="store_manager", defaults={"max_amount": 2000})
    case = _complaint(hui, network.store_a)
    compensation_propose(
        actor=hui, case=case, kind="voucher", amount=Decimal("500"), description="Voucher"
    )
    client.force_login(store_a_manager)
    assert _inbox(client.get("/"))["cases.approvals"] == 1
    client.force_login(hui)
    assert "cases.approvals" not in _inbox(client.get("/"))


def test_the_agent_lands_on_the_next_call(client, agent, programme, closed_event, customer_a):
    event = closed_event("RO-CALL")
    invitation = invitation_create(
        programme=programme, customer=customer_a, event=event, channel="phone", address=""
    )
    Invitation.objects.filter(pk=invitation.pk).update(next_call_at=timezone.now())
    client.force_login(agent)
    page = client.get("/")
    assert page.status_code == 200
    card = {shown.card.key: shown.context for shown in page.context["cards"]}["surveys.next_call"]
    assert card["due"] == 1 and card["next"].url == f"/surveys/calls/{invitation.pk}/"
    assert "Start the call" in page.text


def test_the_top_bar_counts_what_waits_and_keeps_the_count_a_moment(
    client, kept, monkeypatch, hui, network
):
    _complaint(hui, network.store_a)
    client.force_login(hui)
    assert client.get("/inbox/badge/").context["count"] == 1
    _complaint(hui, network.store_a)
    assert client.get("/inbox/badge/").context["count"] == 1  # kept a moment
    _after(monkeypatch, kept + 1)
    assert client.get("/inbox/badge/").context["count"] == 2


def test_a_card_with_nothing_to_show_is_left_out(client, store_a_manager):
    home_card("test.empty", order=1, template="missing.html", shown_to=lambda user: True)(
        lambda user: None
    )
    try:
        client.force_login(store_a_manager)
        page = client.get("/")
        assert page.status_code == 200 and "test.empty" not in _cards(page)
    finally:
        del CARDS["test.empty"]


def test_the_web_app_imports_no_other_app(settings):
    """Cards and inbox sources come to web from the apps, never the other way round."""
    import ast
    from pathlib import Path

    import manyi.web

    others = {"analytics", "cases", "customers", "imports", "surveys", "notify", "jobs"}
    for path in Path(manyi.web.__file__).parent.rglob("*.py"):
        tree = ast.parse(path.read_text())
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.module:
                parts = node.module.split(".")
                assert not (parts[0] == "manyi" and len(parts) > 1 and parts[1] in others), (
                    f"{path.name} imports {node.module}"
                )
