"""Survey integrity: results a store could game are flagged, shown apart and left out
of the figures; open links are capped per address. What the answers tell is flagged on
submit; what needs other rows (phones, bursts) when the worker counts the response.

Li Ming is a customer of store A; Alan advises there; Hana at HQ runs the programmes.
"""

from datetime import timedelta

from django.test import Client
from django.utils import timezone

from manyi.analytics.models import Rollup
from manyi.analytics.services import rollups_fold, rollups_rebuild
from manyi.customers.services import customer_create
from manyi.org.services import staff_update
from manyi.surveys.models import IntegrityPolicy, Invitation, Response
from manyi.surveys.services import (
    alert_rule_save,
    invitation_create,
    open_link_create,
    response_submit,
)
from manyi.surveys.services.integrity import integrity_policy_set
from tests.surveys.fixtures import GOOD_ANSWERS


def _counted(response):
    """The response as it stands once the worker has counted it."""
    rollups_fold()
    response.refresh_from_db()
    return response


def _invite(programme, customer, event=None, *, opened_ago=None):
    invitation = invitation_create(
        programme=programme, customer=customer, event=event, channel="link", address=""
    )
    if opened_ago is not None:
        opened = timezone.now() - opened_ago
        Invitation.objects.filter(pk=invitation.pk).update(opened_at=opened)
    return invitation


def test_an_honest_response_has_no_flags(programme, customer_a, event_a):
    invitation = _invite(programme, customer_a, event_a, opened_ago=timedelta(minutes=5))
    response = _counted(response_submit(token=invitation.token, answers=GOOD_ANSWERS))
    assert (response.flags, response.excluded) == ([], False)


def test_an_answer_from_a_staff_phone_is_flagged_and_left_out_of_the_figures(
    programme, advisor_a, customer_a, event_a
):
    staff_update(actor=None, staff=advisor_a, phone="138 1234 5678")
    invitation = _invite(programme, customer_a, event_a, opened_ago=timedelta(minutes=5))
    response = response_submit(token=invitation.token, answers=GOOD_ANSWERS)
    assert (response.flags, response.excluded) == ([], False)  # not yet counted
    response = _counted(response)
    assert response.flags == ["staff_phone"] and response.excluded
    assert not Rollup.objects.filter(responses__gt=0).exists()


def test_with_the_policy_off_a_flagged_answer_still_counts(
    programme, advisor_a, customer_a, event_a
):
    integrity_policy_set(actor=None, exclude_flagged=False)
    staff_update(actor=None, staff=advisor_a, phone="13812345678")
    invitation = _invite(programme, customer_a, event_a, opened_ago=timedelta(minutes=5))
    response = _counted(response_submit(token=invitation.token, answers=GOOD_ANSWERS))
    assert response.flags == ["staff_phone"] and not response.excluded
    assert Rollup.objects.filter(responses__gt=0).exists()


def test_one_phone_answering_for_many_customers_is_flagged(programme, network, customer_a):
    for n in range(2):
        customer_create(
            actor=None,
            external_id=f"SAME-{n}",
            unit=network.store_a,
            name=f"Other {n}",
            phone="13812345678",
        )
    invitation = _invite(programme, customer_a, opened_ago=timedelta(minutes=5))
    response = _counted(response_submit(token=invitation.token, answers=GOOD_ANSWERS))
    assert response.flags == ["shared_phone"]


def test_a_form_clicked_through_in_seconds_is_flagged(programme, customer_a):
    invitation = _invite(programme, customer_a, opened_ago=timedelta(seconds=4))
    assert "too_fast" in response_submit(token=invitation.token, answers=GOOD_ANSWERS).flags


def test_every_rating_the_same_is_shown_apart_but_counted_unless_hq_chooses(programme, customer_a):
    same = {code: 10 if type(value) is int else value for code, value in GOOD_ANSWERS.items()}
    invitation = _invite(programme, customer_a, opened_ago=timedelta(minutes=5))
    response = response_submit(token=invitation.token, answers=same)
    assert (response.flags, response.excluded) == (["straight_line"], False)
    integrity_policy_set(actor=None, exclude_straight_line=True)
    invitation = _invite(programme, customer_a, opened_ago=timedelta(minutes=5))
    assert response_submit(token=invitation.token, answers=same).excluded


