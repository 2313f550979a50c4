"""The demo network: deterministic for a seed, loaded once, with real structure in it."""

import hashlib
import io
from datetime import date

import pytest
from django.core.management import call_command
from django.db.models import Count, Sum

from manyi.analytics.periods import Span
from manyi.customers.models import Customer, ServiceEvent, Tier
from manyi.demo.structure import store_profile
from manyi.org.models import Role, Staff, Unit
from manyi.surveys.models import Response

SMALL = ["--stores", "6", "--customers", "600", "--months", "12", "--until", "2026-06-30"]


def load(*extra: str) -> str:
    out = io.StringIO()
    call_command("demo", *SMALL, *extra, stdout=out)
    return out.getvalue()


def digest() -> str:
    rows = ServiceEvent.objects.order_by("external_id").values_list(
        "external_id", "customer__external_id", "unit__code", "kind", "opened_at", "amount"
    )
    return hashlib.sha256(repr(list(rows)).encode()).hexdigest()


def test_the_demo_prints_a_login_for_every_role(db):
    output = load()
    for username in ("admin", "hq", "region1", "store1", "advisor1", "handler1", "agent"):
        assert f"  {username} " in output
    roles = set(
        Staff.objects.filter(
            username__in=["admin", "hq", "region1", "store1", "advisor1", "handler1", "agent"]
        ).values_list("role", flat=True)
    )
    assert roles == set(Role.values)


def test_a_second_run_neither_fails_nor_duplicates(db):
    load()
    counts = (Unit.objects.count(), Customer.objects.count(), ServiceEvent.objects.count())
    assert "already loaded" in load()
    assert (Unit.objects.count(), Customer.objects.count(), ServiceEvent.objects.count()) == counts


@pytest.mark.django_db(transaction=True)
def test_the_same_seed_gives_the_same_network():
    load()
    first = digest()
    call_command("flush", "--noinput", stdout=io.StringIO())
    load()
    assert digest() == first


def test_history_stays_within_the_requested_months(db):
    load()
    first = ServiceEvent.objects.order_by("opened_at").first().opened_at.date()
    last = ServiceEvent.objects.order_by("-opened_at").first().opened_at.date()
    assert date(2025, 7, 1) <= first and last <= date(2026, 6, 30)


def test_the_top_fifth_of_customers_bring_most_of_the_revenue(db):
    load()
    rows = Customer.objects.values("tier").annotate(n=Count("id"), revenue=Sum("window_revenue"))
    by_tier = {row["tier"]: row for row in rows}
    top = [by_tier[t] for t in (Tier.SUPER_HEAVYWEIGHT, Tier.HEAVYWEIGHT) if t in by_tier]
    total = sum(row["revenue"] for row in rows)
    assert sum(row["revenue"] for row in top) / total > 0.5


def test_spring_festival_month_is_quieter_than_march(db):
    load("--customers", "1500")
    feb = ServiceEvent.objects.filter(opened_at__month=2).count()
    march = ServiceEvent.objects.filter(opened_at__month=3).count()
    assert feb < 0.8 * march


def test_stores_weak_on_service_quality_see_more_repeat_repairs(db):
    out = io.StringIO()
    call_command(
        "demo",
        "--stores",
        "24",
        "--customers",
        "4000",
        "--months",
        "12",
        "--until",
        "2026-06-30",
        stdout=out,
    )
    weak = {
        code
        for code in Unit.objects.filter(level="store").values_list("code", flat=True)
        if "service_quality" in store_profile(7, code).weak_factors
    }
    assert weak, "with seed 7 some of 24 stores are weak on service quality"
    repairs = ServiceEvent.objects.filter(kind="repair")

    def comeback_share(in_weak: bool) -> float:
        chosen = (
            repairs.filter(unit__code__in=weak) if in_weak else repairs.exclude(unit__code__in=weak)
        )
        return chosen.filter(amount=0).count() / chosen.count()

    assert comeback_share(True) > 2 * comeback_share(False)


def _factor_means(responses):
    sums: dict[tuple[str, str], list[float]] = {}
    for unit, scores in responses:
        for factor, value in scores["factors"].items():
            sums.setdefault((unit, factor), []).append(value)
    return {key: sum(values) / len(values) for key, values in sums.items()}


def test_the_demo_ships_scored_csi_and_nps_responses(db):
    load()
    by_programme = dict(Response.objects.values_list("programme__code").annotate(n=Count("id")))
    assert by_programme["csi-follow-up"] > 200 and by_programme["nps-follow-up"] > 30
    months = {
        at.strftime("%Y-%m") for at in Response.objects.values_list("submitted_at", flat=True)
    }
    assert len(months) >= 11
    assert not Response.objects.filter(programme__code="csi-follow-up", index=None).exists()


def test_one_store_games_its_results_and_the_integrity_checks_find_it(db):
    load()
    # An honest customer may rate everything the best (shown apart, still counted); only
    # the gaming store's answers are left out of the figures.
    excluded = Response.objects.filter(excluded=True)
    assert set(excluded.values_list("unit__code", flat=True)) == {"S0002"}
    reasons = {flag for flags in excluded.values_list("flags", flat=True) for flag in flags}
    assert reasons == {"straight_line", "too_fast", "staff_phone"}
    assert not Response.objects.filter(rolled_up=False).exists()


