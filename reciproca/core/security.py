"""Security headers on every response Reciproca writes.

- `Content-Security-Policy` (`RECIPROCA_CSP`): scripts only from this site, never inline (the
  pages have no inline script or event handler; htmx comes from our static files), no plugin,
  no framing, forms posting only here. Inline *style attributes* stay allowed: bar charts set
  their width that way and carry no code.
- `Permissions-Policy`: no camera, microphone, geolocation, payment or USB.
- `Cache-Control: no-store, private` on every response to a signed-in user (and on the sign-in
  page): a shared or back-button cache never keeps a partnership's data. Static files are served
  before this middleware and keep their long cache.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils.cache import patch_cache_control

DEFAULT_CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; font-src 'self'; connect-src 'self'; object-src 'none'; "
    "base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
)
DEFAULT_PERMISSIONS = "camera=(), microphone=(), geolocation=(), payment=(), usb=()"


class SecurityHeadersMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.csp = getattr(settings, "RECIPROCA_CSP", DEFAULT_CSP)
        self.permissions = getattr(settings, "RECIPROCA_PERMISSIONS_POLICY", DEFAULT_PERMISSIONS)

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", self.csp)
        response.headers.setdefault("Permissions-Policy", self.permissions)
        user = getattr(request, "user", None)
        if (user is not None and user.is_authenticated) or request.method == "POST":
            patch_cache_control(response, no_store=True, private=True)
        return response
