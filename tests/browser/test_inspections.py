"""Amy, store A's manager, carries out her store's inspection on a 390-px phone. Her
answers survive a reload; then the connection drops: she answers the rest and presses
Send, nothing reaches the server and nothing is lost; when the connection returns the
report is sent by itself and stored once."""

from django.urls import reverse
from django.utils import timezone

from manyi.improve.models import InspectionAnswer
from manyi.improve.services.inspections import inspections_schedule
from tests.browser.conftest import sign_in


def test_an_inspection_on_a_phone_survives_a_lost_connection(
    phone_page, checklist, network, hq_analyst, store_a_manager, reception
):
    page = phone_page
    planned = inspections_schedule(actor=hq_analyst, checklist=checklist, units=[network.store_a],
                                   planned_for=timezone.localdate())[0]  # fmt: skip
    covers, lounge, drinks = reception
    sign_in(page, store_a_manager.username)
    page.goto(page.base + reverse("improve:inspection_carry_out", args=[planned.pk]))
    page.click(f"[data-item='{covers.pk}'] input[value=no] + span")
    page.fill(f"[name=note-{covers.pk}]", "座椅套没有铺")
    page.wait_for_selector("[data-testid=check-status]:not([hidden])")
    page.reload()
    page.wait_for_selector("[data-testid=check-status]:not([hidden])")
    assert page.is_checked(f"[data-item='{covers.pk}'] input[value=no]")
    assert page.input_value(f"[name=note-{covers.pk}]") == "座椅套没有铺"

    page.context.set_offline(True)
    page.click(f"[data-item='{lounge.pk}'] input[value='4'] + span")
    page.click("[data-testid=send]")  # one standard left: said, not sent
    assert "alert-danger" in page.get_attribute("[data-testid=check-status]", "class")
    page.click(f"[data-item='{drinks.pk}'] input[value=yes] + span")
    page.click("[data-testid=send]")
    page.wait_for_selector("[data-testid=check-status].alert-warning")
    assert not InspectionAnswer.objects.exists()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390

    page.context.set_offline(False)
    page.wait_for_url(page.base + reverse("improve:inspection", args=[planned.pk]))
    planned.refresh_from_db()
    assert planned.status == "done" and planned.score == 60.0  # (0 + 4/5 + 1) / 3
    assert planned.answers.get(standard=covers).note == "座椅套没有铺"
    assert InspectionAnswer.objects.count() == 3
