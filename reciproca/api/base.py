"""What every API view shares: token before session authentication (so an anonymous client
gets 401 with `WWW-Authenticate: Token`) and the domain exception translation."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from rest_framework.authentication import BaseAuthentication, SessionAuthentication
from rest_framework.response import Response

from reciproca.api.exceptions import exception_handler
from reciproca.api.tokens import ExpiringTokenAuthentication


class ApiViewMixin:
    authentication_classes: Sequence[type[BaseAuthentication]] = [
        ExpiringTokenAuthentication,
        SessionAuthentication,
    ]

    def get_exception_handler(self) -> Callable[[Exception, dict[str, Any]], Response | None]:
        return exception_handler
