"""The personal data of cases: what the customer told us and what we wrote back, the
phone they gave and the files they sent. The case itself (kind, cause, unit, deadlines,
compensation amounts) stays for the complaint record."""

from datetime import datetime

from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from manyi.cases.models import Attachment, Case, CaseEntry, Compensation
from manyi.privacy.registry import Retention, Subject, blank_rows, declare, exempt


def cases_of(subject: Subject) -> QuerySet:
    """Their cases, and those filed on the public form with one of their phones and
    not yet linked to anyone (a shared family phone may belong to another card)."""
    where = Q(customer=subject.customer)
    if subject.phones:
        where |= Q(given_phone__in=subject.phones, customer__isnull=True)
    return Case.objects.filter(where)


def _delete_files(rows: QuerySet) -> int:
    names = list(rows.values_list("file", flat=True))
    deleted = rows.delete()[1].get("cases.Attachment", 0)
    transaction.on_commit(lambda: [default_storage.delete(name) for name in names if name])
    return deleted


def files_erase(rows: QuerySet, subject: Subject) -> int:
    return _delete_files(rows)


def finished_before(cutoff: datetime, prefix: str = "") -> Q:
    """Cases closed before ``cutoff``, or resolved then and never closed: an open case
    keeps its whole story, however old."""
    return Q(**{f"{prefix}closed_at__lt": cutoff}) | Q(
        **{f"{prefix}closed_at__isnull": True, f"{prefix}resolved_at__lt": cutoff}
    )


def files_purge(cutoff: datetime) -> int:
    return _delete_files(Attachment.objects.filter(finished_before(cutoff, "case__")))


def text_purge(cutoff: datetime) -> int:
    return blank_rows(CASE_TEXT_ENTRY, Case.objects.filter(finished_before(cutoff)))


def entries_purge(cutoff: datetime) -> int:
    return blank_rows(ENTRIES, CaseEntry.objects.filter(finished_before(cutoff, "case__")))


CASE_TEXT = (
    "given_phone", "subject", "description", "solution", "root_cause", "prevention",
    "crisis_reason",
)  # fmt: skip
CASE_TEXT_ENTRY = declare(
    "cases.Case",
    *CASE_TEXT,
    label=_("Cases: what the customer said, the phone they gave, the answer given"),
    rows=cases_of,
    retention=Retention.FREE_TEXT,
    purge=lambda cutoff: text_purge(cutoff),
    exported=("number", "kind", "status", "unit_id", "opened_at", "closed_at"),
)
ENTRIES = declare(
    "cases.CaseEntry",
    "body",
    "changes",  # a subject's old wording, the name of the customer linked
    label=_("Case follow-ups: replies, notes and the customer's answers"),
    rows=lambda subject: CaseEntry.objects.filter(case__in=cases_of(subject)),
    retention=Retention.FREE_TEXT,
    purge=lambda cutoff: entries_purge(cutoff),
    exported=("case_id", "kind", "created_at"),
)
declare(
    "cases.Attachment",
    "file",
    "name",
    label=_("Files kept with cases"),
    rows=lambda subject: Attachment.objects.filter(case__in=cases_of(subject)),
    erase=files_erase,
    retention=Retention.ATTACHMENTS,
    purge=files_purge,
    exported=("case_id", "content_type", "size", "uploaded_at"),
)
declare(
    "cases.Compensation",
    "description",
    label=_("Compensation: what was given"),
    rows=lambda subject: Compensation.objects.filter(case__in=cases_of(subject)),
    exported=("case_id", "kind", "amount", "status"),
)
for model in ("cases.BusinessCalendar", "cases.CalendarDay", "cases.Cause"):
    exempt(model, "name", why="a calendar, holiday or cause of complaint")
exempt("cases.Cause", "name_en", why="a cause of complaint")
exempt("cases.CrisisPolicy", "keywords", why="words the crisis rule watches for")
