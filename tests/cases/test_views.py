"""The case screens as a store manager uses them: open a case, see it in the queue
with its time left, answer it, and never see another store's cases."""

import pytest

from manyi.cases.models import Case, CaseStatus, EntryKind


@pytest.fixture
def opened(client, store_a_manager, network, customer_a):
    client.force_login(store_a_manager)
    answer = client.post(
        "/cases/new/",
        {
            "kind": "complaint",
            "unit": network.store_a.pk,
            "customer": "C-A1",
            "subject": "Waited two hours at pick-up",
            "description": "Promised 15:00, car ready 17:00.",
            "severity": "normal",
            "channel": "phone",
        },
    )
    assert answer.status_code == 302, answer.content
    return Case.objects.get()


def test_a_new_case_shows_in_the_queue_with_its_time_left(client, opened):
    queue = client.get("/cases/")
    assert opened.number in queue.text and " left" in queue.text
    page = client.get(f"/cases/{opened.pk}/")
    assert page.status_code == 200 and "Promised 15:00" in page.text


def test_the_queue_is_in_the_order_of_the_deadline_it_shows(client, opened, store_a_manager):
    from datetime import timedelta

    from django.utils import timezone

    from manyi.cases.services import case_open

    now = timezone.now()
    answered = case_open(
        actor=store_a_manager, kind="complaint", unit=opened.unit, subject="Answered",
        channel="phone",
    )  # fmt: skip
    # Answered long ago, its resolution due in two hours; the first case still waits for
    # its first response, due in one hour; a resolved case has no deadline left.
    Case.objects.filter(pk=answered.pk).update(
        first_responded_at=now - timedelta(days=1), first_response_due=now - timedelta(days=2),
        resolution_due=now + timedelta(hours=2),
    )  # fmt: skip
    Case.objects.filter(pk=opened.pk).update(
        first_response_due=now + timedelta(hours=1), resolution_due=now + timedelta(days=3)
    )
    done = case_open(
        actor=store_a_manager, kind="praise", unit=opened.unit, subject="Done", channel="phone"
    )
    Case.objects.filter(pk=done.pk).update(status=CaseStatus.RESOLVED, resolution_due=None)
    queue = client.get("/cases/?status=all")
    assert [case.pk for case in queue.context["page"]] == [opened.pk, answered.pk, done.pk]


def test_a_vip_customers_case_comes_first_of_those_due_alike_and_is_marked(
    client, opened, store_a_manager, customer_b
):
    from manyi.cases.services import case_open
    from manyi.customers.models import Customer

    walk_in = case_open(
        actor=store_a_manager, kind="complaint", unit=opened.unit, subject="Walk-in",
        channel="phone",
    )  # fmt: skip
    vip = case_open(
        actor=store_a_manager, kind="complaint", unit=opened.unit, subject="Wang Fang's car",
        channel="phone", customer=customer_b,
    )  # fmt: skip
    Customer.objects.filter(pk=customer_b.pk).update(is_vip=True)
    Case.objects.update(first_response_due=opened.first_response_due)  # all due alike
    queue = client.get("/cases/")
    assert [case.pk for case in queue.context["page"]] == [vip.pk, opened.pk, walk_in.pk]
    assert queue.text.count('data-testid="vip"') == 1
    only = client.get("/cases/?vip=1")
    assert [case.pk for case in only.context["page"]] == [vip.pk]


def test_the_overdue_come_first_then_vip_customers_of_those_due_alike(
    client, opened, store_a_manager, customer_b
):
    from datetime import timedelta

    from django.utils import timezone

    from manyi.cases.services import case_open
    from manyi.customers.models import Customer

    now = timezone.localtime()
    # Two deadlines later today (late in the evening, both tomorrow: VIP customers come
    # first within every group), one already passed.
    soon, later = now + timedelta(minutes=20), now + timedelta(minutes=40)
    if later.date() != now.date():
        soon, later = now + timedelta(hours=5), now + timedelta(hours=5, minutes=20)
    vip = case_open(actor=store_a_manager, kind="complaint", unit=opened.unit,
                    subject="VIP", channel="phone", customer=customer_b)  # fmt: skip
    late = case_open(actor=store_a_manager, kind="complaint", unit=opened.unit,
                     subject="Late", channel="phone")  # fmt: skip
    Customer.objects.filter(pk=customer_b.pk).update(is_vip=True)
    Case.objects.filter(pk=opened.pk).update(first_response_due=soon)
    Case.objects.filter(pk=vip.pk).update(first_response_due=later)
    Case.objects.filter(pk=late.pk).update(first_response_due=now - timedelta(minutes=5))
    queue = client.get("/cases/")
    assert [case.pk for case in queue.context["page"]] == [late.pk, vip.pk, opened.pk]


