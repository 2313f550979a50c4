"""A complaint in a browser, the way the store's handler and the region manager see
it: Hui takes it through the seven steps, her refund waits for Nick's approval, the
review closes it; the board shows what is open; nothing on the way fails in the page."""

import pytest

from manyi.cases import seeds
from manyi.cases.models import ApprovalLimit, BusinessCalendar, Case, Cause, SlaPolicy
from manyi.cases.services import case_open
from tests.browser.conftest import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def rules():
    """Transactional tests start from empty tables: the seeded rules, again."""
    seeds.seed_defaults(Cause, SlaPolicy, BusinessCalendar)
    seeds.seed_limits(ApprovalLimit)


def test_a_complaint_through_the_seven_steps(page, rules, hui, north_manager, network, customer_a):
    case = case_open(
        actor=hui, kind="complaint", unit=network.store_a, customer=customer_a, owner=hui,
        subject="Engine light on again", channel="phone",
    )  # fmt: skip
    sign_in(page, hui.username)
    page.goto(f"{page.base}/cases/?mine=1")
    assert "left" in page.inner_text("[data-testid=case-queue]")
    page.get_by_role("link", name=case.number).click()
    page.fill("[data-testid=reply-form] textarea", "We are sorry; we will look at it today.")
    page.click("[data-testid=reply-form] button[type=submit]")
    form = page.locator("[data-testid=analyse-form]")
    form.locator("select[name=cause]").select_option(label="Product")
    form.locator("textarea").fill("Faulty sensor batch.")
    form.locator("button[type=submit]").click()
    form = page.locator("[data-testid=propose-form]")
    form.locator("textarea[name=solution]").fill("New sensor and a refund of the repair.")
    form.locator("select[name=kind]").select_option("refund")
    form.locator("input[name=amount]").fill("1200")
    form.locator("button[type=submit]").click()
    assert "awaits approval" in page.inner_text("[data-testid=steps]")

    page.context.clear_cookies()
    sign_in(page, north_manager.username)
    page.goto(f"{page.base}/cases/{case.pk}/")
    page.locator("[data-testid=compensation]").get_by_role("button", name="Approve").click()
    page.fill("#resolve-body", "Sensor replaced, refund paid.")
    page.click("[data-testid=resolve]")
    review = page.locator("[data-testid=review-form]")
    review.locator("textarea[name=root_cause]").fill("A faulty batch from the supplier.")
    review.locator("textarea[name=prevention]").fill("Batches checked at goods-in.")
    review.locator("button[type=submit]").click()
    page.wait_for_selector("[data-step=review] .badge.bg-green-lt")
    assert page.locator("[data-step] .badge.bg-green-lt").count() == 7
    assert Case.objects.get(pk=case.pk).status == "closed"

    page.goto(f"{page.base}/cases/board/?unit={network.north.pk}")
    assert page.inner_text("[data-testid=board-open]") == "0"
    page.goto(f"{page.base}/cases/reports/")
    assert "Product" in page.inner_text("[data-testid=pareto]")
    assert page.problems == []


def test_the_timeline_reads_as_words_in_both_languages(
    page, rules, hui, network, customer_a, tmp_path
):
    from manyi.cases.services import case_resume, case_update, case_wait

    case = case_open(
        actor=hui, kind="complaint", unit=network.store_a, customer=customer_a, owner=hui,
        subject="Scratch on the door", channel="phone",
    )  # fmt: skip
    case_update(actor=hui, case=case, severity="high")
    case_wait(actor=hui, case=case)
    case_resume(actor=hui, case=case)
    sign_in(page, hui.username)
    for language, expected in (
        ("en", ["Severity: Normal → High", "Status: Open → Waiting on the customer"]),
        ("zh-hans", ["严重程度: 一般 → 高", "状态: 处理中 → 等待客户"]),
    ):
        page.context.add_cookies([{"name": "django_language", "value": language, "url": page.base}])
        page.goto(f"{page.base}/cases/{case.pk}/")
        timeline = page.get_by_test_id("timeline")
        text = timeline.inner_text().replace("：", ": ")
        for line in expected:
            assert line in text
        for code in ("severity:", "status:", "normal →", "open →", "waiting →"):
            assert code not in text
        path = tmp_path / f"timeline-{language}.png"
        timeline.screenshot(path=str(path))
        assert path.stat().st_size > 3000
    assert page.problems == []
