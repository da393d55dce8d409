"""Password guessing slowed down, on the sign-in page and the API token alike.

Failed attempts are counted per client address (`core.clients.client_address`, which trusts
`X-Forwarded-For` only from the configured proxies) in the database, so every server process
sees the same count. After `RECIPROCA_SIGNIN_FAILURES` failures within
`RECIPROCA_SIGNIN_WINDOW` seconds that address waits until the window ends; a success clears
its count. Only the guessing address waits: the right password from anywhere else still works.
"""

from __future__ import annotations

import math
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import ngettext

from reciproca.accounts.models import SignInFailures
from reciproca.core.clients import client_address

DEFAULT_FAILURES = 10
DEFAULT_WINDOW = 15 * 60


def _limits() -> tuple[int, timedelta]:
    failures = int(getattr(settings, "RECIPROCA_SIGNIN_FAILURES", DEFAULT_FAILURES))
    window = int(getattr(settings, "RECIPROCA_SIGNIN_WINDOW", DEFAULT_WINDOW))
    return failures, timedelta(seconds=window)


def wait_seconds(request: HttpRequest) -> int:
    """How long this client must wait before it may try a password again (0: it may now)."""
    allowed, window = _limits()
    row = SignInFailures.objects.filter(address=client_address(request)).first()
    if row is None or row.count < allowed:
        return 0
    remaining = (row.window_start + window - timezone.now()).total_seconds()
    return max(0, math.ceil(remaining))


def refusal_message(seconds: int) -> str:
    minutes = max(1, math.ceil(seconds / 60))
    return ngettext(
        "Trop de tentatives de connexion depuis votre adresse : réessayez dans %(n)s minute.",
        "Trop de tentatives de connexion depuis votre adresse : réessayez dans %(n)s minutes.",
        minutes,
    ) % {"n": minutes}


def record_failure(request: HttpRequest) -> None:
    _allowed, window = _limits()
    address, now = client_address(request), timezone.now()
    with transaction.atomic():
        row, created = SignInFailures.objects.select_for_update().get_or_create(
            address=address, defaults={"count": 1, "window_start": now}
        )
        if created:
            return
        if row.window_start + window <= now:
            row.count, row.window_start = 1, now
            row.save(update_fields=["count", "window_start"])
        else:
            SignInFailures.objects.filter(pk=row.pk).update(count=F("count") + 1)


def record_success(request: HttpRequest) -> None:
    SignInFailures.objects.filter(address=client_address(request)).delete()
