"""Uploaded documents: checked by their content, stored outside the web root, served only
through a view that applies the owning object's policy.

Every app that takes a file (signed agreements, evidence of results, transaction documents)
uses these three pieces, so the rule has one owner:
- `check_document(file)`: the content must be a PDF, PNG or JPEG (the first bytes, not the
  name or the browser's word) of at most `RECIPROCA_MAX_UPLOAD_BYTES` (10 MB); anything else is
  a `ValidationError` that says what was found and what is accepted. `DocumentValidator` is the
  same check for a model or form field's `validators`.
- `private_storage`: files under `RECIPROCA_PRIVATE_ROOT` (var/private), which no URL maps.
- `serve_document(file_field, filename)`: the response of the view that has checked the policy,
  as an attachment with its checked type, `nosniff` and a sandboxing policy.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.storage import FileSystemStorage
from django.http import FileResponse, Http404
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext as _

DEFAULT_MAX_BYTES = 10 * 1024 * 1024

# The signatures of the accepted types, with the MIME type they are served as.
SIGNATURES: tuple[tuple[bytes, str, str], ...] = (
    (b"%PDF-", "application/pdf", "PDF"),
    (b"\x89PNG\r\n\x1a\n", "image/png", "PNG"),
    (b"\xff\xd8\xff", "image/jpeg", "JPEG"),
)


def max_bytes() -> int:
    return int(getattr(settings, "RECIPROCA_MAX_UPLOAD_BYTES", DEFAULT_MAX_BYTES))


def sniff(head: bytes) -> str | None:
    """The MIME type the first bytes show, among the accepted ones, or None."""
    for signature, mime, _label in SIGNATURES:
        if head.startswith(signature):
            return mime
    return None


def check_document(file: Any) -> str:
    """The accepted MIME type of an uploaded file, or a ValidationError saying why not."""
    size = getattr(file, "size", None)
    limit = max_bytes()
    if size is not None and size > limit:
        raise ValidationError(
            _("Fichier trop lourd : %(size)s Mo, %(max)s Mo au plus.")
            % {"size": round(size / 1_048_576, 1), "max": round(limit / 1_048_576, 1)},
            code="too_large",
        )
    position = file.tell() if hasattr(file, "tell") else None
    file.seek(0)
    head = file.read(16)
    if position is not None:
        file.seek(position)
    else:
        file.seek(0)
    mime = sniff(head if isinstance(head, bytes) else head.encode())
    if mime is None:
        raise ValidationError(
            _(
                "Ce fichier n'est ni un PDF, ni une image PNG ou JPEG (d'après son contenu, "
                "quel que soit son nom) : seuls ces formats sont acceptés."
            ),
            code="bad_type",
        )
    return mime


@deconstructible
class DocumentValidator:
    """`validators=[DocumentValidator()]` on a FileField: the same check on every path."""

    def __call__(self, file: Any) -> None:
        check_document(file)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, DocumentValidator)

    def __hash__(self) -> int:
        return hash(DocumentValidator)


def private_root() -> Path:
    return Path(getattr(settings, "RECIPROCA_PRIVATE_ROOT", settings.BASE_DIR / "var" / "private"))


@deconstructible
class PrivateStorage(FileSystemStorage):
    """A FileSystemStorage under RECIPROCA_PRIVATE_ROOT, read when first used (tests move it)."""

    def __init__(self) -> None:
        super().__init__()

    @property
    def base_location(self) -> str:
        return str(private_root())

    @property
    def location(self) -> str:
        return os.path.abspath(self.base_location)

    def url(self, name: str | None) -> str:
        raise ValueError("private documents have no URL: serve them through their view")


private_storage = PrivateStorage()


def serve_document(file_field: Any, filename: str) -> FileResponse:
    """The document, for a view that has already applied the owning object's policy."""
    if not file_field:
        raise Http404
    try:
        handle = file_field.open("rb")
    except FileNotFoundError as error:
        raise Http404 from error
    mime = sniff(handle.read(16)) or "application/octet-stream"
    handle.seek(0)
    response = FileResponse(handle, as_attachment=True, filename=filename, content_type=mime)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "sandbox; default-src 'none'"
    return response