def test_weak_stores_score_low_on_their_weak_factors(db):
    load()
    means = _factor_means(
        Response.objects.filter(programme__code="csi-follow-up").values_list("unit__code", "scores")
    )
    stores = {unit for unit, _factor in means}
    weak = [(code, factor) for code in stores for factor in store_profile(7, code).weak_factors]
    assert weak, "the small demo network has at least one weak store"
    for code, factor in weak:
        others = [means[other, factor] for other in stores if other != code]
        assert means[code, factor] < min(others)


@pytest.mark.django_db(transaction=True)
def test_survey_answers_are_the_same_for_the_same_seed():
    load()
    first = list(
        Response.objects.order_by("event__external_id").values_list("event__external_id", "answers")
    )
    call_command("flush", "--noinput", stdout=io.StringIO())
    load()
    again = list(
        Response.objects.order_by("event__external_id").values_list("event__external_id", "answers")
    )
    assert first == again


def test_the_call_centre_has_interviews_due_and_stores_have_counter_codes(db):
    from manyi.surveys.models import Invitation, OpenLink

    load()
    due = Invitation.objects.filter(channel="phone", status="created", next_call_at__isnull=False)
    assert due.count() > 0
    assert OpenLink.objects.count() == 3


def _history() -> Span:
    return Span.of_dates(date(2025, 7, 1), date(2026, 6, 30))


def test_the_advisor_ranking_follows_the_planted_advisor_skill(db):
    from scipy.stats import spearmanr

    from manyi.analytics.reports.staff import staff_report
    from manyi.demo.structure import advisor_skill
    from manyi.surveys.models import Programme

    load()
    programme = Programme.objects.get(code="csi-follow-up")
    figures = staff_report(version_id=programme.version_id, months=_history(), scope=None, min_n=8)
    ranked = [f for f in figures if f.rankable]
    assert len(ranked) >= 8
    skill = [advisor_skill(7, f.staff.code) for f in ranked]
    assert spearmanr([f.index for f in ranked], skill).statistic > 0.5


def test_the_rater_gaps_find_responsiveness_short_across_the_network(db):
    from manyi.analytics.reports.gaps import gap_report
    from manyi.surveys.models import Programme

    load()
    programme = Programme.objects.get(code="rater-follow-up")
    report = gap_report(version_id=programme.version_id, months=_history(), scope=None)
    worst = min(report.dimensions, key=lambda dimension: dimension.gap.gap)
    assert worst.code == "responsiveness" and worst.gap.p < 0.05


def test_the_demo_has_cases_consistent_with_the_surveys(db):
    """Complaints follow the low survey answers and the weak stores; the weak stores
    miss more deadlines; today's queue has fresh cases for the handler."""
    from manyi.cases.models import Case, DeadlineAction

    load()
    complaints = Case.objects.filter(kind="complaint")
    months = {(c.year, c.month) for c in complaints.dates("opened_at", "month")}
    assert len(months) >= 11
    from_alerts = complaints.filter(channel="survey").select_related("response")
    assert from_alerts.exists()
    # each one came from a response that raised a hot alert
    assert not from_alerts.filter(response__alerts=None).exists()
    weak = {
        u.pk for u in Unit.objects.filter(level="store") if store_profile(7, u.code).weak_factors
    }
    assert weak
    per_store = dict(complaints.values("unit").annotate(n=Count("id")).values_list("unit", "n"))
    late = dict(
        DeadlineAction.objects.values("case__unit")
        .annotate(n=Count("id"))
        .values_list("case__unit", "n")
    )
    strong = set(per_store) - weak

    def mean(values):
        values = list(values)
        return sum(values) / len(values)

    assert mean(per_store[pk] for pk in weak) > mean(per_store[pk] for pk in strong)
    assert mean(late.get(pk, 0) / per_store[pk] for pk in weak) > mean(
        late.get(pk, 0) / per_store[pk] for pk in strong
    )
    handler = Staff.objects.get(username="handler1")
    assert Case.objects.filter(owner=handler, status="open").count() >= 3


def test_the_demo_sets_targets_and_plants_actions_with_their_stories(db):
    """HQ sets each region a target and the regions their stores; the planted stories'
    stores acted on their figure; the overdue action was warned once and escalated once
    to its region."""
    from manyi.demo.structure import action_stories
    from manyi.improve.models import ActionDeadline, ActionPlan, Target

    load()
    assert Target.objects.filter(unit__level="region").count() == 4
    assert Target.objects.filter(unit__level="store").count() == 6
    stories = action_stories(
        7, list(Unit.objects.filter(level="store").values_list("code", flat=True))
    )
    assert stories, "the small demo network has a story to tell"
    for code, story in stories.items():
        plan = ActionPlan.objects.get(unit__code=code, source="shortfall")
        assert plan.variable == story.figure
        assert plan.status == ("open" if story.kind == "overdue" else "done")
    overdue = ActionDeadline.objects.filter(kind="breach")
    for breach in overdue:
        assert breach.escalated_to == breach.plan.unit.parent
    assert overdue.count() == sum(story.kind == "overdue" for story in stories.values())


def test_the_demo_writes_a_standards_library(db):
    from manyi.improve.models import ServiceStep, Standard

    load()
    assert ServiceStep.objects.count() == 6
    assert Standard.objects.count() >= 35
    assert set(Standard.objects.values_list("standard_class", flat=True)) == {
        "basic",
        "performance",
        "motivation",
    }
    assert Standard.objects.filter(customer_visible=True).exists()
