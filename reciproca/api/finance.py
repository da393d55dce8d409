"""REST resources of the finance app (routed under /api/v1/ by `reciproca/api/urls.py`):
exchange rates, budget lines, transactions, funding sources and the computed funding plan,
staff time, skills sponsorship, partner revenue and the reciprocity ledger.

Lists are scoped to what the user may see (`projects_visible_to`, and for
a partnership's ledger `ledger_partnerships`: not for who sees one project only);
every write is one service call, so the API obeys the pages' rules and policies.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django_filters import rest_framework as filters
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from reciproca.api.base import ApiViewMixin, expected_revision
from reciproca.api.filters import IdFilter
from reciproca.api.serializers.finance import (
    BudgetLineSerializer,
    ExchangeRateSerializer,
    ExchangeSerializer,
    FundingPlanSerializer,
    FundingSearchSerializer,
    FundingSourceSerializer,
    PartnerRevenueSerializer,
    SkillsSponsorshipSerializer,
    StaffTimeSerializer,
    TransactionSerializer,
)
from reciproca.finance import plan as plans
from reciproca.finance import policies as finance_policies
from reciproca.finance import services
from reciproca.finance.models import (
    BudgetLine,
    Exchange,
    ExchangeRate,
    FundingSearch,
    FundingSource,
    PartnerRevenue,
    SkillsSponsorship,
    SourceStatus,
    StaffTime,
    Transaction,
)
from reciproca.finance.policies import get_ledger_partnership_for, ledger_partnerships
from reciproca.projects.policies import get_project_for, projects_visible_to


class ProjectFilter(filters.FilterSet):
    project = IdFilter(field_name="project_id")


class PartnershipFilter(filters.FilterSet):
    partnership = IdFilter(field_name="partnership_id")


class _Base(
    ApiViewMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    model: Any = None
    scope = "project"

    def get_queryset(self) -> QuerySet[Any]:
        rows = self.model.objects.all()
        if self.scope == "project":
            return rows.filter(project__in=projects_visible_to(self.request.user)).order_by("id")
        return rows.filter(partnership__in=ledger_partnerships(self.request.user)).order_by("id")

    def get_serializer(self, *args: Any, **kwargs: Any) -> Any:
        """A write names only projects and partnerships the user may see: another one is
        refused like one that does not exist (existence is not leaked)."""
        serializer: Any = super().get_serializer(*args, **kwargs)
        if not hasattr(serializer, "child"):
            fields = serializer.fields
            if "project" in fields and hasattr(fields["project"], "queryset"):
                fields["project"].queryset = projects_visible_to(self.request.user)
            if "partnership" in fields and hasattr(fields["partnership"], "queryset"):
                fields["partnership"].queryset = ledger_partnerships(self.request.user)
        return serializer

    def _project(self, data: dict[str, Any]) -> Any:
        project = data.pop("project")
        return get_project_for(self.request.user, project.pk)

    def _partnership(self, data: dict[str, Any]) -> Any:
        partnership = data.pop("partnership")
        return get_ledger_partnership_for(self.request.user, partnership.pk)


class ExchangeRateViewSet(_Base):
    serializer_class = ExchangeRateSerializer
    model = ExchangeRate

    def get_queryset(self) -> QuerySet[Any]:
        return ExchangeRate.objects.all()

    def perform_create(self, serializer: Any) -> None:
        data = dict(serializer.validated_data)
        serializer.instance = services.enter_rate(
            by=self.request.user,
            currency=data["currency"],
            on=data["date"],
            rate=data["rate"],
            source=data["source"],
        )


class BudgetLineViewSet(_Base):
    serializer_class = BudgetLineSerializer
    filterset_class = ProjectFilter
    model = BudgetLine

    def perform_create(self, serializer: Any) -> None:
        data = dict(serializer.validated_data)
        project = self._project(data)
        serializer.instance = services.set_budget_line(
            project=project, by=self.request.user, **data
        )


class TransactionViewSet(_Base):
    serializer_class = TransactionSerializer
    filterset_class = ProjectFilter
    model = Transaction

    def perform_create(self, serializer: Any) -> None:
        data = dict(serializer.validated_data)
        project = self._project(data)
        serializer.instance = services.record_transaction(
            project=project, by=self.request.user, **data
        )


class SourceStatusSerializer(serializers.Serializer[Any]):
    status = serializers.ChoiceField(choices=SourceStatus.choices)


class FundingSourceViewSet(_Base):
    serializer_class = FundingSourceSerializer
    filterset_class = ProjectFilter
    model = FundingSource

    @extend_schema(request=SourceStatusSerializer, responses=FundingSourceSerializer)
    @action(detail=True, methods=["post"])
    def status(self, request: Request, pk: str | None = None) -> Response:
        """Move a source along planned → requested → granted → received (one service call)."""
        source = self.get_object()
        finance_policies.require_edit_finance(request.user, source.project)  # before the body
        body = SourceStatusSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        services.set_source_status(
            source=source,
            by=request.user,
            status=body.data["status"],
            revision=expected_revision(request),
        )
        return Response(FundingSourceSerializer(source).data)

    def perform_create(self, serializer: Any) -> None:
        data = dict(serializer.validated_data)
        project = self._project(data)
        serializer.instance = services.add_funding_source(
            project=project, by=self.request.user, **data
        )


class StaffTimeViewSet(_Base):
    serializer_class = StaffTimeSerializer
    filterset_class = ProjectFilter
    model = StaffTime

    def perform_create(self, serializer: Any) -> None:
        data = dict(serializer.validated_data)
        project = self._project(data)
        serializer.instance = services.record_staff_time(
            project=project, by=self.request.user, **data
        )


class SkillsSponsorshipViewSet(_Base):
    serializer_class = SkillsSponsorshipSerializer
    filterset_class = ProjectFilter
    model = SkillsSponsorship

    def perform_create(self, serializer: Any) -> None:
        data = dict(serializer.validated_data)
        project = self._project(data)
        serializer.instance = services.record_sponsorship(
            project=project, by=self.request.user, **data
        )


class PartnerRevenueViewSet(_Base):
    serializer_class = PartnerRevenueSerializer
    filterset_class = PartnershipFilter
    model = PartnerRevenue
    scope = "partnership"

    def perform_create(self, serializer: Any) -> None:
        data = dict(serializer.validated_data)
        partnership = self._partnership(data)
        serializer.instance = services.record_partner_revenue(
            partnership=partnership, by=self.request.user, **data
        )


class FundingSearchViewSet(_Base):
    serializer_class = FundingSearchSerializer
    filterset_class = PartnershipFilter
    model = FundingSearch
    scope = "partnership"

    def perform_create(self, serializer: Any) -> None:
        data = dict(serializer.validated_data)
        partnership = self._partnership(data)
        data["on"] = data.pop("date")
        serializer.instance = services.record_funding_search(
            partnership=partnership, by=self.request.user, **data
        )


class ExchangeViewSet(_Base):
    serializer_class = ExchangeSerializer
    filterset_class = PartnershipFilter
    model = Exchange
    scope = "partnership"

    def get_queryset(self) -> QuerySet[Any]:
        return super().get_queryset().prefetch_related("participants")

    def perform_create(self, serializer: Any) -> None:
        data = dict(serializer.validated_data)
        partnership = self._partnership(data)
        people = {(p["sex"], p["age_band"]): p["count"] for p in data.pop("participants")}
        serializer.instance = services.record_exchange(
            partnership=partnership, by=self.request.user, participants=people, **data
        )


class FundingPlanViewSet(ApiViewMixin, viewsets.ViewSet):
    """`/funding-plans/{project_id}/`: the plan as computed, with the calls' warnings."""

    serializer_class = FundingPlanSerializer

    @extend_schema(
        parameters=[OpenApiParameter("id", int, OpenApiParameter.PATH)],
        responses=FundingPlanSerializer,
    )
    def retrieve(self, request: Request, pk: str | None = None) -> Response:
        project = get_project_for(request.user, pk or "")
        s = plans.funding_plan(project)
        total = s.counted_total
        data = {
            "project": project.pk,
            "rates_date": s.rates_date,
            "budget_total": str(s.budget.total.rounded().amount) if s.budget.total else None,
            "counted_total": str(total.rounded().amount) if total else None,
            "currency": "EUR",
            "conversion_errors": s.errors + s.budget.errors,
            "warnings": [
                {"call": w.call, "rule": w.rule, "message": w.message, "source": w.source}
                for w in s.warnings
            ],
            "lines": [
                {
                    "label": line.label,
                    "kind": line.kind,
                    "side": line.side,
                    "status": line.status,
                    "amount": str(line.original.amount),
                    "currency": line.original.currency,
                    "eur": str(line.eur.rounded().amount) if line.eur else None,
                    "in_kind": line.in_kind,
                    "counted": line.counted,
                }
                for line in s.lines
            ],
        }
        return Response(FundingPlanSerializer(data).data)
