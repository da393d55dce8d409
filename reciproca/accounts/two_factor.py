"""Two-factor authentication for the host authority's staff (django-otp: TOTP and recovery
codes).

Who must: `requires_two_factor(user)` — administrators, the admin's staff, and every member of
the host organisation (the department's officers and elected officials), while
`RECIPROCA_STAFF_2FA` is on (the default). Partner authorities' staff may, not must.

- A signed-in user who must and has not verified this session is sent to
  `/comptes/double-authentification/`: with no authenticator yet, the page shows a QR code and
  the secret, confirms the first code and gives ten single-use recovery codes, once; with one,
  it asks a code (or a recovery code). Sign-out, the language switch and static files stay open;
  the API answers 403 to such a session.
- The API token of such a user needs the code too (`otp` in the request): a password alone
  never opens their account.
"""

from __future__ import annotations

import base64
import io
import secrets
from collections.abc import Callable
from typing import Any

import segno
from django import forms
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_otp import devices_for_user, match_token
from django_otp import login as otp_login
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

RECOVERY_CODES = 10
SETUP_NAME = "authenticator"
OPEN_PREFIXES = ("/comptes/deconnexion/", "/comptes/double-authentification/", "/i18n/",
                 "/static/", "/media/")  # fmt: skip


def requires_two_factor(user: Any) -> bool:
    if not getattr(settings, "RECIPROCA_STAFF_2FA", True):
        return False
    if not getattr(user, "is_authenticated", False):
        return False
    if user.is_superuser or user.is_staff:
        return True
    organisation = getattr(user, "organisation", None)
    return bool(organisation is not None and organisation.is_host)


def has_device(user: Any) -> bool:
    return any(True for _device in devices_for_user(user, confirmed=True))


def verified(user: Any) -> bool:
    check = getattr(user, "is_verified", None)
    return bool(check and check())


class TwoFactorMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if (
            user is not None
            and requires_two_factor(user)
            and not verified(user)
            and not request.path.startswith(OPEN_PREFIXES)
        ):
            if request.path.startswith("/api/"):
                return JsonResponse(
                    {"detail": _("Double authentification requise : validez un code d'abord.")},
                    status=403,
                )
            return redirect(f"/comptes/double-authentification/?next={request.get_full_path()}")
        return self.get_response(request)


class CodeForm(forms.Form):
    code = forms.CharField(
        label=gettext_lazy("Code à six chiffres, ou code de secours"),
        max_length=16,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}
        ),
    )


def _next(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or "/"
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return "/"
    return target


def _qr(device: TOTPDevice) -> str:
    buffer = io.BytesIO()
    segno.make(device.config_url, error="m").save(buffer, kind="svg", scale=4, border=2)
    return "data:image/svg+xml;base64," + base64.b64encode(buffer.getvalue()).decode()


def _recovery_codes(user: Any) -> list[str]:
    device, _created = StaticDevice.objects.get_or_create(user=user, name="recovery")
    device.token_set.all().delete()
    codes = [secrets.token_hex(4) for _ in range(RECOVERY_CODES)]
    StaticToken.objects.bulk_create([StaticToken(device=device, token=c) for c in codes])
    return codes


@login_required
def two_factor(request: HttpRequest) -> HttpResponse:
    user = request.user
    form = CodeForm(request.POST or None)
    if has_device(user):
        if request.method == "POST" and form.is_valid():
            device = match_token(user, form.cleaned_data["code"].replace(" ", ""))
            if device is not None:
                otp_login(request, device)
                return redirect(_next(request))
            form.add_error("code", _("Ce code ne correspond pas (ou a déjà servi)."))
        return render(request, "accounts/two_factor.html", {"form": form, "next": _next(request)})
    device = TOTPDevice.objects.filter(user=user, confirmed=False, name=SETUP_NAME).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, confirmed=False, name=SETUP_NAME)
    if request.method == "POST" and form.is_valid():
        if device.verify_token(form.cleaned_data["code"].replace(" ", "")):
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            otp_login(request, device)
            return render(
                request,
                "accounts/two_factor_codes.html",
                {"codes": _recovery_codes(user), "next": _next(request)},
            )
        form.add_error(
            "code", _("Ce code ne correspond pas : vérifiez l'heure de votre téléphone.")
        )
    secret = base64.b32encode(device.bin_key).decode().rstrip("=")
    return render(
        request,
        "accounts/two_factor_setup.html",
        {"form": form, "qr": _qr(device), "secret": secret, "next": _next(request)},
    )


def token_refusal(user: Any, code: str | None) -> str:
    """Why the API refuses a token to this user now ("" when it does not)."""
    if not requires_two_factor(user):
        return ""
    if not has_device(user):
        return _("Configurez d'abord la double authentification dans l'interface web.")
    if not code or match_token(user, str(code).replace(" ", "")) is None:
        return _("Code de double authentification requis (champ « otp »), ou incorrect.")
    return ""
