"""Supporting documents are checked by their content, not by their name or declared type.

Admitted: PDF, PNG, JPEG, within `FINANCE_DOCUMENT_MAX_BYTES`. Anything else is refused with a
sentence saying why; the file is stored under a random name outside the web root.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _

from reciproca.core.exceptions import DomainError

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
    limit = int(settings.FINANCE_DOCUMENT_MAX_BYTES)
    size = int(getattr(uploaded, "size", 0) or 0)
    if size > limit:
        raise DomainError(
            _("Le fichier dépasse la taille maximale de %(max)s Mo.") % {"max": limit // 2**20}
        )
    content = uploaded.read(limit + 1)
    if len(content) > limit:
        raise DomainError(
            _("Le fichier dépasse la taille maximale de %(max)s Mo.") % {"max": limit // 2**20}
        )
    if not content:
        raise DomainError(_("Le fichier est vide."))
    found = next((s for s in SIGNATURES if content.startswith(s[0])), None)
    if found is None:
        raise DomainError(
            _("Seuls les fichiers PDF, PNG et JPEG sont admis (contenu du fichier vérifié).")
        )
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
