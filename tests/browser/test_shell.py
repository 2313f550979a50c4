"""A person signs in, sees the home page in both languages, and works on a phone."""

import pytest

from tests.browser.conftest import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_each_role_finds_its_work_on_the_first_screen_in_both_languages(
    page, hq_analyst, store_a_manager, hui, advisor_a, agent, programme, closed_event, customer_a
):
    from django.utils import timezone

    from manyi.cases.services import case_open
    from manyi.surveys.models import Invitation
    from manyi.surveys.services import invitation_create

    case = case_open(
        actor=hui, kind="complaint", unit=store_a_manager.unit, subject="Noise after repair",
        channel="phone", owner=hui,
    )  # fmt: skip
    call = invitation_create(
        programme=programme, customer=customer_a, event=closed_event("RO-CALL"), channel="phone",
        address="",
    )  # fmt: skip
    Invitation.objects.filter(pk=call.pk).update(next_call_at=timezone.now())
    expected = {
        hq_analyst: "card-satisfaction",
        store_a_manager: "card-cases-deadlines",
        hui: "home-inbox-cases.mine",
        advisor_a: "card-own-figures",
        agent: "card-next-call",
    }
    for person, card in expected.items():
        page.context.clear_cookies()
        sign_in(page, person.username)
        page.wait_for_selector(f"[data-testid='{card}']")
        if person == hui:
            assert case.number in page.get_by_test_id(card).inner_text()
            page.wait_for_selector("[data-testid=inbox-count]")  # the top bar's count
            assert page.get_by_test_id("inbox-count").inner_text() == "2"  # her case, a call
    page.get_by_role("button", name="中文").click()
    page.wait_for_selector("text=下一通电话")
    assert "开始通话" in page.get_by_test_id("card-next-call").inner_text()
    page.get_by_role("button", name="English").click()
    page.wait_for_selector("text=Next call")
    assert page.problems == []  # no script errors, no blocked inline code


def test_the_customer_card_tells_the_whole_relationship_in_both_languages(
    page, store_a_manager, advisor_a, customer_a, event_a
):
    from datetime import timedelta

    from django.utils import timezone

    from manyi.care.models import EventInvitation
    from manyi.care.owner_events import invitation_answer, owner_event_create
    from manyi.cases.services import case_open
    from manyi.customers.models import Customer

    Customer.objects.filter(pk=customer_a.pk).update(advisor=advisor_a)
    case_open(
        actor=store_a_manager,
        kind="complaint",
        unit=event_a.unit,
        subject="Paint scratched at the wash",
        channel="phone",
        customer=customer_a,
    )
    evening = owner_event_create(
        actor=store_a_manager,
        unit=event_a.unit,
        name="Owners' evening",
        starts_at=timezone.now() + timedelta(days=5),
        place="Showroom",
        capacity=20,
    )
    invitation = EventInvitation.objects.create(event=evening, customer=customer_a)
    invitation_answer(actor=store_a_manager, invitation=invitation, status="accepted")  # fmt: skip
    sign_in(page, store_a_manager.username)
    page.goto(f"{page.base}/customers/{customer_a.pk}/")
    assert page.get_by_test_id("advisor").inner_text() == "Alan_Advisor"
    timeline = page.get_by_test_id("timeline")
    for kind in ("service_event", "case", "event_invitation"):
        assert timeline.locator(f"[data-entry={kind}]").count() == 1, kind
    assert "Paint scratched" in timeline.inner_text() and "Coming" in timeline.inner_text()
    assert "138****5678" in page.inner_text("#personal-data")
    page.get_by_test_id("reveal").click()
    page.wait_for_selector("[data-testid=revealed]")
    assert "138 1234 5678" in page.inner_text("#personal-data")
    page.get_by_role("button", name="中文").click()
    page.wait_for_selector("text=客户管理卡：服务历史")
    text = page.inner_text(".page-wrapper")
    assert "专属顾问" in text and "车主活动" in text and "将出席" in text
    assert "Coming" not in text and "Owner event" not in text  # no English left behind
    page.get_by_role("button", name="English").click()
    assert page.problems == []


def test_an_upload_with_a_bad_row_lists_the_error_and_stores_nothing(
    page, store_a_manager, tmp_path
):
    from manyi.customers.models import Customer

    sign_in(page, store_a_manager.username)
    path = tmp_path / "customers.csv"
    path.write_bytes("external_id,name,unit_code\nC1,李明,S-A\nC2,王芳,S-X\n".encode("gbk"))
    page.goto(f"{page.base}/imports/")
    page.select_option("#id_kind", "customers")
    page.set_input_files("#id_file", str(path))
    page.get_by_role("button", name="Upload and check").click()
    page.wait_for_selector("[data-testid=error-table]")
    assert "no unit has this code" in page.inner_text("[data-testid=error-table]")
    assert not Customer.objects.exists()


def test_the_home_page_works_on_a_phone(phone_page, store_a_manager, event_a):
    page = phone_page
    sign_in(page, store_a_manager.username)
    page.wait_for_selector("[data-testid=card-cases-deadlines]")
    assert "工单时限" in page.get_by_test_id("card-cases-deadlines").inner_text()
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 400, "nothing runs off the side of a phone screen"
    page.click(".navbar-toggler")
    page.get_by_test_id("nav-customers").click()
    page.get_by_role("link", name="客户", exact=True).click()
    page.wait_for_selector("[data-testid=customer-table]")


def test_hq_sets_up_two_factor_sign_in_then_signs_in_with_a_code(page, hq_analyst, settings):
    import time

    from tests.web.test_two_factor import totp

    settings.TWO_FACTOR_ROLES = ["admin", "hq_analyst"]
    page.goto(page.base + "/login/")
    page.fill("#id_username", hq_analyst.username)
    page.fill("#id_password", "a-long-test-password")
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_selector("[data-testid=two-factor-qr]")
    assert page.get_by_test_id("two-factor-qr").evaluate("img => img.naturalWidth") > 100
    secret = page.get_by_test_id("two-factor-secret").inner_text()
    page.fill("#id_code", totp(secret))
    page.get_by_role("button", name="Turn on").click()
    page.wait_for_selector("[data-testid=recovery-codes]")
    assert page.get_by_test_id("recovery-codes").locator("li").count() == 10
    page.get_by_role("link", name="I have kept them").click()
    page.wait_for_url(page.base + "/")
    page.wait_for_selector("[data-testid=nav-analytics], .nav-link >> text=Analytics")
    # The next day: password, then a code from the app.
    page.context.clear_cookies()
    page.goto(page.base + "/cases/")
    page.fill("#id_username", hq_analyst.username)
    page.fill("#id_password", "a-long-test-password")
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_selector("text=Enter your code")
    page.fill("#id_code", totp(secret, at=time.time() + 30))
    page.get_by_role("button", name="Continue").click()
    page.wait_for_url("**/cases/")
    assert page.problems == []
