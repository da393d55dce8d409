"""The one place where the API turns domain exceptions into HTTP answers.

`DomainError` → 400, `PermissionDenied` → 403, frozen content (`ContentFrozen`) and a refused
transition → 409 with every unmet
condition and its clause IDs; an edit of a revision that is not the current one (`EditConflict`)
→ 409 with the current revision, who made it and when, and the object as it is now (`current`);
request validation errors get the same `detail` + `reasons` shape.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler
from rest_framework.views import set_rollback

from reciproca.core.exceptions import ContentFrozen, DomainError, PermissionDenied
from reciproca.core.versioning import EditConflict, RevisionMissing
from reciproca.projects.services import TransitionRefused


def _flatten(detail: Any, prefix: str = "") -> list[str]:
    """DRF's nested error detail as sentences, each prefixed by the field it is about."""
    if isinstance(detail, dict):
        sentences: list[str] = []
        for field, value in detail.items():
            label = "" if field == "non_field_errors" else str(field)
            sentences.extend(
                _flatten(value, f"{prefix}.{label}" if prefix and label else label or prefix)
            )
        return sentences
    if isinstance(detail, list):
        return [sentence for item in detail for sentence in _flatten(item, prefix)]
    return [f"{prefix} : {detail}" if prefix else str(detail)]


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    if isinstance(exc, TransitionRefused):
        set_rollback()
        return Response(
            {
                "detail": _("La transition est refusée : des conditions ne sont pas remplies."),
                "reasons": exc.reasons,
                "unmet": [
                    {
                        "check": u.check,
                        "label": str(u.label),
                        "clauses": list(u.clauses),
                        "reason": str(u.reason),
                    }
                    for u in exc.unmet
                ],
            },
            status=status.HTTP_409_CONFLICT,
        )
    if isinstance(exc, EditConflict):
        set_rollback()
        view = context.get("view")
        represent = getattr(view, "current_representation", None)
        by = exc.revised_by
        response = Response(
            {
                "detail": " ".join(exc.reasons),
                "reasons": exc.reasons,
                "revision": exc.revision,
                "revised_by": by.get_username() if by is not None else None,
                "revised_at": exc.revised_at.isoformat() if exc.revised_at else None,
                "current": represent(exc.current)
                if callable(represent) and exc.current is not None
                else None,
            },
            status=status.HTTP_409_CONFLICT,
        )
        if exc.current is not None:
            response["ETag"] = f'"{exc.revision}"'
        return response
    if isinstance(exc, RevisionMissing):
        set_rollback()
        return Response({"detail": " ".join(exc.reasons), "reasons": exc.reasons}, status=428)
    if isinstance(exc, PermissionDenied):
        set_rollback()
        return Response(
            {"detail": " ".join(exc.reasons), "reasons": exc.reasons},
            status=status.HTTP_403_FORBIDDEN,
        )
    if isinstance(exc, ContentFrozen):
        set_rollback()
        return Response(
            {"detail": " ".join(exc.reasons), "reasons": exc.reasons},
            status=status.HTTP_409_CONFLICT,
        )
    if isinstance(exc, DomainError):
        set_rollback()
        return Response(
            {"detail": " ".join(exc.reasons), "reasons": exc.reasons},
            status=status.HTTP_400_BAD_REQUEST,
        )
    if isinstance(exc, exceptions.ValidationError):
        set_rollback()
        return Response(
            {
                "detail": _("Les données envoyées ne sont pas valides."),
                "reasons": _flatten(exc.detail),
                "errors": exc.detail,
            },
            status=status.HTTP_400_BAD_REQUEST,
        )
    return drf_exception_handler(exc, context)
