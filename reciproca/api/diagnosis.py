"""REST resources of the shared diagnosis (routed under /api/v1/ by `reciproca/api/urls.py`): the
diagnosis of a project with its sign-offs, needs, impact cells, responses to negative impacts,
alternatives, sustainable-development scores, versions and the conformity report.

Lists are scoped to the projects the user may see (`projects_visible_to`) and cost a fixed
number of queries; every write makes one service call, so the API obeys exactly the rules of
the pages (a change after a sign-off withdraws it, a frozen diagnosis refuses changes).
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from django_filters import rest_framework as filters
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from reciproca.api.base import ApiViewMixin, expected_revision
from reciproca.api.filters import IdFilter
from reciproca.api.serializers.diagnosis import (
    AlternativeSerializer,
    AssessmentSerializer,
    CellSerializer,
    CommitmentsSerializer,
    DiagnosisSerializer,
    DiagnosisSignOffSerializer,
    NeedSerializer,
    ResponseSerializer,
    ReversibilitySerializer,
    VersionSerializer,
    WithdrawSerializer,
)
from reciproca.core.exceptions import DomainError
from reciproca.diagnosis import policies as diagnosis_policies
from reciproca.diagnosis import queries, services
from reciproca.diagnosis.models import (
    Alternative,
    Assessment,
    Diagnosis,
    DiagnosisSignOff,
    DiagnosisVersion,
    Dimension,
    Direction,
    ImpactCell,
    ImpactResponse,
    Need,
    Side,
)
from reciproca.diagnosis.versions import build_pending_snapshots
from reciproca.projects import queries as project_queries
from reciproca.projects import services as project_services
from reciproca.projects.models import Project
from reciproca.projects.policies import get_project_for
from reciproca.reference.models import PolicyMarker, PolicySignificance, PurposeCode, SdgTarget

# --- filters ----------------------------------------------------------------------------------


class ProjectScopedFilter(filters.FilterSet):
    project = IdFilter(field_name="diagnosis__project_id")


class NeedFilter(ProjectScopedFilter):
    side = filters.ChoiceFilter(choices=Side.choices)

    class Meta:
        model = Need
        fields: list[str] = []


class CellFilter(ProjectScopedFilter):
    alternative = IdFilter(field_name="alternative_id")
    proposal = filters.BooleanFilter(field_name="alternative", lookup_expr="isnull")
    side = filters.ChoiceFilter(choices=Side.choices)
    dimension = filters.ChoiceFilter(choices=Dimension.choices)
    direction = filters.ChoiceFilter(choices=Direction.choices)

    class Meta:
        model = ImpactCell
        fields: list[str] = []


class ResponseFilter(filters.FilterSet):
    project = IdFilter(field_name="cell__diagnosis__project_id")
    cell = IdFilter(field_name="cell_id")

    class Meta:
        model = ImpactResponse
        fields: list[str] = []


class AlternativeFilter(ProjectScopedFilter):
    class Meta:
        model = Alternative
        fields: list[str] = []


class AssessmentFilter(ProjectScopedFilter):
    alternative = IdFilter(field_name="alternative_id")
    proposal = filters.BooleanFilter(field_name="alternative", lookup_expr="isnull")

    class Meta:
        model = Assessment
        fields: list[str] = []


class SignOffFilter(ProjectScopedFilter):
    class Meta:
        model = DiagnosisSignOff
        fields: list[str] = []


class VersionFilter(ProjectScopedFilter):
    class Meta:
        model = DiagnosisVersion
        fields: list[str] = []


class DiagnosisFilter(filters.FilterSet):
    project = IdFilter(field_name="project_id")

    class Meta:
        model = Diagnosis
        fields: list[str] = []


# --- helpers ----------------------------------------------------------------------------------


def _project(request: Request, pk: Any) -> Project:
    """The project named in a request body, if the user may see it (else 404)."""
    return get_project_for(request.user, pk)


def _valid(serializer: serializers.Serializer[Any]) -> dict[str, Any]:
    serializer.is_valid(raise_exception=True)
    return dict(serializer.validated_data)


def _alternative_of(project: Project, alternative: Alternative | None) -> Alternative | None:
    if alternative is not None and alternative.diagnosis.project_id != project.pk:
        raise DomainError(_("Cette alternative n'appartient pas à ce projet."))
    return alternative


# --- viewsets ---------------------------------------------------------------------------------


@extend_schema_view(
    list=extend_schema(summary="Diagnostics partagés", tags=["diagnosis"]),
    retrieve=extend_schema(
        summary="Le diagnostic d'un projet (par numéro de projet)", tags=["diagnosis"]
    ),
    create=extend_schema(summary="Ouvrir le diagnostic d'un projet", tags=["diagnosis"]),
)
class DiagnosisViewSet(
    ApiViewMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet[Diagnosis],
):
    """A project's diagnosis, addressed by the project's number: /diagnoses/{project}/."""

    serializer_class = DiagnosisSerializer
    filterset_class = DiagnosisFilter
    lookup_field = "project"
    lookup_value_regex = r"\d+"

    def get_queryset(self) -> QuerySet[Diagnosis]:
        return queries.diagnoses_visible_to(self.request.user).order_by("project_id")

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        # Live sign-offs of the listed page in one query, not one per diagnosis.
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        items = list(page or [])
        by_diagnosis: dict[int, list[DiagnosisSignOff]] = {d.pk: [] for d in items}
        versions = {d.pk: d.version for d in items}
        for signoff in DiagnosisSignOff.objects.filter(
            diagnosis_id__in=list(by_diagnosis), withdrawn_at__isnull=True
        ).select_related("diagnosis", "organisation", "signed_by", "withdrawn_by"):
            if signoff.version == versions[signoff.diagnosis_id]:
                by_diagnosis[signoff.diagnosis_id].append(signoff)
        data = [
            {
                "project": d.project_id,
                "version": d.version,
                "reversibility_statement": d.reversibility_statement,
                "live_signoffs": DiagnosisSignOffSerializer(by_diagnosis[d.pk], many=True).data,
                "updated_at": serializers.DateTimeField().to_representation(d.updated_at),
                "revision": d.revision,
            }
            for d in items
        ]
        return self.get_paginated_response(data)

    def get_object(self) -> Diagnosis:
        project = _project(self.request, self.kwargs["project"])
        return get_object_or_404(Diagnosis, project=project)

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        data = _valid(DiagnosisSerializer(data=request.data))
        project = _project(request, data["project_id"])
        diagnosis = services.open_diagnosis(project=project, by=request.user)
        return Response(DiagnosisSerializer(diagnosis).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="Valider le diagnostic au nom de son organisation",
        request=None,
        responses=DiagnosisSignOffSerializer,
        tags=["diagnosis"],
    )
    @action(detail=True, methods=["post"], url_path="sign-off")
    def sign_off(self, request: Request, project: str) -> Response:
        target = _project(request, project)
        signoff = services.sign_off_diagnosis(project=target, by=request.user)
        return Response(DiagnosisSignOffSerializer(signoff).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="Retirer la validation de son organisation",
        request=WithdrawSerializer,
        responses=DiagnosisSignOffSerializer,
        tags=["diagnosis"],
    )
    @action(detail=True, methods=["post"], url_path="withdraw-sign-off")
    def withdraw_sign_off(self, request: Request, project: str) -> Response:
        target = _project(request, project)
        data = _valid(WithdrawSerializer(data=request.data))
        signoff = services.withdraw_diagnosis_signoff(
            project=target, by=request.user, reason=data["reason"]
        )
        return Response(DiagnosisSignOffSerializer(signoff).data)

    @extend_schema(
        summary="Énoncé de réversibilité et de sortie",
        request=ReversibilitySerializer,
        responses=DiagnosisSerializer,
        tags=["diagnosis"],
    )
    @action(detail=True, methods=["put"], url_path="reversibility")
    def reversibility(self, request: Request, project: str) -> Response:
        target = _project(request, project)
        diagnosis_policies.require_edit_right(request.user, target)
        data = _valid(ReversibilitySerializer(data=request.data))
        diagnosis = services.set_reversibility_statement(
            project=target,
            by=request.user,
            text=data["reversibility_statement"],
            revision=expected_revision(request),
        )
        return Response(DiagnosisSerializer(diagnosis).data)

    @extend_schema(
        summary="Suggestions des thèmes, puis confirmation des ODD, marqueurs et codes-objet",
        request=CommitmentsSerializer,
        tags=["diagnosis"],
    )
    @action(detail=True, methods=["get", "post"], url_path="commitments")
    def commitments(self, request: Request, project: str) -> Response:
        target = _project(request, project)
        if request.method == "GET":
            target = queries.page_project(target)
            return Response(
                {
                    "revision": target.revision,
                    "suggestions": queries.suggestions(target),
                    "confirmed": {
                        "sdg_targets": sorted(t.code for t in target.sdg_targets.all()),
                        "purpose_codes": sorted(c.code for c in target.purpose_codes.all()),
                        "markers": [
                            {"marker": m.marker.code, "significance": m.significance.code}
                            for m in target.markers.all()
                        ],
                    },
                }
            )
        diagnosis_policies.require_edit_right(request.user, target)
        data = _valid(CommitmentsSerializer(data=request.data))
        targets = {t.code: t for t in SdgTarget.objects.filter(code__in=data["sdg_targets"])}
        codes = {c.code: c for c in PurposeCode.objects.filter(code__in=data["purpose_codes"])}
        markers = {m.code: m for m in PolicyMarker.objects.all()}
        levels = {s.code: s for s in PolicySignificance.objects.all()}
        unknown = [c for c in data["sdg_targets"] if c not in targets]
        unknown += [c for c in data["purpose_codes"] if c not in codes]
        unknown += [m["marker"] for m in data["markers"] if m["marker"] not in markers]
        unknown += [m["significance"] for m in data["markers"] if m["significance"] not in levels]
        if unknown:
            raise DomainError(_("Codes inconnus : %(codes)s.") % {"codes": ", ".join(unknown)})
        project_services.confirm_commitments(
            project=target,
            by=request.user,
            sdg_targets=list(targets.values()),
            purpose_codes=list(codes.values()),
            markers=[(markers[m["marker"]], levels[m["significance"]]) for m in data["markers"]],
            revision=expected_revision(request),
        )
        return Response({"status": "confirmed"})

    @extend_schema(summary="Rapport de conformité à la charte", request=None, tags=["diagnosis"])
    @action(detail=True, methods=["get"], url_path="conformity")
    def conformity(self, request: Request, project: str) -> Response:
        report = project_queries.conformity_report(_project(request, project))
        return Response(
            {
                "charter": {"slug": report.charter.slug, "version": report.charter.version},
                "generated_at": report.generated_at,
                "counts": {status: n for status, _label, n in report.counts},
                "clauses": [
                    {
                        "code": c.code,
                        "section": c.section,
                        "status": c.status,
                        "status_label": c.status_label,
                        "conditions": [
                            {
                                "check": k.check,
                                "label": str(k.label),
                                "transition": k.transition,
                                "met": k.is_met,
                                "reasons": list(k.reasons),
                                "evidence": request.build_absolute_uri(k.evidence_url)
                                if k.evidence_url
                                else "",
                            }
                            for k in c.conditions
                        ],
                    }
                    for c in report.clauses
                ],
            }
        )


class _ScopedViewSet(ApiViewMixin, viewsets.ModelViewSet[Any]):
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]


@extend_schema_view(
    list=extend_schema(summary="Besoins identifiés ensemble (PRI-2)", tags=["diagnosis"]),
    create=extend_schema(summary="Ajouter un besoin", tags=["diagnosis"]),
)
class NeedViewSet(_ScopedViewSet):
    serializer_class = NeedSerializer
    filterset_class = NeedFilter

    def get_queryset(self) -> QuerySet[Need]:
        return queries.needs_visible_to(self.request.user).order_by("id")

    def perform_create(self, serializer: Any) -> None:
        data = serializer.validated_data
        project = _project(self.request, data["diagnosis"]["project_id"])
        serializer.instance = services.add_need(
            project=project, by=self.request.user, side=data["side"], title=data["title"],
            population_concerned=data["population_concerned"], evidence=data["evidence"],
            description=data.get("description", ""),
            author_organisation=data.get("author_organisation"),
        )  # fmt: skip

    def perform_update(self, serializer: Any) -> None:
        data = dict(serializer.validated_data)
        data.pop("diagnosis", None)
        serializer.instance = services.update_need(
            need=serializer.instance,
            by=self.request.user,
            revision=expected_revision(self.request),
            **data,
        )

    def perform_destroy(self, instance: Need) -> None:
        services.remove_need(need=instance, by=self.request.user)


@extend_schema_view(
    list=extend_schema(summary="Cases de la matrice des impacts (PRJ-3)", tags=["diagnosis"]),
    create=extend_schema(
        summary="Renseigner une case (la case est créée ou remplacée à ces coordonnées)",
        tags=["diagnosis"],
    ),
)
class ImpactCellViewSet(_ScopedViewSet):
    serializer_class = CellSerializer
    filterset_class = CellFilter

    def get_queryset(self) -> QuerySet[ImpactCell]:
        return queries.cells_visible_to(self.request.user).order_by("id")

    def _save(
        self,
        project: Project,
        data: dict[str, Any],
        alternative: Alternative | None,
        revision: int,
    ) -> ImpactCell:
        return services.set_impact_cell(
            revision=revision,
            project=project, by=self.request.user, side=data["side"], dimension=data["dimension"],
            directness=data["directness"], horizon=data["horizon"], direction=data["direction"],
            magnitude=data.get("magnitude"), likelihood=data.get("likelihood"),
            justification=data.get("justification", ""),
            alternative=_alternative_of(project, alternative),
        )  # fmt: skip

    def perform_create(self, serializer: Any) -> None:
        data = serializer.validated_data
        project = _project(self.request, data["diagnosis"]["project_id"])
        # A cell already filled answers 409 with it: change it by its revision (PATCH).
        revision = expected_revision(self.request, absent=0)
        serializer.instance = self._save(project, data, data.get("alternative"), revision)

    def perform_update(self, serializer: Any) -> None:
        cell: ImpactCell = serializer.instance
        data = {
            "side": cell.side, "dimension": cell.dimension, "directness": cell.directness,
            "horizon": cell.horizon, "direction": cell.direction, "magnitude": cell.magnitude,
            "likelihood": cell.likelihood, "justification": cell.justification,
        }  # fmt: skip
        changes = dict(serializer.validated_data)
        changes.pop("diagnosis", None)
        changes.pop("alternative", None)
        if {"side", "dimension", "directness", "horizon"} & set(changes):
            raise DomainError(
                _("Les coordonnées d'une case ne changent pas : renseignez l'autre case.")
            )
        data.update(changes)
        project = cell.diagnosis.project
        serializer.instance = self._save(
            project, data, cell.alternative, expected_revision(self.request)
        )

    def perform_destroy(self, instance: ImpactCell) -> None:
        diagnosis_policies.require_edit_right(self.request.user, instance.diagnosis.project)
        raise DomainError(
            _("Une case ne se supprime pas : indiquez « inconnu » comme sens de l'effet.")
        )


@extend_schema_view(
    list=extend_schema(summary="Réponses aux impacts négatifs (PRJ-6)", tags=["diagnosis"]),
)
class ImpactResponseViewSet(_ScopedViewSet):
    serializer_class = ResponseSerializer
    filterset_class = ResponseFilter

    def get_queryset(self) -> QuerySet[ImpactResponse]:
        return queries.responses_visible_to(self.request.user).order_by("id")

    def perform_create(self, serializer: Any) -> None:
        data = serializer.validated_data
        cell = get_object_or_404(
            queries.cells_visible_to(self.request.user).select_related("diagnosis__project"),
            pk=data["cell"].pk,
        )
        serializer.instance = services.add_response(
            cell=cell, by=self.request.user, kind=data["kind"], description=data["description"],
            due_date=data.get("due_date"), owner_organisation=data.get("owner_organisation"),
            owner_name=data.get("owner_name", ""),
        )  # fmt: skip

    def perform_update(self, serializer: Any) -> None:
        response: ImpactResponse = serializer.instance
        data: dict[str, Any] = {
            "kind": response.kind, "description": response.description,
            "due_date": response.due_date, "owner_organisation": response.owner_organisation,
            "owner_name": response.owner_name,
        }  # fmt: skip
        changes = dict(serializer.validated_data)
        changes.pop("cell", None)
        data.update(changes)
        serializer.instance = services.update_response(
            response=response,
            by=self.request.user,
            revision=expected_revision(self.request),
            **data,
        )

    def perform_destroy(self, instance: ImpactResponse) -> None:
        services.remove_response(response=instance, by=self.request.user)


@extend_schema_view(
    list=extend_schema(summary="Solutions alternatives (PRJ-7)", tags=["diagnosis"]),
)
class AlternativeViewSet(_ScopedViewSet):
    serializer_class = AlternativeSerializer
    filterset_class = AlternativeFilter

    def get_queryset(self) -> QuerySet[Alternative]:
        return queries.alternatives_visible_to(self.request.user).order_by("id")

    def perform_create(self, serializer: Any) -> None:
        data = serializer.validated_data
        project = _project(self.request, data["diagnosis"]["project_id"])
        serializer.instance = services.add_alternative(
            project=project, by=self.request.user, title=data["title"],
            description=data.get("description", ""), is_do_nothing=data.get("is_do_nothing", False),
        )  # fmt: skip

    def perform_update(self, serializer: Any) -> None:
        data = serializer.validated_data
        serializer.instance = services.update_alternative(
            alternative=serializer.instance, by=self.request.user, title=data.get("title"),
            description=data.get("description"), is_do_nothing=data.get("is_do_nothing"),
            revision=expected_revision(self.request),
        )  # fmt: skip

    def perform_destroy(self, instance: Alternative) -> None:
        services.remove_alternative(alternative=instance, by=self.request.user)


@extend_schema_view(
    list=extend_schema(
        summary="Notes de la grille de développement durable (PRJ-14)", tags=["diagnosis"]
    ),
    create=extend_schema(
        summary="Noter un critère (remplace sa propre note précédente)", tags=["diagnosis"]
    ),
)
class AssessmentViewSet(
    ApiViewMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet[Assessment],
):
    serializer_class = AssessmentSerializer
    filterset_class = AssessmentFilter

    def get_queryset(self) -> QuerySet[Assessment]:
        return queries.assessments_visible_to(self.request.user).order_by("id")

    def perform_create(self, serializer: Any) -> None:
        data = serializer.validated_data
        project = _project(self.request, data["diagnosis"]["project_id"])
        alternative = _alternative_of(project, data.get("alternative"))
        saved = services.assess_options(
            project=project,
            by=self.request.user,
            scores={data["criterion_code"]: (int(data["score"]), data["justification"])},
            alternative=alternative,
        )
        serializer.instance = saved[0] if saved else Assessment.objects.get(
            diagnosis__project=project, alternative=alternative,
            criterion_code=data["criterion_code"], assessor_id=self.request.user.pk,
        )  # fmt: skip

    def perform_destroy(self, instance: Assessment) -> None:
        services.remove_assessment(assessment=instance, by=self.request.user)


@extend_schema_view(
    list=extend_schema(summary="Validations du diagnostic, retirées comprises", tags=["diagnosis"])
)
class SignOffViewSet(ApiViewMixin, viewsets.ReadOnlyModelViewSet[Any]):
    serializer_class = DiagnosisSignOffSerializer
    filterset_class = SignOffFilter

    def get_queryset(self) -> QuerySet[DiagnosisSignOff]:
        return queries.signoffs_visible_to(self.request.user).order_by("id")


@extend_schema_view(
    list=extend_schema(summary="Versions du diagnostic et leur contenu", tags=["diagnosis"])
)
class VersionViewSet(ApiViewMixin, viewsets.ReadOnlyModelViewSet[Any]):
    serializer_class = VersionSerializer
    filterset_class = VersionFilter

    def get_queryset(self) -> QuerySet[DiagnosisVersion]:
        # The snapshots writes left pending are built before they are read (one query when
        # none is).
        build_pending_snapshots(queries.diagnoses_visible_to(self.request.user))
        return queries.versions_visible_to(self.request.user).order_by("id")
