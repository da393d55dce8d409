"""Evidence files of reported values: the one upload rule of `core/uploads.py` (typed by
content — PDF, PNG, JPEG —, size checked, stored outside the web root, served only by a view
that applies the project's policy), worded as the results services' refusals."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError

from reciproca.core.exceptions import DomainError
from reciproca.core.uploads import PrivateStorage, check_document, private_storage

__all__ = ["PrivateStorage", "check_upload", "private_storage"]


def check_upload(upload: Any) -> str:
    """The file's type read from its first bytes, or `DomainError` (wrong type, too large)."""
    try:
        return check_document(upload)
    except ValidationError as error:
        raise DomainError(list(error.messages)) from error
