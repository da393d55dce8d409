"""/api/v1/projects/: projects in the user's scope, their lifecycle and its conditions.

Each endpoint makes one domain call (`reciproca.projects.services`); a refused transition
answers 409 with every unmet condition and the charter clauses behind it.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models import Prefetch, QuerySet
from django.utils import translation
from django_filters import rest_framework as filters
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.serializers import BaseSerializer

from reciproca.api import pagination
from reciproca.api.base import ApiViewMixin, expected_revision
from reciproca.api.filters import IdFilter
from reciproca.api.serializers.common import ErrorSerializer, TransitionRefusedSerializer
from reciproca.api.serializers.projects import (
    LANGUAGES,
    TAG_FIELDS,
    TRANSLATED_FIELDS,
    AuditEventSerializer,
    ChecklistTransitionSerializer,
    DecisionCreateSerializer,
    DecisionSerializer,
    ProjectCreateSerializer,
    ProjectSerializer,
    ProjectUpdateSerializer,
    SignOffSerializer,
    TransitionSerializer,
)
from reciproca.partnerships.models import ElectedOfficial, Service
from reciproca.projects import policies, queries, services
from reciproca.projects.models import Project, ProjectMarker, ProjectPartner, Stage
from reciproca.reference.models import PurposeCode, SdgTarget
from reciproca.territories.models import Territory

_NOT_FOUND = OpenApiResponse(ErrorSerializer, description="Projet introuvable ou hors de portée.")
_FORBIDDEN = OpenApiResponse(ErrorSerializer, description="Pas le droit de faire cela.")
_REFUSED = OpenApiResponse(
    TransitionRefusedSerializer,
    description="Refusé par la charte : chaque condition non remplie, avec ses clauses.",
)


class ProjectFilter(filters.FilterSet):
    stage = filters.ChoiceFilter(choices=Stage.choices)
    partnership = IdFilter(field_name="partnership_id")
    programme = IdFilter(field_name="programme_id")
    is_suspended = filters.BooleanFilter()

    class Meta:
        model = Project
        fields: list[str] = []


def api_project_list(user: Any) -> QuerySet[Project]:
    """The scoped project list with what the API shows, in a fixed number of queries and
    building only what it serialises: the partnership (its name), the partners with their
    organisation, the themes, the markers with their codes; the SDG targets and purpose codes
    by code, the places, services and elected officials by id."""
    return (
        policies.projects_listed_for(user)
        .select_related("partnership")
        .prefetch_related(
            Prefetch("partners", queryset=ProjectPartner.objects.select_related("organisation")),
            "themes",
            Prefetch("sdg_targets", queryset=SdgTarget.objects.only("id", "code")),
            Prefetch("purpose_codes", queryset=PurposeCode.objects.only("id", "code")),
            Prefetch("locations", queryset=Territory.objects.only("id")),
            Prefetch("services", queryset=Service.objects.only("id")),
            Prefetch("elected_officials", queryset=ElectedOfficial.objects.only("id")),
            Prefetch(
                "markers", queryset=ProjectMarker.objects.select_related("marker", "significance")
            ),
        )
        .order_by("-updated_at", "-id")
    )


def checklist(project: Project) -> list[dict[str, Any]]:
    """The project's charter checklist (`projects.queries.checklist`), as the API shows it."""
    return [
        {
            "transition": gate.name,
            "label": str(gate.transition.label),
            "target": gate.transition.target,
            "via_decision": gate.transition.via_decision,
            "is_possible": gate.is_ready,
            "conditions": [
                {
                    "check": condition.check,
                    "label": condition.label,
                    "clauses": list(condition.clauses),
                    "met": condition.is_met,
                    "reasons": list(condition.reasons),
                    "is_planned": condition.is_planned,
                    "evidence_url": condition.evidence_url,
                }
                for condition in gate.conditions
            ],
        }
        for gate in queries.checklist(project)
    ]


