"""Signing in to the API: exchange a username and password for a token, revoke it, and read
who you are (`/me/`: your organisation and the roles you hold where)."""

from __future__ import annotations

from django.db.models import Prefetch
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.authentication import BaseAuthentication, TokenAuthentication
from rest_framework.authtoken.models import Token
from rest_framework.authtoken.serializers import AuthTokenSerializer
from rest_framework.permissions import AllowAny, BasePermission, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.throttling import AnonRateThrottle
from rest_framework.views import APIView

from reciproca.accounts.models import RoleGrant, User
from reciproca.api.base import ApiViewMixin
from reciproca.api.serializers.accounts import MeSerializer, TokenSerializer
from reciproca.api.serializers.common import ErrorSerializer


def _signed_in(request: Request) -> User:
    user = request.user
    assert isinstance(user, User)  # the view's permission let only a signed-in user in
    return user


class TokenThrottle(AnonRateThrottle):
    """Slows password guessing; the rate is set here so it needs no setting."""

    scope = "api_token"
    rate = "20/minute"


class TokenView(ApiViewMixin, APIView):
    """POST: username and password for a token (no authentication); DELETE: revoke it."""

    throttle_classes = [TokenThrottle]

    def get_authenticators(self) -> list[BaseAuthentication]:
        if self.request is not None and self.request.method == "DELETE":
            return [TokenAuthentication()]
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
            "envoyer ensuite dans l'en-tête `Authorization: Token <jeton>`."
        ),
        request=AuthTokenSerializer,
        responses={
            200: TokenSerializer,
            400: OpenApiResponse(ErrorSerializer, description="Identifiants refusés."),
        },
        auth=[],
        tags=["auth"],
    )
    def post(self, request: Request) -> Response:
        serializer = AuthTokenSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        token, _created = Token.objects.get_or_create(user=serializer.validated_data["user"])
        return Response({"token": token.key})

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
