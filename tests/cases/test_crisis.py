"""Crises and difficult customers. A customer of store A threatens to go to the press:
the case becomes critical on its own, HQ hears of it at once, and Hui sees the crisis
checklist; a well-connected complainant comes with the guide for handling one.
"""

import pytest

from manyi.cases.crisis import case_crisis_declare, crisis_policy_set
from manyi.cases.models import Case
from manyi.cases.services import case_open, case_update
from manyi.errors import DomainError
from manyi.notify.models import Message


def _complaint(actor, unit, subject, **extra):
    return case_open(
        actor=actor, kind="complaint", unit=unit, subject=subject, channel="phone", **extra
    )


def _hq_with_email(hq_analyst):
    hq_analyst.email = "hana@example.com"
    hq_analyst.save(update_fields=["email"])


def test_words_about_the_press_make_a_new_case_a_crisis_and_hq_hears_at_once(
    hui, hq_analyst, network
):
    _hq_with_email(hq_analyst)
    calm = _complaint(hui, network.store_a, "Car not washed")
    assert not calm.crisis and calm.severity == "normal"
    case = _complaint(hui, network.store_a, "Customer will call a 记者 and post on 微博 tonight")
    assert case.crisis and case.severity == "critical"
    assert "记者" in case.crisis_reason and "微博" in case.crisis_reason
    assert case.resolution_due < calm.resolution_due  # the critical policy's deadlines
    message = Message.objects.get(purpose="case_crisis")
    assert message.recipient == "hana@example.com" and case.number in message.body


def test_a_handler_declares_a_crisis_by_hand_once_and_with_a_reason(hui, network):
    case = _complaint(hui, network.store_a, "Wrong part fitted")
    with pytest.raises(DomainError):
        case_crisis_declare(actor=hui, case=case, reason="  ")
    case = case_crisis_declare(actor=hui, case=case, reason="A lawyer's letter arrived")
    assert Case.objects.get(pk=case.pk).crisis
    with pytest.raises(DomainError):
        case_crisis_declare(actor=hui, case=case, reason="again")


def test_hq_sets_the_crisis_words_and_a_store_may_not(hq_analyst, store_a_manager, hui, network):
    crisis_policy_set(actor=hq_analyst, keywords="电视台， 315")
    assert _complaint(hui, network.store_a, "They called 电视台").crisis
    assert not _complaint(hui, network.store_a, "A 记者 called").crisis
    with pytest.raises(DomainError):
        crisis_policy_set(actor=store_a_manager, keywords="")


def test_the_case_page_shows_the_checklist_and_the_guide_for_the_kind_of_complainant(
    client, hui, network
):
    case = _complaint(hui, network.store_a, "曝光 on TV")
    case_update(actor=hui, case=case, complainant_type="well_connected")
    client.force_login(hui)
    page = client.get(f"/cases/{case.pk}/")
    assert 'data-testid="crisis"' in page.text and len(page.context["checklist"]) == 6
    assert 'data-testid="complainant-guide"' in page.text
    changes = [c for line in page.context["timeline"] for c in line.changes]
    assert ("Kind of complainant", "—", "Well-connected") in changes


def test_declaring_on_screen_needs_a_reason(client, hui, network):
    case = _complaint(hui, network.store_a, "Scratch")
    client.force_login(hui)
    client.post(f"/cases/{case.pk}/crisis/", {"reason": ""})
    assert not Case.objects.get(pk=case.pk).crisis
    client.post(f"/cases/{case.pk}/crisis/", {"reason": "Posted on social media"})
    assert Case.objects.get(pk=case.pk).crisis


def test_an_advisor_may_not_declare_a_crisis_and_is_not_offered_to(client, advisor_a, hui, network):
    case = _complaint(hui, network.store_a, "Scratch")
    with pytest.raises(DomainError):
        case_crisis_declare(actor=advisor_a, case=case, reason="Angry")
    client.force_login(advisor_a)
    assert 'data-testid="crisis-form"' not in client.get(f"/cases/{case.pk}/").text


def test_a_back_filled_old_case_with_crisis_words_is_not_news(hui, network):
    from datetime import timedelta

    from django.utils import timezone

    old = _complaint(
        hui, network.store_a, "记者 called last year", opened_at=timezone.now() - timedelta(days=90)
    )
    assert not old.crisis and not Message.objects.filter(purpose="case_crisis").exists()