def test_a_burst_on_an_open_link_is_flagged_from_the_answer_that_makes_it(
    client, hq_analyst, programme, network
):
    link = open_link_create(actor=hq_analyst, programme=programme, unit=network.store_a)
    responses = []
    for n in range(6):
        device = Client(REMOTE_ADDR=f"198.51.100.{n}")
        token = device.get(f"/s/open/{link.token}/")["Location"].strip("/").split("/")[-1]
        Invitation.objects.filter(token=token).update(
            opened_at=timezone.now() - timedelta(minutes=2)
        )
        responses.append(response_submit(token=token, answers=GOOD_ANSWERS))
    rollups_fold()  # one batch, as the worker takes them
    assert [Response.objects.get(pk=r.pk).flags for r in responses] == [[]] * 5 + [["burst"]]


def test_a_rebuild_reviews_the_responses_the_worker_has_not_counted_yet(
    programme, advisor_a, customer_a, event_a
):
    staff_update(actor=None, staff=advisor_a, phone="13812345678")
    invitation = _invite(programme, customer_a, event_a, opened_ago=timedelta(minutes=5))
    response = response_submit(token=invitation.token, answers=GOOD_ANSWERS)
    rollups_rebuild()
    response.refresh_from_db()
    assert response.flags == ["staff_phone"] and response.excluded
    assert not Rollup.objects.filter(responses__gt=0).exists()


def test_an_address_gets_a_days_worth_of_open_link_forms_however_many_cookies_it_drops(
    hq_analyst, programme, network
):
    integrity_policy_set(actor=None, open_link_starts_per_address=3)
    link = open_link_create(actor=hq_analyst, programme=programme, unit=network.store_a)
    answers = [
        Client(REMOTE_ADDR="203.0.113.7").get(f"/s/open/{link.token}/").status_code
        for _ in range(4)
    ]
    assert answers == [302, 302, 302, 429]


def test_a_keyword_rule_fires_on_a_text_answer(hq_analyst, programme, customer_a):
    alert_rule_save(actor=hq_analyst, programme=programme, kind="keyword", keywords="rude, 态度差")
    invitation = _invite(programme, customer_a, opened_ago=timedelta(minutes=5))
    response = response_submit(
        token=invitation.token, answers={**GOOD_ANSWERS, "REASON": "The advisor was rude."}
    )
    assert [alert.reason for alert in response.alerts.filter(rule__kind="keyword")] == ["“rude”"]


def test_each_store_sees_its_flagged_share_and_only_hq_sets_the_policy(
    client, store_a_manager, hq_analyst, advisor_a, programme, customer_a, event_a
):
    staff_update(actor=None, staff=advisor_a, phone="13812345678")
    invitation = _invite(programme, customer_a, event_a, opened_ago=timedelta(minutes=5))
    _counted(response_submit(token=invitation.token, answers=GOOD_ANSWERS))
    client.force_login(store_a_manager)
    page = client.get("/surveys/integrity/")
    assert [(row["unit__name"], row["total"], row["flagged"], row["staff_phone"])
            for row in page.context["rows"]] == [("Store A", 1, 1, 1)]  # fmt: skip
    text = page.content.decode()
    assert "100 %" in text and "Answered from a staff member" in text
    assert 'data-testid="integrity-policy"' not in page
    assert client.post("/surveys/integrity/policy/", {}).status_code == 403
    client.force_login(hq_analyst)
    client.post(
        "/surveys/integrity/policy/",
        {
            "seconds_per_item": 2,
            "straight_line_items": 10,
            "shared_phone_customers": 3,
            "burst_responses": 6,
            "burst_minutes": 10,
            "open_link_starts_per_address": 10,
        },
    )
    policy = IntegrityPolicy.current()
    assert (policy.exclude_flagged, policy.seconds_per_item) == (False, 2)
    assert Response.objects.get().excluded  # decided when it was counted
