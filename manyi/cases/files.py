"""Attachments of a case: only photos and PDFs, checked by their first bytes, at most
10 MB (``web.uploads``)."""

from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext as _

from manyi.audit.services import audit_record
from manyi.cases.models import Attachment, Case, CaseStatus, EntryKind
from manyi.cases.timeline import entry_add
from manyi.errors import DomainError
from manyi.web.uploads import PHOTOS, checked_upload


@transaction.atomic
def attachment_add(*, actor: Any, case: Case, upload: UploadedFile) -> Attachment:
    if case.status == CaseStatus.CLOSED:
        raise DomainError(_("Case %(number)s is closed.") % {"number": case.number})
    content_type, extension = checked_upload(
        upload, allowed=(*PHOTOS, "application/pdf"),
        refused=_("Only photos (JPEG, PNG) and PDF files can be attached."),
    )  # fmt: skip
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
