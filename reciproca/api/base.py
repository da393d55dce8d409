"""What every API view shares: token before session authentication (so an anonymous client
gets 401 with `WWW-Authenticate: Token`), the domain exception translation, and the revision
a write names (no lost update: `core.versioning`)."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from django.utils.translation import gettext as _
from rest_framework import exceptions, serializers
from rest_framework.authentication import BaseAuthentication, SessionAuthentication
from rest_framework.request import Request
from rest_framework.response import Response

from reciproca.api.exceptions import exception_handler
from reciproca.api.tokens import ExpiringTokenAuthentication
from reciproca.core.versioning import MISSING, Revisioned


def expected_revision(request: Request, *, absent: int | None = None) -> int:
    """The revision a write names: `If-Match: "3"` (the ETag of the object read), else the
    body's `revision`. None named → `MISSING`, which the service refuses (428) once it has
    checked the rights (or `absent`: an upsert that creates says 0, "I saw none"); not a
    revision → 400."""
    raw = request.headers.get("If-Match")
    if raw is not None:
        value = raw.strip().removeprefix("W/").strip('"')
        if not value.isdigit() or len(value) > 9:
            raise exceptions.ValidationError(
                {"If-Match": [_("Une révision est un nombre entier : « %(v)s ».") % {"v": raw}]}
            )
        return int(value)
    body = request.data.get("revision") if isinstance(request.data, Mapping) else None
    if body is None:
        if absent is not None:
            return absent
        return MISSING
    field = serializers.IntegerField(min_value=0, max_value=999_999_999)
    try:
        return int(field.run_validation(body))
    except exceptions.ValidationError as error:
        raise exceptions.ValidationError({"revision": error.detail}) from error


class ApiViewMixin:
    authentication_classes: Sequence[type[BaseAuthentication]] = [
        ExpiringTokenAuthentication,
        SessionAuthentication,
    ]
    # How a conflict shows the object as it is now, by model (else the view's serializer).
    conflict_serializers: Mapping[type[Any], type[serializers.BaseSerializer[Any]]] = {}

    def get_exception_handler(self) -> Callable[[Exception, dict[str, Any]], Response | None]:
        return exception_handler

    def current_representation(self, obj: Revisioned) -> Any:
        """The object as it is now, for the body of a 409 conflict."""
        serializer_class = self.conflict_serializers.get(type(obj))
        if serializer_class is None:
            candidate = self.get_serializer_class()  # type: ignore[attr-defined]
            meta = getattr(candidate, "Meta", None)
            if getattr(meta, "model", None) is not type(obj):
                return None
            serializer_class = candidate
        context = self.get_serializer_context()  # type: ignore[attr-defined]
        return serializer_class(obj, context=context).data

    def finalize_response(
        self, request: Request, response: Response, *args: Any, **kwargs: Any
    ) -> Response:
        """One object read or written answers with its revision as ETag (for If-Match)."""
        response = super().finalize_response(request, response, *args, **kwargs)  # type: ignore[misc]
        data = getattr(response, "data", None)
        if (
            isinstance(data, Mapping)
            and isinstance(data.get("revision"), int)
            and 200 <= response.status_code < 300
        ):
            response["ETag"] = f'"{data["revision"]}"'
        return response
