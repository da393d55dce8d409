"""Serializers of the results resources (reciproca/api/results.py)."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from reciproca.api.serializers.common import ScopedPrimaryKeyField
from reciproca.results.models import Evaluation, Indicator, Period, Value
from reciproca.results.policies import indicators_visible_to, periods_visible_to


class IndicatorSerializer(serializers.ModelSerializer[Indicator]):
    project = serializers.IntegerField(source="node.framework.project_id", read_only=True)
    level = serializers.CharField(source="node.level", read_only=True)
    sdg_targets: Any = serializers.SlugRelatedField(slug_field="code", many=True, read_only=True)

    class Meta:
        model = Indicator
        fields = [
            "id",
            "project",
            "level",
            "title",
            "kind",
            "unit",
            "baseline",
            "baseline_date",
            "aggregation",
            "family",
            "dimensions",
            "scale",
            "sdg_targets",
        ]


class PeriodSerializer(serializers.ModelSerializer[Period]):
    project = serializers.IntegerField(source="framework.project_id", read_only=True)
    state = serializers.CharField(source="report.state", read_only=True)
    returned_reason = serializers.CharField(source="report.returned_reason", read_only=True)

    class Meta:
        model = Period
        fields = ["id", "project", "label", "start", "end", "state", "returned_reason"]


class ValueSerializer(serializers.ModelSerializer[Value]):
    indicator = ScopedPrimaryKeyField(scope=indicators_visible_to, queryset=Indicator.objects.all())
    period = ScopedPrimaryKeyField(scope=periods_visible_to, queryset=Period.objects.all())

    class Meta:
        model = Value
        fields = [
            "id",
            "indicator",
            "period",
            "revision",
            "value",
            "breakdown",
            "narrative",
            "level",
            "reason",
            "entered_at",
        ]
        read_only_fields = ["id", "revision", "entered_at"]
        extra_kwargs: dict[str, Any] = {
            "breakdown": {"required": False},
            "narrative": {"required": False},
            "level": {"required": False},
            "reason": {"required": False},
        }
        validators: list[Any] = []


class ReturnSerializer(serializers.Serializer[Any]):
    reason = serializers.CharField(allow_blank=True)


class EvaluationSerializer(serializers.ModelSerializer[Evaluation]):
    project = serializers.IntegerField(source="framework.project_id", read_only=True)
    ratings = serializers.SerializerMethodField()

    class Meta:
        model = Evaluation
        fields = [
            "id",
            "project",
            "timing",
            "title",
            "findings",
            "recommendations",
            "lessons",
            "completed_on",
            "ratings",
        ]

    def get_ratings(self, obj: Evaluation) -> dict[str, int]:
        return {r.criterion: r.score for r in obj.ratings.all()}
