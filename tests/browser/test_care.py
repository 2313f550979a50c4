"""Hui works through today's callbacks on her phone; one customer has an issue and the
call opens a case. The call screen reads in Chinese and fits the phone."""

from datetime import timedelta

from django.utils import timezone

from manyi.care.models import Callback, CareRule
from manyi.care.services import callbacks_schedule, care_rule_save
from manyi.cases.models import Case
from tests.browser.conftest import sign_in


def test_a_caller_works_her_callbacks_on_a_phone_and_one_opens_a_case(
    phone_page, hq_analyst, hui, closed_event, customer_b, network, tmp_path
):
    rule = care_rule_save(
        actor=hq_analyst,
        code="three-day",
        name="三日回访",
        event_kinds=["repair"],
        delay_business_days=0,
    )
    CareRule.objects.filter(pk=rule.pk).update(created_at=timezone.now() - timedelta(days=9))
    closed_event("RO-P1", days_ago=1)
    closed_event("RO-P2", days_ago=1.5, customer=customer_b)
    callbacks_schedule()
    page = phone_page
    sign_in(page, hui.username)
    page.get_by_test_id("start-next-callback").click()
    page.wait_for_selector("[data-testid=callback-script]")
    assert "请问您对这次的维修保养质量" in page.inner_text("[data-testid=callback-script]")
    assert page.evaluate("document.documentElement.scrollWidth") <= 400
    page.screenshot(path=str(tmp_path / "callback-phone.png"), full_page=True)
    first = Callback.objects.get(pk=int(page.url.rstrip("/").rsplit("/", 1)[1]))
    page.select_option("#id_outcome", "satisfied")
    page.click("[data-testid=outcome-form] button[type=submit]")
    # Straight on to the next callback due.
    page.wait_for_url(lambda url: f"/care/callbacks/{first.pk}/" not in url)
    page.select_option("#id_outcome", "issue")
    page.fill("#id_note", "后门异响又出现了")
    page.click("[data-testid=outcome-form] button[type=submit]")
    page.wait_for_url(f"{page.base}/care/callbacks/")
    case = Case.objects.get()
    assert case.description == "后门异响又出现了" and case.channel == "callback"
    assert set(Callback.objects.values_list("status", flat=True)) == {"reached", "issue"}
