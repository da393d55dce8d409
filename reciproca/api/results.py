"""REST resources of the results (routed under /api/v1/ by `reciproca/api/urls.py`):
indicators, reporting periods with their report's state and the review actions, current
values (reporting one goes through the same service as the pages), evaluations.

Every list is scoped to the projects the user may see; every write is one service call, so the
API obeys the pages' rules (the lock after approval → 409, a breakdown that does not add up →
400 with the difference, a partner may not approve → 403).
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from reciproca.api.base import ApiViewMixin
from reciproca.api.serializers.results import (
    EvaluationSerializer,
    IndicatorSerializer,
    PeriodSerializer,
    ReturnSerializer,
    ValueSerializer,
)
from reciproca.projects.policies import get_project_for, projects_visible_to
from reciproca.results import policies, services
from reciproca.results.models import Evaluation, Indicator, Period, Value


def _project_filter(request: Request, queryset: QuerySet[Any], path: str) -> QuerySet[Any]:
    project = request.query_params.get("project")
    if project and project.isdigit():
        queryset = queryset.filter(**{path: int(project)})
    return queryset


@extend_schema_view(
    list=extend_schema(summary="Indicateurs des cadres de résultats (PRJ-1)", tags=["results"])
)
class IndicatorViewSet(ApiViewMixin, viewsets.ReadOnlyModelViewSet[Indicator]):
    serializer_class = IndicatorSerializer

    def get_queryset(self) -> QuerySet[Indicator]:
        found = (
            Indicator.objects.filter(
                node__framework__project__in=projects_visible_to(self.request.user)
            )
            .select_related("node__framework")
            .prefetch_related("sdg_targets")
            .order_by("id")
        )
        return _project_filter(self.request, found, "node__framework__project_id")


@extend_schema_view(
    list=extend_schema(
        summary="Périodes de suivi et état de leur rapport (PRJ-8)", tags=["results"]
    )
)
class PeriodViewSet(ApiViewMixin, viewsets.ReadOnlyModelViewSet[Period]):
    serializer_class = PeriodSerializer

    def get_queryset(self) -> QuerySet[Period]:
        found = (
            Period.objects.filter(framework__project__in=projects_visible_to(self.request.user))
            .select_related("framework", "report")
            .order_by("start", "id")
        )
        return _project_filter(self.request, found, "framework__project_id")

    def _run(self, request: Request, name: str, **kwargs: Any) -> Response:
        period = self.get_object()
        project = get_project_for(request.user, period.framework.project_id)
        getattr(services, name)(project=project, by=request.user, period=period, **kwargs)
        period.report.refresh_from_db()
        return Response(PeriodSerializer(period).data)

    @extend_schema(
        request=None, responses=PeriodSerializer, summary="Soumettre le rapport", tags=["results"]
    )
    @action(detail=True, methods=["post"])
    def submit(self, request: Request, pk: str | None = None) -> Response:
        return self._run(request, "submit_report")

    @extend_schema(
        request=ReturnSerializer,
        responses=PeriodSerializer,
        summary="Renvoyer le rapport (motif requis)",
        tags=["results"],
    )
    @action(detail=True, methods=["post"], url_path="return")
    def return_(self, request: Request, pk: str | None = None) -> Response:
        period = self.get_object()
        project = get_project_for(request.user, period.framework.project_id)
        policies.require(policies.can_review(request.user, project))  # before reading the body
        body = ReturnSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        return self._run(request, "return_report", reason=body.validated_data["reason"])

    @extend_schema(
        request=None, responses=PeriodSerializer, summary="Approuver le rapport", tags=["results"]
    )
    @action(detail=True, methods=["post"])
    def approve(self, request: Request, pk: str | None = None) -> Response:
        return self._run(request, "approve_report")


@extend_schema_view(
    list=extend_schema(summary="Valeurs en vigueur des indicateurs", tags=["results"]),
    create=extend_schema(summary="Déclarer ou corriger une valeur", tags=["results"]),
)
class ValueViewSet(
    ApiViewMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet[Value],
):
    serializer_class = ValueSerializer

    def get_queryset(self) -> QuerySet[Value]:
        found = Value.objects.filter(
            indicator__node__framework__project__in=projects_visible_to(self.request.user),
            is_current=True,
        ).order_by("id")
        return _project_filter(self.request, found, "indicator__node__framework__project_id")

    def perform_create(self, serializer: Any) -> None:
        data = serializer.validated_data
        indicator, period = data["indicator"], data["period"]
        project = get_project_for(self.request.user, indicator.node.framework.project_id)
        serializer.instance = services.report_value(
            project=project,
            by=self.request.user,
            indicator=indicator,
            period=period,
            value=data.get("value"),
            breakdown=data.get("breakdown") or {},
            narrative=data.get("narrative", ""),
            level=data.get("level", ""),
            reason=data.get("reason", ""),
        )


@extend_schema_view(
    list=extend_schema(summary="Évaluations (critères du CAD de l'OCDE)", tags=["results"])
)
class EvaluationViewSet(ApiViewMixin, viewsets.ReadOnlyModelViewSet[Evaluation]):
    serializer_class = EvaluationSerializer

    def get_queryset(self) -> QuerySet[Evaluation]:
        found = (
            Evaluation.objects.filter(framework__project__in=projects_visible_to(self.request.user))
            .select_related("framework")
            .prefetch_related("ratings")
            .order_by("id")
        )
        return _project_filter(self.request, found, "framework__project_id")
