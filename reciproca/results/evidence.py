"""Evidence files of reported values: typed by their content (PDF, PNG, JPEG), size checked,
stored under `settings.PRIVATE_ROOT` (outside the web root) and served only by a view that
applies the project's policy."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext as _

from reciproca.core.exceptions import DomainError

MAX_BYTES = 10 * 1024 * 1024
SIGNATURES = (
    (b"%PDF-", "application/pdf"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"\xff\xd8\xff", "image/jpeg"),
)


@deconstructible
class PrivateStorage(FileSystemStorage):
    """A file system storage whose root follows `settings.PRIVATE_ROOT` (tests move it)."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)

    @property
    def base_location(self) -> str:
        return str(Path(settings.PRIVATE_ROOT))

    @property
    def location(self) -> str:
        return str(Path(settings.PRIVATE_ROOT).resolve())


private_storage = PrivateStorage()


def check_upload(upload: Any) -> str:
    """The file's type read from its first bytes, or `DomainError` (wrong type, too large)."""
    size = upload.size or 0
    if size == 0:
        raise DomainError(_("Le fichier est vide."))
    if size > MAX_BYTES:
        raise DomainError(
            _("Le fichier dépasse la taille maximale de %(mb)s Mo.")
            % {"mb": MAX_BYTES // 1024 // 1024}
        )
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    for magic, content_type in SIGNATURES:
        if head.startswith(magic):
            return content_type
    raise DomainError(
        _("Seuls les fichiers PDF, PNG et JPEG sont acceptés comme pièces justificatives.")
    )
