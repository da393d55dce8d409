"""Supporting documents are checked by their content, not by their name or declared type.

Admitted: what `core/uploads.py` admits (PDF, PNG, JPEG, within `RECIPROCA_MAX_UPLOAD_BYTES`),
and a PDF must be whole. Anything else is refused with a sentence saying why; the file is
stored under a random name outside the web root.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from reciproca.core.exceptions import DomainError
from reciproca.core.uploads import check_document, max_bytes

SIGNATURES = (
    (b"%PDF-", "application/pdf", "pdf"),
    (b"\x89PNG\r\n\x1a\n", "image/png", "png"),
    (b"\xff\xd8\xff", "image/jpeg", "jpg"),
)


@dataclass(frozen=True)
class CheckedUpload:
    content: bytes
    content_type: str
    extension: str
    original_name: str
    sha256: str

    @property
    def stored_name(self) -> str:
        return f"{secrets.token_hex(16)}.{self.extension}"


def check_upload(uploaded: Any) -> CheckedUpload:
    """The one upload rule (`core/uploads.check_document`: type by content, size), plus a PDF
    that is whole; the content read once for storing under a random name."""
    try:
        content_type = check_document(uploaded)
    except ValidationError as error:
        raise DomainError(list(error.messages)) from error
    limit = max_bytes()
    uploaded.seek(0)
    content = uploaded.read(limit + 1)
    if len(content) > limit:
        raise DomainError(
            _("Le fichier dépasse la taille maximale de %(max)s Mo.") % {"max": limit // 2**20}
        )
    found = next(s for s in SIGNATURES if s[1] == content_type)
    _magic, content_type, extension = found
    if content_type == "application/pdf" and b"%%EOF" not in content[-1024:]:
        raise DomainError(_("Le fichier PDF est incomplet ou endommagé."))
    name = str(getattr(uploaded, "name", "") or "document")[-200:]
    return CheckedUpload(
        content=content,
        content_type=content_type,
        extension=extension,
        original_name=name.replace("/", "_").replace("\\", "_"),
        sha256=hashlib.sha256(content).hexdigest(),
    )
