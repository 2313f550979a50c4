"""Nick, the North region's manager, acts on a shortfall from a store's dashboard: the
action form comes filled in with the item and its gap; he adds a task, ticks it off and
marks the action done. Then he reads the verdicts of two finished actions: store A's
moved its figure beyond what comparable stores did, store B's recovery is not credited."""

from datetime import timedelta

from django.utils import timezone

from manyi.improve.models import ActionPlan
from tests.browser.conftest import sign_in
from tests.improve.conftest import north, plans  # noqa: F401


def test_from_a_shortfall_to_an_action_to_its_effect(
    page,
    north_manager,
    programme,
    plans,  # noqa: F811
    north,  # noqa: F811
):
    sign_in(page, north_manager.username)
    page.goto(f"{page.base}/analytics/?programme={programme.pk}&unit={north[0].pk}")
    page.locator("[data-testid=shortfall-action]").first.click()
    page.wait_for_selector("[data-testid=action-form]")
    assert page.input_value("#id_title").startswith("Improve: ")
    due = timezone.localdate() + timedelta(days=14)
    page.fill("#id_due_on", due.isoformat())
    page.click("[data-testid=action-form] button[type=submit]")
    page.wait_for_selector("[data-testid=task-form]")
    opened = ActionPlan.objects.exclude(pk__in=[plan.pk for plan in plans]).get()
    assert opened.unit == north[0] and opened.source == "shortfall" and opened.trigger_month
    page.fill("[data-testid=task-form] #id_title", "Brief every advisor")
    page.fill("[data-testid=task-form] #id_due_on", due.isoformat())
    page.click("[data-testid=task-form] button[type=submit]")
    page.click("[data-testid=tasks] button[type=submit]")
    page.click("[data-testid=action-done]")
    page.wait_for_selector("[data-testid=effect-pending]")
    assert page.inner_text("[data-testid=action-status]") == "Done"

    page.goto(f"{page.base}/improve/actions/{plans[0].pk}/")
    page.wait_for_selector("[data-testid=placebo-chart][data-ready]")
    assert page.inner_text("[data-testid=effect-verdict]") == "Moved its figure"
    page.goto(f"{page.base}/improve/actions/{plans[1].pk}/")
    page.wait_for_selector("[data-testid=placebo-chart][data-ready]")
    assert page.inner_text("[data-testid=effect-verdict]") == "Not credited"
    page.goto(f"{page.base}/improve/actions/")
    assert page.inner_text("[data-testid=actions-moved]").startswith("1")
    assert page.problems == []
