"""The interface language: the one the person chose, else their profile's, else French.

Django's LocaleMiddleware would follow the browser's Accept-Language first; Reciproca is French
first, and partners choose their language once (the switcher, or their profile). API clients
negotiate with Accept-Language, as HTTP intends.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import translation
from django.utils.cache import patch_vary_headers

_SUPPORTED = {code for code, _name in settings.LANGUAGES}


class LanguageMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        language = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        if request.path.startswith("/api/") and "accept-language" in request.headers:
            language = translation.get_language_from_request(request)
        if language not in _SUPPORTED:
            user = getattr(request, "user", None)
            preferred = getattr(user, "preferred_language", None) if user else None
            language = preferred if preferred in _SUPPORTED else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        patch_vary_headers(response, ("Cookie",))
        response.headers.setdefault("Content-Language", language)
        return response


class DomainRefusalMiddleware:
    """A service's `PermissionDenied` that reaches a page is Django's 403 (the branded page),
    whatever view it crossed: a refused right is never a form error or a redirect with a
    message, which would tell the visitor more than "no". (The API answers it itself, 403.)"""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> None:
        from django.core.exceptions import PermissionDenied as Forbidden

        from reciproca.core.exceptions import PermissionDenied

        if isinstance(exception, PermissionDenied):
            raise Forbidden(" ".join(exception.reasons)) from exception
