"""Signing in to the API: exchange a username and password for a token, revoke it, and read
who you are (`/me/`: your organisation and the roles you hold where)."""

from __future__ import annotations

from django.db.models import Prefetch
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.authentication import BaseAuthentication
from rest_framework.authtoken.models import Token
from rest_framework.authtoken.serializers import AuthTokenSerializer
from rest_framework.exceptions import Throttled, ValidationError
from rest_framework.permissions import AllowAny, BasePermission, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from reciproca.accounts import throttle, two_factor
from reciproca.accounts.models import RoleGrant, User
from reciproca.api import tokens
from reciproca.api.base import ApiViewMixin
from reciproca.api.serializers.accounts import MeSerializer, TokenSerializer
from reciproca.api.serializers.common import ErrorSerializer
from reciproca.api.tokens import ExpiringTokenAuthentication


def _signed_in(request: Request) -> User:
    user = request.user
    assert isinstance(user, User)  # the view's permission let only a signed-in user in
    return user


class TokenView(ApiViewMixin, APIView):
    """POST: username and password for a token (no authentication); DELETE: revoke it.

    Password guessing waits as on the sign-in page (accounts/throttle.py: failures counted per
    client address, the right password from elsewhere unaffected); tokens expire
    (api/tokens.py)."""

    def get_authenticators(self) -> list[BaseAuthentication]:
        if self.request is not None and self.request.method == "DELETE":
            return [ExpiringTokenAuthentication()]
        return []

    def get_permissions(self) -> list[BasePermission]:
        if self.request is not None and self.request.method == "DELETE":
            return [IsAuthenticated()]
        return [AllowAny()]

    @extend_schema(
        operation_id="auth_token_create",
        summary="Obtenir un jeton d'accès",
        description=(
            "Échange un identifiant et un mot de passe contre le jeton de l'utilisateur, à "
            "envoyer ensuite dans l'en-tête `Authorization: Token <jeton>`. Le jeton expire "
            "(`expires_at`) ; après trop d'échecs depuis une adresse, celle-ci attend (429)."
        ),
        request=AuthTokenSerializer,
        responses={
            200: TokenSerializer,
            400: OpenApiResponse(ErrorSerializer, description="Identifiants refusés."),
            429: OpenApiResponse(ErrorSerializer, description="Trop de tentatives."),
        },
        auth=[],
        tags=["auth"],
    )
    def post(self, request: Request) -> Response:
        wait = throttle.wait_seconds(request._request)
        if wait:
            raise Throttled(wait=wait, detail=throttle.refusal_message(wait))
        serializer = AuthTokenSerializer(data=request.data, context={"request": request})
        if not serializer.is_valid():
            throttle.record_failure(request._request)
            raise ValidationError(serializer.errors)
        user = serializer.validated_data["user"]
        otp = request.data.get("otp") if isinstance(request.data, dict) else None
        refusal = two_factor.token_refusal(user, otp)
        if refusal:
            throttle.record_failure(request._request)
            raise ValidationError({"otp": [refusal]})
        throttle.record_success(request._request)
        token = tokens.issue(user)
        return Response({"token": token.key, "expires_at": tokens.expires_at(token)})

    @extend_schema(
        operation_id="auth_token_destroy",
        summary="Révoquer son jeton d'accès",
        description="Le jeton envoyé cesse de fonctionner ; un nouveau s'obtient par POST.",
        request=None,
        responses={204: None},
        tags=["auth"],
    )
    def delete(self, request: Request) -> Response:
        Token.objects.filter(user=_signed_in(request)).delete()
        return Response(status=status.HTTP_204_NO_CONTENT)


class TokenRotateView(ApiViewMixin, APIView):
    """POST with a valid token: a new token replaces it at once."""

    @extend_schema(
        operation_id="auth_token_rotate",
        summary="Remplacer son jeton d'accès",
        description="Un nouveau jeton remplace celui envoyé, qui cesse aussitôt de fonctionner.",
        request=None,
        responses={200: TokenSerializer},
        tags=["auth"],
    )
    def post(self, request: Request) -> Response:
        token = tokens.rotate(_signed_in(request))
        return Response({"token": token.key, "expires_at": tokens.expires_at(token)})


class MeView(ApiViewMixin, APIView):
    @extend_schema(
        operation_id="me_retrieve",
        summary="L'utilisateur connecté, son organisation et ses rôles",
        responses={200: MeSerializer},
        tags=["auth"],
    )
    def get(self, request: Request) -> Response:
        user = (
            User.objects.select_related("organisation")
            .prefetch_related(
                Prefetch(
                    "grants",
                    queryset=RoleGrant.objects.select_related(
                        "organisation", "partnership", "project"
                    ).order_by("granted_at", "id"),
                )
            )
            .get(id=_signed_in(request).id)
        )
        return Response(MeSerializer(user, context={"request": request}).data)
