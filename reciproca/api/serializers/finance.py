"""Serializers of the finance resources: amounts are decimals with their currency; French
labels come with the codes."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from reciproca.api.serializers.common import ScopedModelSerializer, register_scope
from reciproca.finance.models import (
    AgeBand,
    BudgetLine,
    Exchange,
    ExchangeRate,
    FundingSearch,
    FundingSource,
    PartnerRevenue,
    Sex,
    SkillsSponsorship,
    StaffTime,
    Transaction,
)
from reciproca.partnerships.models import Partnership
from reciproca.partnerships.policies import partnerships_visible_to
from reciproca.projects.models import Project
from reciproca.projects.policies import projects_visible_to


class ExchangeRateSerializer(ScopedModelSerializer):
    class Meta:
        model = ExchangeRate
        fields = ["id", "currency", "date", "rate", "is_fixed", "source"]
        read_only_fields = ["id", "is_fixed"]


class BudgetLineSerializer(ScopedModelSerializer):
    category_label = serializers.CharField(source="get_category_display", read_only=True)

    class Meta:
        model = BudgetLine
        fields = [
            "id",
            "project",
            "year",
            "category",
            "category_label",
            "label",
            "amount",
            "currency",
            "revision",
        ]
        read_only_fields = ["id", "revision"]


class TransactionSerializer(ScopedModelSerializer):
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)

    class Meta:
        model = Transaction
        fields = [
            "id",
            "project",
            "kind",
            "kind_label",
            "value_date",
            "amount",
            "currency",
            "category",
            "description",
            "source",
            "host_funds",
        ]
        read_only_fields = ["id"]


class FundingSourceSerializer(ScopedModelSerializer):
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)
    side = serializers.CharField(required=False, allow_blank=True)

    class Meta:
        model = FundingSource
        fields = [
            "id",
            "project",
            "kind",
            "kind_label",
            "side",
            "organisation",
            "label",
            "amount",
            "currency",
            "status",
            "status_label",
            "in_kind",
            "call",
            "revision",
        ]
        read_only_fields = ["id", "revision"]


class StaffTimeSerializer(ScopedModelSerializer):
    class Meta:
        model = StaffTime
        fields = [
            "id",
            "project",
            "staff_member",
            "service",
            "skills",
            "mission",
            "year",
            "days",
            "daily_rate",
        ]
        read_only_fields = ["id"]


class SkillsSponsorshipSerializer(ScopedModelSerializer):
    valuation = serializers.SerializerMethodField()

    class Meta:
        model = SkillsSponsorship
        fields = [
            "id",
            "project",
            "company",
            "employee",
            "skills",
            "start_date",
            "end_date",
            "days",
            "daily_cost",
            "receipt_number",
            "valuation",
        ]
        read_only_fields = ["id", "valuation"]

    def get_valuation(self, obj: SkillsSponsorship) -> dict[str, Any]:
        from reciproca.finance.plan import sponsorship_value

        v = sponsorship_value(obj)
        return {
            "at_cost": str(v.at_cost.rounded().amount),
            "cap": str(v.cap.rounded().amount) if v.cap else None,
            "value": str(v.value.rounded().amount),
            "capped": v.capped,
            "currency": "EUR",
        }


class PartnerRevenueSerializer(ScopedModelSerializer):
    class Meta:
        model = PartnerRevenue
        fields = [
            "id",
            "partnership",
            "organisation",
            "year",
            "kind",
            "label",
            "amount",
            "currency",
        ]
        read_only_fields = ["id"]


class FundingSearchSerializer(ScopedModelSerializer):
    outcome_label = serializers.CharField(source="get_outcome_display", read_only=True)

    class Meta:
        model = FundingSearch
        fields = [
            "id",
            "partnership",
            "organisation",
            "date",
            "funder",
            "amount",
            "currency",
            "outcome",
            "outcome_label",
            "notes",
        ]
        read_only_fields = ["id"]


class ParticipantSerializer(serializers.Serializer[Any]):
    sex = serializers.ChoiceField(choices=Sex.choices)
    age_band = serializers.ChoiceField(choices=AgeBand.choices)
    count = serializers.IntegerField(min_value=0)


class ExchangeSerializer(ScopedModelSerializer):
    participants = ParticipantSerializer(many=True)
    objectives = serializers.ListField(child=serializers.CharField(max_length=20))

    class Meta:
        model = Exchange
        fields = [
            "id",
            "partnership",
            "project",
            "kind",
            "direction",
            "title",
            "start_date",
            "end_date",
            "place",
            "competences",
            "benefits_partner",
            "benefits_host",
            "objectives",
            "participants",
        ]
        read_only_fields = ["id"]


class FundingPlanSerializer(serializers.Serializer[Any]):
    """A project's funding plan as computed: every amount converted at `rates_date`."""

    project = serializers.IntegerField()
    rates_date = serializers.DateField()
    budget_total = serializers.CharField(allow_null=True)
    counted_total = serializers.CharField(allow_null=True)
    currency = serializers.CharField()
    conversion_errors = serializers.ListField(child=serializers.CharField())
    warnings = serializers.ListField(child=serializers.DictField())
    lines = serializers.ListField(child=serializers.DictField())


def _sources_visible_to(user: Any) -> Any:
    return FundingSource.objects.filter(project__in=projects_visible_to(user))


register_scope(Project, projects_visible_to)
register_scope(Partnership, partnerships_visible_to)
register_scope(FundingSource, _sources_visible_to)
