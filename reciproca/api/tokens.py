"""API tokens that expire and can be rotated.

A token is valid `RECIPROCA_TOKEN_TTL_DAYS` days (30 by default) from its creation; an expired
one is refused (401, "jeton expiré") and the next sign-in issues a new one. `rotate` replaces a
user's token at once (the old key stops working).
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from rest_framework.authentication import TokenAuthentication
from rest_framework.authtoken.models import Token
from rest_framework.exceptions import AuthenticationFailed

DEFAULT_TTL_DAYS = 30


def ttl() -> timedelta:
    return timedelta(days=int(getattr(settings, "RECIPROCA_TOKEN_TTL_DAYS", DEFAULT_TTL_DAYS)))


def expires_at(token: Token) -> Any:
    return token.created + ttl()


def is_expired(token: Token) -> bool:
    return expires_at(token) <= timezone.now()


def issue(user: Any) -> Token:
    """The user's token, a new one when there is none or it has expired."""
    with transaction.atomic():
        token = Token.objects.select_for_update().filter(user=user).first()
        if token is not None and not is_expired(token):
            return token
        Token.objects.filter(user=user).delete()
        return Token.objects.create(user=user)


def rotate(user: Any) -> Token:
    with transaction.atomic():
        Token.objects.filter(user=user).delete()
        return Token.objects.create(user=user)


class ExpiringTokenAuthentication(TokenAuthentication):
    def authenticate_credentials(self, key: str) -> tuple[Any, Token]:
        user, token = super().authenticate_credentials(key)
        if is_expired(token):
            raise AuthenticationFailed(_("Jeton expiré : demandez-en un nouveau."))
        return user, token
