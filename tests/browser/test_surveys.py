"""The survey loop in a real browser: set up, invite, answer on a phone, see it scored."""

from datetime import timedelta

import pytest
from django.utils import timezone

from manyi.surveys.models import Invitation, Programme, Response
from manyi.surveys.services import invitations_trigger
from tests.browser.conftest import sign_in
from tests.surveys.fixtures import GOOD_ANSWERS

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _answer(page, code: str, value) -> None:
    page.locator(f'fieldset[data-item="{code}"] label:has(input[value="{value}"])').first.click()


def test_a_customer_answers_on_a_phone_and_the_analyst_sees_it_scored(
    page, phone_page, hq_analyst, csi_version, network, closed_event, customer_a
):
    # The analyst sets up a 3-day follow-up over the North region on screen.
    sign_in(page, hq_analyst.username)
    page.goto(f"{page.base}/surveys/programmes/new/")
    page.fill("#id_code", "csi-north")
    page.fill("#id_name", "CSI North")
    page.select_option("#id_version", str(csi_version.pk))
    page.check(f"input[name=units][value='{network.north.pk}']")
    # Fields of another sampling mode or channel stay out of the way until chosen.
    assert page.is_hidden("#id_max_call_attempts")
    page.select_option("#id_sampling", "quota")
    assert page.is_visible("#id_quota_per_unit") and page.is_hidden("#id_sample_rate")
    page.select_option("#id_sampling", "all")
    page.check("input[name=channels][value=sms]")
    page.get_by_role("button", name="Save").click()
    page.wait_for_selector("[data-testid=alert-rules]")
    # Pretend it has been running for a month, so last week's repairs are in its window.
    Programme.objects.filter(code="csi-north").update(
        created_at=timezone.now() - timedelta(days=30)
    )

    # A repair closed five days ago; the worker's sweep invites its customer.
    closed_event("RO-9001")
    invitations_trigger()
    invitation = Invitation.objects.get(programme__code="csi-north")

    # Li Ming opens the link on his phone: Chinese, fits the screen, progress is kept.
    phone = phone_page
    phone.goto(f"{phone.base}/s/{invitation.token}/")
    assert "请" in phone.inner_text("body") or "满意" in phone.inner_text("body")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 400
    # The 0–10 question on one row, with its end labels; how far along, in view.
    tops = phone.locator('fieldset[data-item="NPS"] .scale-point').evaluate_all(
        "points => points.map(p => Math.round(p.getBoundingClientRect().top))"
    )
    assert len(tops) == 11 and len(set(tops)) == 1
    assert phone.inner_text("[data-progress] [data-done]") == "0"
    _answer(phone, "SI1", 9)
    phone.wait_for_selector("#saved:not(:empty)")
    phone.reload()
    assert phone.locator('fieldset[data-item="SI1"] input[value="9"]').is_checked()
    for code, value in GOOD_ANSWERS.items():
        if code == "CONTACT_ME":
            _answer(phone, code, "no")
        else:
            _answer(phone, code, value)
    total = phone.inner_text("[data-progress] [data-total]")
    assert phone.inner_text("[data-progress] [data-done]") == total
    phone.get_by_test_id("submit").click()
    phone.wait_for_selector("[data-testid=thanks]")
    response = Response.objects.get()
    assert response.channel == "sms" and response.index is not None

    # The analyst sees the scored response on the customer's timeline and in the funnel.
    page.goto(f"{page.base}/customers/{customer_a.pk}/")
    page.locator('[data-entry="response"] a').click()
    page.wait_for_selector("[data-testid=index]")
    assert page.inner_text("[data-testid=index]") == f"{response.index:.0f}"
    page.goto(f"{page.base}/surveys/programmes/{invitation.programme_id}/")
    assert page.inner_text("[data-testid=response-rate]") == "100 %"
    assert page.problems == []
