"""/api/v1/organisations/: the shared directory of organisations; any signed-in user reads it,
the host authority's administrators and officers add to it."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django_filters import rest_framework as filters
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.serializers import BaseSerializer

from reciproca.api.base import ApiViewMixin
from reciproca.api.serializers.common import ErrorSerializer
from reciproca.api.serializers.partnerships import (
    OrganisationCreateSerializer,
    OrganisationSerializer,
)
from reciproca.partnerships import services
from reciproca.partnerships.models import Organisation
from reciproca.partnerships.policies import organisations_visible_to


class OrganisationFilter(filters.FilterSet):
    kind = filters.ChoiceFilter(choices=Organisation.Kind.choices)
    is_host = filters.BooleanFilter()
    country = filters.CharFilter(field_name="country__iso2", lookup_expr="iexact")

    class Meta:
        model = Organisation
        fields: list[str] = []


@extend_schema_view(
    list=extend_schema(summary="Organisations", tags=["organisations"]),
    retrieve=extend_schema(
        summary="Une organisation",
        tags=["organisations"],
        responses={200: OrganisationSerializer, 404: ErrorSerializer},
    ),
    create=extend_schema(
        summary="Ajouter une organisation",
        tags=["organisations"],
        request=OrganisationCreateSerializer,
        responses={
            201: OrganisationSerializer,
            400: ErrorSerializer,
            403: OpenApiResponse(ErrorSerializer, description="Réservé à la collectivité hôte."),
        },
    ),
)
class OrganisationViewSet(
    ApiViewMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet[Organisation],
):
    serializer_class = OrganisationSerializer
    filterset_class = OrganisationFilter

    def get_queryset(self) -> QuerySet[Organisation]:
        return (
            organisations_visible_to(self.request.user)
            .select_related("country", "territory__country")
            .order_by("name", "id")
        )

    def get_serializer_class(self) -> type[BaseSerializer[Any]]:
        if self.action == "create":
            return OrganisationCreateSerializer
        return OrganisationSerializer

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        organisation = services.create_organisation(
            by=request.user, name=data.pop("name"), kind=data.pop("kind"), **data
        )
        return Response(
            OrganisationSerializer(organisation, context=self.get_serializer_context()).data,
            status=status.HTTP_201_CREATED,
        )
