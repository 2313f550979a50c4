"""Uploaded files checked alike everywhere: by their first bytes (the name and the
browser's word are not trusted), at most 10 MB."""

from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _

from manyi.errors import DomainError

MAX_BYTES = 10 * 1024 * 1024
PHOTOS = ("image/jpeg", "image/png")
RECORDINGS = ("audio/mpeg", "audio/mp4", "audio/amr", "audio/ogg", "audio/wav")
# (offset, the bytes found there, content type, extension)
SIGNATURES = (
    (0, b"\xff\xd8\xff", "image/jpeg", ".jpg"),
    (0, b"\x89PNG\r\n\x1a\n", "image/png", ".png"),
    (0, b"%PDF-", "application/pdf", ".pdf"),
    (0, b"ID3", "audio/mpeg", ".mp3"),
    (0, b"\xff\xfb", "audio/mpeg", ".mp3"),
    (0, b"\xff\xf3", "audio/mpeg", ".mp3"),
    (4, b"ftypM4A", "audio/mp4", ".m4a"),
    (0, b"#!AMR", "audio/amr", ".amr"),
    (0, b"OggS", "audio/ogg", ".ogg"),
    (8, b"WAVE", "audio/wav", ".wav"),
)


def sniff(head: bytes) -> tuple[str, str] | None:
    """(content type, extension) of a file starting with ``head``, if it is one we know."""
    for offset, magic, content_type, extension in SIGNATURES:
        if head[offset : offset + len(magic)] == magic:
            return content_type, extension
    return None


def checked_upload(
    upload: UploadedFile, *, allowed: tuple[str, ...], refused: str
) -> tuple[str, str]:
    """The (content type, extension) of ``upload`` when it is one of ``allowed`` and no
    larger than 10 MB; else a domain error (``refused`` says what is allowed)."""
    if upload.size is None or upload.size > MAX_BYTES:
        raise DomainError(_("The file is larger than 10 MB."))
    upload.seek(0)
    found = sniff(upload.read(16))
    upload.seek(0)
    if found is None or found[0] not in allowed:
        raise DomainError(refused)
    return found
