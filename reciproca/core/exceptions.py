"""Domain exceptions shared by every app's services."""

from __future__ import annotations


class DomainError(Exception):
    """A rule refused the operation; `reasons` are sentences a user can act on."""

    def __init__(self, reasons: list[str] | str) -> None:
        self.reasons = [reasons] if isinstance(reasons, str) else list(reasons)
        super().__init__("; ".join(self.reasons))


class PermissionDenied(DomainError):
    """The acting user may not do this."""


class ContentFrozen(DomainError):
    """The content is frozen where it stands (signed, decided, closed): it cannot change now.

    The API answers 409 Conflict: the request is valid, the state of the work refuses it."""