def test_a_reply_meets_the_first_response_and_shows_on_the_timeline(client, opened):
    client.post(f"/cases/{opened.pk}/reply/", {"body": "We are sorry.", "public": "on"})
    opened.refresh_from_db()
    assert opened.first_responded_at is not None
    assert opened.entries.filter(kind=EntryKind.REPLY, body="We are sorry.").exists()


def test_a_closed_case_cannot_be_edited_and_the_page_says_why(client, opened):
    client.post(f"/cases/{opened.pk}/resolve/", {"body": "Apologised, free car wash."})
    client.post(
        f"/cases/{opened.pk}/review/",
        {"root_cause": "Workshop overbooked.", "prevention": "Cap bookings per bay."},
    )
    opened.refresh_from_db()
    assert opened.status == CaseStatus.CLOSED
    answer = client.post(f"/cases/{opened.pk}/change/", {"severity": "high"}, follow=True)
    assert answer.status_code == 200 and "is closed" in answer.text
    assert client.post(f"/cases/{opened.pk}/explode/").status_code == 404


def test_another_store_never_sees_the_case(client, opened, store_b_manager):
    client.force_login(store_b_manager)
    assert opened.number not in client.get("/cases/?status=all").text
    assert client.get(f"/cases/{opened.pk}/").status_code == 404
    assert client.post(f"/cases/{opened.pk}/reply/", {"body": "x"}).status_code == 404


def test_an_unknown_customer_number_is_an_error_on_the_form(client, store_a_manager, network):
    client.force_login(store_a_manager)
    answer = client.post(
        "/cases/new/",
        {
            "kind": "complaint",
            "unit": network.store_a.pk,
            "customer": "NOPE",
            "subject": "x",
            "severity": "normal",
            "channel": "phone",
        },
    )
    assert answer.status_code == 200 and "No such customer" in answer.text
    assert not Case.objects.exists()


def test_text_from_the_customer_is_shown_inert(client, store_a_manager, network):
    client.force_login(store_a_manager)
    client.post(
        "/cases/new/",
        {
            "kind": "complaint",
            "unit": network.store_a.pk,
            "subject": "<script>alert(1)</script>",
            "severity": "normal",
            "channel": "web",
        },
    )
    case = Case.objects.get()
    page = client.get(f"/cases/{case.pk}/")
    assert "<script>alert(1)</script>" not in page.text and "&lt;script&gt;" in page.text


def test_the_timeline_words_its_changes_in_the_readers_language(client, opened):
    client.post(f"/cases/{opened.pk}/wait/")
    client.post(f"/cases/{opened.pk}/resume/")
    changes = [
        line.changes for line in client.get(f"/cases/{opened.pk}/").context["timeline"]
        if line.changes
    ]  # fmt: skip
    assert ("Status", "Open", "Waiting on the customer") in changes[0]
    client.post("/i18n/setlang/", {"language": "zh-hans", "next": "/"})
    page = client.get(f"/cases/{opened.pk}/")
    assert "状态: 处理中 → 等待客户" in page.text.replace("：", ": ")
    assert "status" not in " ".join(
        t for line in page.context["timeline"] for t, _a, _b in line.changes
    )


def test_a_reply_to_a_case_without_a_customer_is_a_note_by_default(
    client, store_a_manager, network
):
    from manyi.cases.services import case_open

    case = case_open(
        actor=store_a_manager, kind="suggestion", unit=network.store_a, subject="More parking",
        channel="walk_in",
    )  # fmt: skip
    client.force_login(store_a_manager)
    form = client.get(f"/cases/{case.pk}/").context["reply_form"]
    assert form["public"].value() is False
