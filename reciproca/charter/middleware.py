"""Read the charter in force once per request: `engine.active_charter()` and the parsed
document are cached until the response is returned (and forgotten when a charter loads)."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from reciproca.charter import engine


class ActiveCharterMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        with engine.request_cache():
            return self.get_response(request)
