"""Attachments of a case: only photos and PDFs, checked by their first bytes (the
name and the browser's word are not trusted), at most 10 MB."""

from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext as _

from manyi.audit.services import audit_record
from manyi.cases.models import Attachment, Case, CaseStatus, EntryKind
from manyi.cases.timeline import entry_add
from manyi.errors import DomainError

MAX_BYTES = 10 * 1024 * 1024
SIGNATURES = (
    (b"\xff\xd8\xff", "image/jpeg", ".jpg"),
    (b"\x89PNG\r\n\x1a\n", "image/png", ".png"),
    (b"%PDF-", "application/pdf", ".pdf"),
)


def sniff(head: bytes) -> tuple[str, str] | None:
    """(content type, extension) of a file starting with ``head``, if allowed."""
    for magic, content_type, extension in SIGNATURES:
        if head.startswith(magic):
            return content_type, extension
    return None


@transaction.atomic
def attachment_add(*, actor: Any, case: Case, upload: UploadedFile) -> Attachment:
    if case.status == CaseStatus.CLOSED:
        raise DomainError(_("Case %(number)s is closed.") % {"number": case.number})
    if upload.size is None or upload.size > MAX_BYTES:
        raise DomainError(_("The file is larger than 10 MB."))
    upload.seek(0)
    found = sniff(upload.read(16))
    upload.seek(0)
    if found is None:
        raise DomainError(_("Only photos (JPEG, PNG) and PDF files can be attached."))
    content_type, extension = found
    name = (upload.name or "file").rsplit("/", 1)[-1][:150]
    stem = name.rsplit(".", 1)[0] or "file"
    attachment = Attachment(
        case=case,
        name=f"{stem}{extension}",
        content_type=content_type,
        size=upload.size,
        uploaded_by=actor,
    )
    attachment.file.save(f"{case.pk}{extension}", upload, save=False)
    attachment.save()
    entry_add(case, EntryKind.NOTE, actor, _("Attached %(name)s.") % {"name": attachment.name})
    audit_record(actor=actor, action="case.attach", obj=attachment, unit_id=case.unit_id)
    return attachment
