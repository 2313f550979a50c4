"""The churn screens as Amy (store A's manager) and Hui (its handler) use them: the risk
list with its reasons, a win-back started from it and a call recorded, the retention
report; Ben of store B sees none of store A's customers."""

import pytest
from django.forms.models import model_to_dict
from django.urls import reverse

from manyi.care.churn import churn_refresh
from manyi.care.churn_selectors import risk_list
from manyi.care.models import ChurnRisk, WinBack, WinBackStatus
from tests.care.conftest import TODAY


@pytest.fixture
def refreshed(crowd, li_ming):
    churn_refresh(today=TODAY)


def test_the_risk_list_says_why_in_the_readers_language(client, refreshed, store_a_manager):
    client.force_login(store_a_manager)
    page = client.get(reverse("care:risk"), HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "Li Ming" in page and "连续两次低分" in page
    page = client.get(reverse("care:risk"), {"reason": "two_poor"}).content.decode()
    assert "Two poor scores in a row" in page and page.count('data-testid="reasons"') == 1


def test_a_bad_filter_is_a_400_that_says_which(client, refreshed, store_a_manager):
    client.force_login(store_a_manager)
    assert client.get(reverse("care:risk"), {"band": "²"}).status_code == 400
    assert client.get(reverse("care:risk"), {"tier": "gold"}).status_code == 400


def test_hui_wins_back_li_ming_from_the_list(client, refreshed, hui, li_ming):
    client.force_login(hui)
    row = li_ming.churn_risks.get()
    answer = client.post(reverse("care:winback_start", args=[row.pk]))
    task = WinBack.objects.get(customer=li_ming)
    assert answer["Location"] == reverse("care:winback", args=[task.pk])
    page = client.post(reverse("care:winback", args=[task.pk]), {"outcome": "lost"})
    assert "Say why the customer left" in page.content.decode()
    call = {"outcome": "lost", "loss_reason": "price", "note": "Cheaper down the road"}
    client.post(reverse("care:winback", args=[task.pk]), call)
    task.refresh_from_db()
    assert task.status == WinBackStatus.LOST and task.loss_reason == "price"
    report = client.get(reverse("care:retention")).content.decode()
    assert "Price" in report and 'data-testid="holdout"' in report


def test_another_store_gets_404s(client, refreshed, hui, li_ming, store_b_manager):
    """Ben of store B: no task, no row, no name."""
    row = li_ming.churn_risks.get()
    client.force_login(hui)
    client.post(reverse("care:winback_start", args=[row.pk]))
    task = WinBack.objects.get(customer=li_ming)
    client.force_login(store_b_manager)
    assert client.get(reverse("care:winback", args=[task.pk])).status_code == 404
    assert client.post(reverse("care:winback_start", args=[row.pk])).status_code == 404
    assert "Li Ming" not in client.get(reverse("care:risk")).content.decode()


def test_the_customer_card_shows_the_reasons_and_the_win_back(client, refreshed, hui, li_ming):
    client.force_login(hui)
    row = li_ming.churn_risks.get()
    client.post(reverse("care:winback_start", args=[row.pk]))
    card = client.get(reverse("customers:detail", args=[li_ming.pk])).content.decode()
    assert 'data-entry="churn_risk"' in card and "Two poor scores in a row" in card
    assert 'data-entry="winback"' in card


def test_the_advisor_hears_first_that_his_customer_may_be_leaving(
    client,
    refreshed,
    advisor_a,
    li_ming,
):
    li_ming.advisor = advisor_a
    li_ming.save(update_fields=["advisor"])
    client.force_login(advisor_a)
    home = client.get(reverse("home")).content.decode()
    assert 'data-testid="card-my-churn"' in home and "Li Ming" in home
    assert client.get(reverse("care:risk")).status_code == 403  # the list is the store's


def test_another_unit_sees_that_someone_is_calling_without_the_task(
    client, refreshed, hui, li_ming, store_b_manager, network
):
    row = li_ming.churn_risks.get()
    ChurnRisk.objects.create(**{**model_to_dict(row, exclude=["id", "customer", "asset", "unit"]),
                                "customer": li_ming, "unit": network.store_b})  # fmt: skip
    client.force_login(hui)
    client.post(reverse("care:winback_start", args=[row.pk]))
    theirs = risk_list(store_b_manager).get(customer=li_ming)
    assert theirs.winback_id is None and theirs.called_elsewhere
    client.force_login(store_b_manager)
    assert "Another unit is calling" in client.get(reverse("care:risk")).content.decode()


def test_the_card_keeps_churn_from_those_the_list_is_not_for(client, refreshed, advisor_a, li_ming):
    client.force_login(advisor_a)
    card = client.get(reverse("customers:detail", args=[li_ming.pk])).content.decode()
    assert 'data-entry="churn_risk"' not in card
