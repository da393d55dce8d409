"""The pooling resources: the finder of a project (`/pooling-finder/{project}/`, ranked with
reasons) and the coordination decisions (`/pooling-coordinations/`), through the same finder,
policies and services as the pages."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, serializers, viewsets
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response

from reciproca.api.base import ApiViewMixin
from reciproca.api.serializers.pooling import CoordinationSerializer, FoundSerializer
from reciproca.pooling import finder, policies, services
from reciproca.pooling.models import Coordination
from reciproca.projects.policies import get_project_for


class FinderViewSet(ApiViewMixin, viewsets.ViewSet):
    """Other actors' activities for a project, ranked, each with the reasons of its rank."""

    permission_classes = [IsAuthenticated]
    lookup_field = "project"
    lookup_value_regex = r"\d+"

    @extend_schema(
        summary="Autres acteurs sur le territoire d'un projet",
        tags=["pooling"],
        parameters=[
            OpenApiParameter("radius_km", int, description="rayon autour des lieux (km)"),
            OpenApiParameter("french_only", bool),
            OpenApiParameter("include_country", bool),
        ],
        responses=FoundSerializer(many=True),
    )
    def retrieve(self, request: Request, project: str | None = None) -> Response:
        subject = get_project_for(request.user, project or "")
        params = request.query_params
        try:
            radius = float(params.get("radius_km") or 0)
        except ValueError as error:
            raise serializers.ValidationError({"radius_km": "nombre attendu"}) from error
        query = finder.query_for_project(
            subject,
            radius_km=max(0.0, min(radius, 500.0)),
            french_only=params.get("french_only") in ("1", "true"),
            include_country=params.get("include_country") in ("1", "true"),
        )
        found = finder.find(query)
        services.record_consultation(project=subject, by=request.user, found=len(found))
        data = [
            {"rank": rank, "score": f.score, "reasons": f.reasons, "activity": f.activity}
            for rank, f in enumerate(found, start=1)
        ]
        return Response(FoundSerializer(data, many=True).data)


@extend_schema_view(
    list=extend_schema(summary="Décisions de coordination", tags=["pooling"]),
    create=extend_schema(summary="Enregistrer une décision de coordination", tags=["pooling"]),
)
class CoordinationViewSet(
    ApiViewMixin,
    mixins.ListModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet[Coordination],
):
    serializer_class = CoordinationSerializer
    permission_classes = [IsAuthenticated]

    def get_queryset(self) -> QuerySet[Coordination]:
        return policies.coordinations_visible_to(self.request.user).order_by("-recorded_at", "-id")

    def perform_create(self, serializer: Any) -> None:
        data = serializer.validated_data
        project = get_project_for(self.request.user, data["project"].pk)
        serializer.instance = services.record_coordination(
            project=project,
            activity=data["activity"],
            outcome=data["outcome"],
            note=data.get("note", ""),
            by=self.request.user,
        )
