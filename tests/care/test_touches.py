"""Care touches: the worker plans reminders, birthdays and festivals a fortnight ahead
and sends each once, through the one contact rule — a birthday once in the whole group,
a greeting only to those who agreed to marketing."""

from datetime import date, datetime, timedelta

import pytest

from manyi.care.models import CareTouch, TouchStatus
from manyi.care.services import care_rule_save
from manyi.care.touches import touches_plan, touches_send
from manyi.customers.models import Customer
from manyi.customers.services import asset_create, event_create
from manyi.notify.models import Message
from tests.conftest import SHANGHAI

TODAY = date(2026, 9, 20)
NOON = datetime(2026, 9, 20, 12, 0, tzinfo=SHANGHAI)


def _rule(hq_analyst, code, kind, **fields):
    return care_rule_save(actor=hq_analyst, code=code, name=code, kind=kind, **fields)


def test_a_lunar_birthday_is_greeted_once_on_its_day(hq_analyst, network, customer_a, customer_b):
    Customer.objects.filter(pk=customer_a.pk).update(
        birth_date=date(1985, 8, 15),
        birthday_lunar=True,  # 2026-09-25 this year
    )
    customer_a.contacts.update(marketing_consent=True)
    _rule(hq_analyst, "birthday", "birthday")
    _rule(hq_analyst, "birthday-north", "birthday", units=[network.north])  # overlaps
    touches_plan(today=TODAY)
    touches_plan(today=TODAY)  # a second worker, a second pass: nothing new
    (touch,) = CareTouch.objects.all()
    assert touch.due_on == date(2026, 9, 25) and touch.customer == customer_a
    assert touches_send(now=NOON) == 0  # not its day yet
    assert touches_send(now=NOON + timedelta(days=5)) == 1
    assert touches_send(now=NOON + timedelta(days=5)) == 0
    message = Message.objects.get(purpose="care")
    assert "Li Ming" in message.body and message.body.endswith("回复TD退订")


def test_a_festival_greeting_skips_those_who_did_not_agree_to_marketing(
    hq_analyst, customer_a, customer_b
):
    customer_a.contacts.update(marketing_consent=True)
    _rule(hq_analyst, "mid-autumn", "festival", festival="mid_autumn", days_before=1)
    touches_plan(today=TODAY)
    assert CareTouch.objects.count() == 2
    touches_send(now=datetime(2026, 9, 24, 10, 0, tzinfo=SHANGHAI))
    sent = CareTouch.objects.get(customer=customer_a)
    skipped = CareTouch.objects.get(customer=customer_b)
    assert sent.status == TouchStatus.SENT and "中秋" in sent.message.body
    assert (skipped.status, skipped.why_not) == (TouchStatus.SKIPPED, "no_contact")


@pytest.fixture
def car(customer_a):
    return asset_create(
        actor=None, customer=customer_a, external_id="VIN-1", kind="vehicle", plate="京A12345"
    )


def test_a_maintenance_reminder_follows_the_cars_own_driving(hq_analyst, network, customer_a, car):
    for ref, day, km in (("M1", date(2026, 1, 5), 10_000), ("M2", date(2026, 5, 5), 16_000)):
        closed = datetime.combine(day, datetime.min.time(), tzinfo=SHANGHAI) + timedelta(hours=15)
        event_create(
            actor=None, external_id=ref, kind="maintenance", unit=network.store_a,
            customer=customer_a, asset=car, opened_at=closed - timedelta(hours=2),
            closed_at=closed, odometer_km=km,
        )  # fmt: skip
    # 6,000 km in 120 days; 5,000 km more in 100 days: 2026-08-13, before six months.
    _rule(hq_analyst, "reminder", "reminder", interval_months=6, interval_km=5000, days_before=7)
    touches_plan(today=date(2026, 8, 1))
    (touch,) = CareTouch.objects.all()
    assert (touch.due_on, touch.send_on, touch.asset) == (date(2026, 8, 13), date(2026, 8, 6), car)
    touches_send(now=datetime(2026, 8, 6, 10, 0, tzinfo=SHANGHAI))
    message = Message.objects.get(purpose="care")
    assert "2026-08-13" in message.body and "京A12345" in message.body
    assert not message.marketing  # a service message: no consent to marketing needed


def test_the_home_card_counts_the_weeks_care_by_kind(
    client, hq_analyst, store_a_manager, customer_a, customer_b
):
    from django.utils import timezone

    today = timezone.localdate()
    for customer in (customer_a, customer_b):
        Customer.objects.filter(pk=customer.pk).update(
            birth_date=today.replace(year=1990) + timedelta(days=3)
        )
    _rule(hq_analyst, "birthday", "birthday")
    touches_plan(today=today)
    for person, count in ((hq_analyst, 2), (store_a_manager, 1)):  # store A sees its own
        client.force_login(person)
        cards = client.get("/").context["cards"]
        week = next(shown.context for shown in cards if shown.card.key == "care.week")
        assert [(str(label), n) for label, n in week["planned"]] == [("Birthday greeting", count)]


def test_a_switched_off_rule_sends_nothing_more(hq_analyst, customer_a):
    from manyi.care.models import CareRule

    customer_a.contacts.update(marketing_consent=True)
    rule = _rule(hq_analyst, "mid-autumn", "festival", festival="mid_autumn")
    touches_plan(today=TODAY)
    CareRule.objects.filter(pk=rule.pk).update(is_active=False)
    touches_send(now=datetime(2026, 9, 25, 10, 0, tzinfo=SHANGHAI))
    (touch,) = CareTouch.objects.all()
    assert (touch.status, touch.why_not) == (TouchStatus.SKIPPED, "rule_off")
    assert not Message.objects.filter(purpose="care").exists()
