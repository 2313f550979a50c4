"""Nick manages the North region: his board shows what is open, due today and overdue
under each store; Bo at store B sees only store B. The month's complaints export as
the complaint record; files go with a case and only to those who see it; HQ keeps
the causes and single units' calendars."""

import io
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from openpyxl import load_workbook

from manyi.cases import board
from manyi.cases.models import BusinessCalendar, Case, Cause
from manyi.cases.services import case_open, case_reply


def _open(network, unit, hours_ago: float, kind="complaint", severity="normal", **extra):
    return case_open(
        actor=None, kind=kind, unit=unit, subject=f"{kind} {hours_ago}", channel="phone",
        severity=severity, opened_at=timezone.now() - timedelta(hours=hours_ago), **extra,
    )  # fmt: skip


@pytest.fixture
def cases(network):
    """Store A: one complaint long overdue, one opened just now. Store B: one request."""
    overdue = _open(network, network.store_a, hours_ago=24 * 10)
    fresh = _open(network, network.store_a, hours_ago=0)
    request = _open(network, network.store_b, hours_ago=0, kind="request")
    return overdue, fresh, request


def test_the_region_board_rolls_up_its_stores(cases, north_manager, network):
    seen = board.board(north_manager, unit=network.north)
    rows = {row.unit.code: row.counts for row in seen.rows}
    assert seen.total.open == 3 and seen.total.overdue == 1
    assert rows["S-A"].open == 2 and rows["S-A"].overdue == 1 and rows["S-B"].open == 1
    assert dict(seen.by_kind)["Complaint"].open == 2


def test_a_waiting_case_is_not_overdue(cases, north_manager, network):
    from manyi.cases.services import case_wait

    case_wait(actor=None, case=cases[0])
    assert board.board(north_manager, unit=network.north).total.overdue == 0


def test_a_store_manager_sees_only_the_store(client, cases, store_b_manager):
    client.force_login(store_b_manager)
    page = client.get("/cases/board/")
    assert page.status_code == 200
    assert page.context["board"].total.open == 1
    assert client.get(f"/cases/board/?unit={cases[0].unit.parent_id}").status_code == 400


def test_the_complaint_record_exports_the_month(client, cases, north_manager):
    case_reply(actor=north_manager, case=cases[1], body='=HYPERLINK("x")')
    Case.objects.filter(pk=cases[1].pk).update(description="=1+1")
    client.force_login(north_manager)
    answer = client.get(f"/cases/record.xlsx?month={timezone.localdate():%Y-%m}")
    sheet = load_workbook(io.BytesIO(answer.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    header, body = rows[0], rows[1:]
    numbers = {row[0] for row in body}
    assert "Root cause" in header and cases[1].number in numbers
    assert cases[2].number not in numbers  # a request, not a complaint
    said = header.index("What the customer said")
    assert "'=1+1" in {row[said] for row in body}  # never a formula


PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def test_a_photo_is_attached_and_served_only_within_the_store(
    client, cases, store_a_manager, store_b_manager
):
    case = cases[1]
    client.force_login(store_a_manager)
    client.post(
        f"/cases/{case.pk}/files/",
        {"file": SimpleUploadedFile("scratch.png", PNG, content_type="image/png")},
    )
    attachment = case.attachments.get()
    assert attachment.content_type == "image/png" and attachment.size == len(PNG)
    got = client.get(f"/cases/{case.pk}/files/{attachment.pk}/")
    assert got.status_code == 200 and b"".join(got.streaming_content) == PNG
    client.force_login(store_b_manager)
    assert client.get(f"/cases/{case.pk}/files/{attachment.pk}/").status_code == 404


def test_a_script_dressed_as_a_photo_is_refused(client, cases, store_a_manager):
    client.force_login(store_a_manager)
    fake = SimpleUploadedFile("x.png", b"<script>alert(1)</script>", content_type="image/png")
    answer = client.post(f"/cases/{cases[1].pk}/files/", {"file": fake}, follow=True)
    assert "Only photos" in answer.text and not cases[1].attachments.exists()


def test_hq_adds_a_cause_and_gives_a_store_its_own_hours(
    client, hq_analyst, network, cases, django_capture_on_commit_callbacks
):
    client.force_login(hq_analyst)
    client.post(
        "/cases/settings/cause-add/",
        {"code": "parts-delay", "name": "配件延误", "name_en": "Parts delay", "side": "company"},
    )
    assert Cause.objects.get(code="parts-delay").name_en == "Parts delay"
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            "/cases/settings/calendar/",
            {"unit": network.store_a.pk, "always": "on", "holidays": "on",
             "time_zone": "Asia/Shanghai"},
        )  # fmt: skip
    assert BusinessCalendar.objects.get(unit=network.store_a).always_open
    fresh = Case.objects.get(pk=cases[1].pk)
    # 24×7: the first response (4 h) is due 4 clock hours after opening.
    assert fresh.first_response_due == fresh.opened_at + timedelta(hours=4)
    answer = client.post(
        "/cases/settings/calendar/", {"unit": network.store_b.pk, "time_zone": "Mars/Base"},
        follow=True,
    )  # fmt: skip
    assert "Unknown time zone" in answer.text


def test_only_hq_edits_the_settings(client, store_a_manager):
    client.force_login(store_a_manager)
    assert client.get("/cases/settings/").status_code == 403
