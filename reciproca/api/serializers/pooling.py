"""Serializers of the pooling resources: found activities with their reasons, coordination
decisions."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from reciproca.api.serializers.common import ScopedPrimaryKeyField
from reciproca.pooling.models import Activity, Coordination
from reciproca.pooling.policies import activities_visible_to
from reciproca.projects.models import Project
from reciproca.projects.policies import projects_visible_to


class ActivitySerializer(serializers.ModelSerializer[Activity]):
    class Meta:
        model = Activity
        fields = [
            "id",
            "identifier",
            "origin",
            "title",
            "reporting_org_ref",
            "reporting_org_name",
            "reporting_org_type",
            "actor_kind",
            "countries",
            "sectors",
            "sdg_targets",
            "start_date",
            "end_date",
            "status",
            "amount",
            "currency",
        ]
        read_only_fields = fields


class FoundSerializer(serializers.Serializer[Any]):
    rank = serializers.IntegerField()
    score = serializers.IntegerField()
    reasons = serializers.ListField(child=serializers.CharField())
    activity = ActivitySerializer()


class CoordinationSerializer(serializers.ModelSerializer[Coordination]):
    project = ScopedPrimaryKeyField(scope=projects_visible_to, queryset=Project.objects.all())
    activity = ScopedPrimaryKeyField(scope=activities_visible_to, queryset=Activity.objects.all())

    class Meta:
        model = Coordination
        fields = [
            "id",
            "project",
            "activity",
            "activity_identifier",
            "outcome",
            "note",
            "recorded_by",
            "recorded_at",
        ]
        read_only_fields = ["id", "activity_identifier", "recorded_by", "recorded_at"]