@extend_schema_view(
    list=extend_schema(summary="Projets", tags=["projects"]),
    retrieve=extend_schema(
        summary="Un projet", tags=["projects"], responses={200: ProjectSerializer, 404: _NOT_FOUND}
    ),
    create=extend_schema(
        summary="Enregistrer un projet dans un partenariat",
        description=(
            "Donnez au moins un titre (`title_fr`, `title_en`, `title_ar` ou `title_hy`) : "
            "chaque partenaire rédige dans sa langue. La collectivité hôte et l'autorité "
            "partenaire sont co-maîtres d'ouvrage."
        ),
        tags=["projects"],
        request=ProjectCreateSerializer,
        responses={201: ProjectSerializer, 400: ErrorSerializer, 403: _FORBIDDEN},
    ),
    partial_update=extend_schema(
        summary="Modifier un projet",
        description="Une modification retire les validations de l'étape en cours (PRJ-8).",
        tags=["projects"],
        request=ProjectUpdateSerializer,
        responses={200: ProjectSerializer, 400: ErrorSerializer, 403: _FORBIDDEN, 404: _NOT_FOUND},
    ),
)
class ProjectViewSet(
    ApiViewMixin,
    mixins.ListModelMixin,
    viewsets.GenericViewSet[Project],
):
    serializer_class = ProjectSerializer
    filterset_class = ProjectFilter
    # The list that grows: cursor pages by default (`?page=` still numbers them).
    pagination_style = pagination.CURSOR
    cursor_ordering = ("-updated_at", "-id")
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self) -> QuerySet[Project]:
        return api_project_list(self.request.user)

    def get_object(self) -> Project:
        """The project if the user may see it, else 404: the one fetch-or-404 of the policies."""
        return policies.get_project_for(self.request.user, self.kwargs["pk"])

    def get_serializer_class(self) -> type[BaseSerializer[Any]]:
        by_action: dict[str, type[BaseSerializer[Any]]] = {
            "create": ProjectCreateSerializer,
            "partial_update": ProjectUpdateSerializer,
            "transition": TransitionSerializer,
            "decision": DecisionCreateSerializer,
        }
        return by_action.get(self.action or "", ProjectSerializer)

    def _project_response(
        self, project: Project, status_code: int = status.HTTP_200_OK
    ) -> Response:
        detail = queries.project_detail(project)
        return Response(
            ProjectSerializer(detail, context=self.get_serializer_context()).data,
            status=status_code,
        )

    def _validated(self, request: Request) -> dict[str, Any]:
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        return dict(serializer.validated_data)

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return self._project_response(self.get_object())

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        data = self._validated(request)
        tags = {name: data.pop(name) for name in TAG_FIELDS if name in data}
        texts = {name: data.pop(name) for name in TRANSLATED_FIELDS if name in data}
        # The project is created in the first language its author gave a title in; the other
        # languages' texts are then set as one update, in the same transaction.
        language = next(
            (lang for lang in LANGUAGES if texts.get(f"title_{lang}", "").strip()), "fr"
        )
        with transaction.atomic():
            with translation.override(language):
                project = services.create_project(
                    by=request.user,
                    title=texts.pop(f"title_{language}", ""),
                    summary=texts.pop(f"summary_{language}", ""),
                    objectives=texts.pop(f"objectives_{language}", ""),
                    **data,
                )
            others = {name: value for name, value in texts.items() if value}
            if others:
                services.update_project(project=project, by=request.user, **others)
            if tags:
                services.set_project_tags(project=project, by=request.user, **tags)
        return self._project_response(project, status.HTTP_201_CREATED)

    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        project = self.get_object()
        data = self._validated(request)
        reason = data.pop("reason", "")
        tags = {name: data.pop(name) for name in TAG_FIELDS if name in data}
        revision = expected_revision(request)
        with transaction.atomic():
            # Called even without field changes: it is where the edit right (and the
            # revision) is checked.
            services.update_project(
                project=project, by=request.user, reason=reason, revision=revision, **data
            )
            if tags:
                # The same edit: the fields' change, if any, made the revision it continues.
                services.set_project_tags(
                    project=project, by=request.user, revision=project.revision, **tags
                )
        return self._project_response(project)

    @extend_schema(
        summary="Faire avancer le projet dans son cycle de vie",
        description=(
            "Applique une transition (`start_diagnosis`, `submit_for_decision`, "
            "`start_implementation`, `start_evaluation`, `close`, `suspend`, `resume`). "
            "La décision passe par `…/decision/`."
        ),
        tags=["projects"],
        request=TransitionSerializer,
        responses={
            200: ProjectSerializer,
            400: ErrorSerializer,
            403: _FORBIDDEN,
            404: _NOT_FOUND,
            409: _REFUSED,
        },
    )
    @action(detail=True, methods=["post"])
    def transition(self, request: Request, pk: str) -> Response:
        project = self.get_object()
        services.require_transition(request.user, project)
        data = self._validated(request)
        services.transition_project(
            project=project, transition=data["transition"], by=request.user, reason=data["reason"]
        )
        return self._project_response(project)

    @extend_schema(
        summary="Enregistrer la décision issue du diagnostic (PRJ-4)",
        description=(
            "`IMPLEMENT` mène à l'élaboration, `ADJUST` renvoie au diagnostic, `REJECT` clôt le "
            "projet, `REDESIGN` le clôt et ouvre un nouveau projet lié (`new_title`). "
            "La motivation est obligatoire."
        ),
        tags=["projects"],
        request=DecisionCreateSerializer,
        responses={
            201: DecisionSerializer,
            400: ErrorSerializer,
            403: _FORBIDDEN,
            404: _NOT_FOUND,
            409: _REFUSED,
        },
    )
    @action(detail=True, methods=["post"])
    def decision(self, request: Request, pk: str) -> Response:
        project = self.get_object()
        services.require_decision(request.user, project)
        data = self._validated(request)
        decision = services.record_decision(project=project, by=request.user, **data)
        return Response(
            DecisionSerializer(decision, context=self.get_serializer_context()).data,
            status=status.HTTP_201_CREATED,
        )

    @extend_schema(
        summary="Valider l'étape en cours au nom de son organisation (PRJ-8)",
        tags=["projects"],
        request=None,
        responses={201: SignOffSerializer, 400: ErrorSerializer, 403: _FORBIDDEN, 404: _NOT_FOUND},
    )
    @action(detail=True, methods=["post"], url_path="sign-off", url_name="sign-off")
    def sign_off(self, request: Request, pk: str) -> Response:
        project = self.get_object()
        signoff = services.sign_off_stage(project=project, by=request.user)
        return Response(
            SignOffSerializer(signoff, context=self.get_serializer_context()).data,
            status=status.HTTP_201_CREATED,
        )

    @extend_schema(
        summary="Ce que chaque transition possible demande encore",
        description=(
            "Pour chaque transition ouverte depuis l'étape du projet : chaque condition de la "
            "charte, remplie ou non, avec les raisons et les clauses concernées."
        ),
        tags=["projects"],
        responses={200: ChecklistTransitionSerializer(many=True), 404: _NOT_FOUND},
    )
    @action(detail=True, methods=["get"], pagination_class=None, filter_backends=[])
    def checklist(self, request: Request, pk: str) -> Response:
        project = self.get_object()
        return Response(ChecklistTransitionSerializer(checklist(project), many=True).data)

    @extend_schema(
        summary="Historique du projet : qui a fait quoi, quand et pourquoi",
        tags=["projects"],
        responses={200: AuditEventSerializer(many=True), 404: _NOT_FOUND},
    )
    @action(detail=True, methods=["get"], filter_backends=[])
    def timeline(self, request: Request, pk: str) -> Response:
        project = self.get_object()
        events = queries.timeline(project)
        context = self.get_serializer_context()
        paginator = self.paginator
        page = paginator.paginate_queryset(events, request, view=self) if paginator else None
        if paginator is None or page is None:
            return Response(AuditEventSerializer(events, many=True, context=context).data)
        serializer = AuditEventSerializer(page, many=True, context=context)
        return paginator.get_paginated_response(serializer.data)
