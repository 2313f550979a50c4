"""The group keeps free text two years, files one, contact data three years after the
last visit: the nightly purge removes what is older and leaves the figures alone."""

from datetime import timedelta

from django.core.files.storage import default_storage
from django.utils import timezone

from manyi.audit.models import AuditEntry
from manyi.cases.models import Attachment, Case
from manyi.customers.models import Contact
from manyi.notify.models import Message
from manyi.privacy.models import RetentionPolicy
from manyi.privacy.services import retention_policy_save, retention_purge
from manyi.surveys.models import Response
from tests.privacy.fixtures import COMMENT


def test_the_purge_removes_what_is_older_than_its_period(
    django_capture_on_commit_callbacks, customer_a, li_ming_history
):
    response = li_ming_history["response"]
    Case.objects.update(status="closed", closed_at=timezone.now())  # an open case keeps its text
    file_name = Attachment.objects.get().file.name
    assert default_storage.exists(file_name)
    # Two and a half years on: past the free text's and the files' periods, not the
    # contacts' (three years after the last visit).
    later = timezone.now() + timedelta(days=913)
    with django_capture_on_commit_callbacks(execute=True):
        purged = retention_purge(now=later)
    response.refresh_from_db()
    assert "REASON" not in response.answers and response.index is not None
    assert set(Case.objects.values_list("description", flat=True)) == {""}
    assert not Attachment.objects.exists() and not default_storage.exists(file_name)
    assert Contact.objects.filter(customer=customer_a).count() == 2
    assert Message.objects.filter(recipient="").count() == 0
    assert purged["surveys.Response"] == 2 and purged["cases.Attachment"] == 1  # both stores
    assert AuditEntry.objects.get(action="retention_purge").changes == purged
    assert COMMENT not in str(list(Response.objects.values_list("answers", flat=True)))
    assert RetentionPolicy.current().last_purge_at == later


def test_contact_data_goes_three_years_after_the_last_visit(customer_a, li_ming_history):
    retention_purge(now=timezone.now() + timedelta(days=1200))
    assert not Contact.objects.filter(customer=customer_a).exists()
    assert set(Message.objects.values_list("recipient", flat=True)) == {""}


def test_nothing_is_purged_too_early_or_when_the_period_is_zero(admin, li_ming_history):
    assert retention_purge(now=timezone.now() + timedelta(days=30)) == {}
    retention_policy_save(actor=admin, free_text_days=0, attachments_days=0, contact_days=0)
    assert retention_purge(now=timezone.now() + timedelta(days=5000)) == {}
    assert Attachment.objects.exists()
    assert AuditEntry.objects.filter(action="retention_policy_save").count() == 1


def test_an_open_case_keeps_its_story_and_files_however_old(li_ming_history):
    case = li_ming_history["case"]
    retention_purge(now=timezone.now() + timedelta(days=913))
    case.refresh_from_db()
    assert case.description and Attachment.objects.filter(case=case).exists()
    assert all(entry.body or entry.changes for entry in case.entries.all())


def test_one_pass_a_day_however_many_workers_ask(li_ming_history):
    response = li_ming_history["response"]
    later = timezone.now() + timedelta(days=913)
    assert retention_purge(now=later)["surveys.Response"] == 2
    Response.objects.filter(pk=response.pk).update(answers={**response.answers})  # text again
    assert retention_purge(now=later + timedelta(minutes=5)) == {}  # today's pass is taken
    assert "REASON" in Response.objects.get(pk=response.pk).answers
    assert retention_purge(now=later + timedelta(days=1))["surveys.Response"] == 1
    assert AuditEntry.objects.filter(action="retention_purge").count() == 2
