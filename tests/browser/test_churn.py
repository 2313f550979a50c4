"""Amy, store A's manager, opens the churn-risk list on her phone, sees why Li Ming is on
it, calls him and records that he left over an unresolved dissatisfaction; the retention
report then counts the reason and draws its charts."""

from manyi.care.churn import churn_refresh
from manyi.care.models import WinBack, WinBackStatus
from tests.browser.conftest import sign_in
from tests.care.conftest import TODAY, crowd, li_ming  # noqa: F401
from tests.surveys.fixtures import csi_version  # noqa: F401


def test_a_store_manager_calls_a_drifting_customer_from_her_phone(
    phone_page,
    store_a_manager,
    li_ming,  # noqa: F811
    crowd,  # noqa: F811
    tmp_path,
):
    churn_refresh(today=TODAY)
    page = phone_page
    sign_in(page, store_a_manager.username)
    page.wait_for_selector("[data-testid=card-churn]")
    page.goto(f"{page.base}/care/risk/?reason=two_poor")
    row = page.locator("[data-testid=risk-table] tbody tr").first
    assert "Li Ming" in row.inner_text()
    assert "连续两次低分" in row.get_by_test_id("reasons").inner_text()
    assert page.evaluate("document.documentElement.scrollWidth") <= 400
    page.screenshot(path=str(tmp_path / "risk-phone.png"), full_page=True)
    row.locator("button[type=submit]").click()
    page.wait_for_selector("[data-testid=winback-form]")
    assert "好久没见到您了" in page.inner_text("[data-testid=winback-script]")
    page.select_option("#id_outcome", "lost")
    page.select_option("#id_loss_reason", "dissatisfied")
    page.fill("#id_note", "上次修车的问题一直没解决")
    page.click("[data-testid=winback-form] button[type=submit]")
    page.wait_for_selector("[data-testid=calls]")
    task = WinBack.objects.get(customer=li_ming)
    assert task.status == WinBackStatus.LOST and task.loss_reason == "dissatisfied"
    page.goto(f"{page.base}/care/retention/")
    page.wait_for_selector("[data-testid=holdout-chart][data-ready]")
    assert "不满未得到解决" in page.inner_text("[data-testid=loss-reasons]")
    assert page.locator("[data-testid=loss-chart][data-ready]").count() == 1
