"""Li Ming asks for his data and then to be forgotten: Ada, the data-protection officer,
downloads his export from the card, erases him after typing his id, and the register
page lists both — in English and in Chinese, and on a phone."""

import json

from manyi.customers.models import Customer
from tests.browser.conftest import sign_in


def test_the_officer_exports_then_erases_a_customer_in_both_languages(
    page, phone_page, admin, customer_a, li_ming_history, tmp_path
):
    sign_in(page, admin.username)
    page.goto(f"{page.base}/customers/{customer_a.pk}/")
    page.wait_for_selector("[data-testid=personal-data-panel]")
    with page.expect_download() as download:
        page.get_by_test_id("data-export").click()
    document = json.loads(download.value.path().read_text())
    assert "Li Ming" in json.dumps(document, ensure_ascii=False)
    page.get_by_test_id("data-erase").click()
    page.wait_for_selector("[data-testid=erase-preview]")
    page.fill("#id_confirm", "C-A1")
    page.click("[data-testid=erase-form] button[type=submit]")
    page.wait_for_selector("[data-testid=erased]")
    assert "Erased customer" in page.inner_text("h2, .page-title")
    assert Customer.objects.get(pk=customer_a.pk).erased_at is not None
    page.get_by_role("button", name="中文").click()
    page.wait_for_selector("text=应要求已删除")
    page.goto(f"{page.base}/privacy/")
    text = page.inner_text(".page-wrapper")
    assert "个人信息登记" in text and "已删除个人信息" in text and "已导出个人信息" in text
    page.screenshot(path=str(tmp_path / "privacy-zh.png"), full_page=True)
    page.get_by_role("button", name="English").click()
    assert page.problems == []
    sign_in(phone_page, admin.username)
    phone_page.goto(f"{phone_page.base}/privacy/")
    assert phone_page.evaluate("document.documentElement.scrollWidth") <= 400
