"""Amy, store A's manager, opens last month's cards: each advisor's index with its
interval, Alan's points with their reasons; she assigns Bo the course proposed for the
standard her store failed. Hana (HQ) sees the award shortlist and the 3S scatter."""

import uuid
from decimal import Decimal

from django.urls import reverse
from django.utils import timezone

from manyi.improve.services.inspections import Given, inspection_record, inspections_schedule
from manyi.people.models import TrainingAssignment
from manyi.people.services.scorecards import scorecards_compute
from manyi.people.services.training import course_save
from tests.browser.conftest import sign_in


def test_a_store_manager_reads_the_cards_and_assigns_training_from_a_failure(
    page, network, hq_analyst, store_a_manager, checklist, reception, last_month, advisors
):
    alan, bo, *_rest = advisors
    covers, lounge, drinks = reception
    course_save(actor=hq_analyst, title="三件套", title_en="Protective covers", hours=Decimal(1),
                items=[], standards=[covers])  # fmt: skip
    check = inspections_schedule(actor=hq_analyst, checklist=checklist, units=[network.store_a],
                                 planned_for=timezone.localdate())[0]  # fmt: skip
    inspection_record(actor=store_a_manager, inspection=check, submission_key=uuid.uuid4(),
                      answers={covers.pk: Given("no"), lounge.pk: Given("4"),
                               drinks.pk: Given("yes")})  # fmt: skip
    scorecards_compute(period=last_month)

    sign_in(page, store_a_manager.username)
    page.goto(page.base + reverse("people:scorecards"))
    rows = page.locator("[data-testid=cards-staff] [data-testid=card-row]")
    assert rows.count() == 2  # Alan and Bo: store B's are not hers
    assert page.locator("[data-testid=cards-staff] svg.interval").count() == 2
    page.click(f"text={alan}")
    assert page.locator("[data-testid=point-entries]").inner_text().count("Praise case") == 1
    page.goto(page.base + reverse("people:assign", args=[bo.pk]))
    proposal = page.locator("[data-testid=proposals] tr", has_text="Protective covers")
    assert "Protective covers in front of the customer" in proposal.inner_text()
    proposal.locator("[data-testid=assign-proposed]").click()
    page.wait_for_url(f"**{reverse('people:training')}?staff={bo.pk}")
    plan = TrainingAssignment.objects.get(staff=bo)
    assert plan.reason == "standard:covers" and plan.due_on > timezone.localdate()
    assert not page.problems


def test_headquarters_sees_the_shortlist_and_the_three_s_scatter(
    page, hq_analyst, last_month, five_ranked, es_stores
):
    advisors = five_ranked
    scorecards_compute(period=last_month)
    sign_in(page, hq_analyst.username)
    page.goto(f"{page.base}{reverse('people:awards')}?period={last_month.pk}")
    shortlist = page.locator("[data-testid=shortlist-staff]").inner_text()
    assert str(advisors[0]) in shortlist
    page.goto(page.base + reverse("people:three_s", args=[es_stores.pk]))
    page.wait_for_selector("[data-testid=three-s-chart] canvas")
    assert "6 stores" in page.locator("[data-testid=correlation]").inner_text()
    assert not page.problems
