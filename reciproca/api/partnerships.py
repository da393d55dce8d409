"""/api/v1/partnerships/: the cooperations the user holds a role in. The host authority's
administrators and officers register new ones; whoever may edit a partnership (its officers
and the partner authority's editors alike, PRI-1) changes it."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django_filters import rest_framework as filters
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.serializers import BaseSerializer

from reciproca.api.base import ApiViewMixin, expected_revision
from reciproca.api.filters import IdFilter
from reciproca.api.serializers.common import ErrorSerializer
from reciproca.api.serializers.partnerships import (
    PartnershipCreateSerializer,
    PartnershipSerializer,
    PartnershipUpdateSerializer,
)
from reciproca.partnerships import services
from reciproca.partnerships.models import Partnership
from reciproca.partnerships.policies import get_partnership_for
from reciproca.projects.queries import partnerships_with_project_counts

_WRITE_ERRORS = {
    400: ErrorSerializer,
    403: OpenApiResponse(ErrorSerializer, description="Pas d'accès en écriture."),
}


class PartnershipFilter(filters.FilterSet):
    partner = IdFilter(field_name="partner_id")
    is_active = filters.BooleanFilter(field_name="until_date", lookup_expr="isnull")

    class Meta:
        model = Partnership
        fields: list[str] = []


@extend_schema_view(
    list=extend_schema(summary="Partenariats", tags=["partnerships"]),
    retrieve=extend_schema(
        summary="Un partenariat",
        tags=["partnerships"],
        responses={200: PartnershipSerializer, 404: ErrorSerializer},
    ),
    create=extend_schema(
        summary="Enregistrer un partenariat",
        tags=["partnerships"],
        request=PartnershipCreateSerializer,
        responses={201: PartnershipSerializer, **_WRITE_ERRORS},
    ),
    partial_update=extend_schema(
        summary="Modifier un partenariat",
        tags=["partnerships"],
        request=PartnershipUpdateSerializer,
        responses={200: PartnershipSerializer, 404: ErrorSerializer, **_WRITE_ERRORS},
    ),
)
class PartnershipViewSet(
    ApiViewMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet[Partnership],
):
    serializer_class = PartnershipSerializer
    filterset_class = PartnershipFilter
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self) -> QuerySet[Partnership]:
        # Annotated with the number of projects the user sees; retrieve uses it too, so a
        # partnership outside the user's scope is a 404.
        return partnerships_with_project_counts(self.request.user)

    def get_serializer_class(self) -> type[BaseSerializer[Any]]:
        if self.action == "create":
            return PartnershipCreateSerializer
        if self.action == "partial_update":
            return PartnershipUpdateSerializer
        return PartnershipSerializer

    def _read(self, pk: int) -> Response:
        partnership = self.get_queryset().get(pk=pk)
        return Response(
            PartnershipSerializer(partnership, context=self.get_serializer_context()).data
        )

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        partnership = services.create_partnership(by=request.user, **serializer.validated_data)
        response = self._read(partnership.pk)
        response.status_code = status.HTTP_201_CREATED
        return response

    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        partnership = get_partnership_for(request.user, kwargs["pk"])
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        changes = dict(serializer.validated_data)
        reason = changes.pop("reason", "")
        services.update_partnership(
            partnership=partnership,
            by=request.user,
            reason=reason,
            revision=expected_revision(request),
            **changes,
        )
        return self._read(partnership.pk)
