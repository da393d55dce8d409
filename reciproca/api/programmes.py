"""/api/v1/programmes/: the concerted programmes of the partnerships the user sees (PRJ-9)."""

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
from reciproca.api.filters import IdFilter
from reciproca.api.serializers.common import ErrorSerializer
from reciproca.api.serializers.partnerships import ProgrammeCreateSerializer, ProgrammeSerializer
from reciproca.partnerships import services
from reciproca.partnerships.models import Programme
from reciproca.partnerships.queries import programmes_visible_to


class ProgrammeFilter(filters.FilterSet):
    partnership = IdFilter(field_name="partnership_id")

    class Meta:
        model = Programme
        fields: list[str] = []


@extend_schema_view(
    list=extend_schema(summary="Programmes concertés", tags=["programmes"]),
    retrieve=extend_schema(
        summary="Un programme concerté",
        tags=["programmes"],
        responses={200: ProgrammeSerializer, 404: ErrorSerializer},
    ),
    create=extend_schema(
        summary="Ajouter un programme à un partenariat",
        tags=["programmes"],
        request=ProgrammeCreateSerializer,
        responses={
            201: ProgrammeSerializer,
            400: ErrorSerializer,
            403: OpenApiResponse(ErrorSerializer, description="Pas d'accès en écriture."),
        },
    ),
)
class ProgrammeViewSet(
    ApiViewMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet[Programme],
):
    serializer_class = ProgrammeSerializer
    filterset_class = ProgrammeFilter

    def get_queryset(self) -> QuerySet[Programme]:
        return programmes_visible_to(self.request.user).order_by("-start_date", "id")

    def get_serializer_class(self) -> type[BaseSerializer[Any]]:
        if self.action == "create":
            return ProgrammeCreateSerializer
        return ProgrammeSerializer

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        programme = services.create_programme(by=request.user, **serializer.validated_data)
        return Response(
            ProgrammeSerializer(programme, context=self.get_serializer_context()).data,
            status=status.HTTP_201_CREATED,
        )
