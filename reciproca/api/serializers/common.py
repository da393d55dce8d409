"""Shapes shared by several resources: error bodies, brief organisations and users."""

from __future__ import annotations

from rest_framework import serializers

from reciproca.accounts.models import User
from reciproca.partnerships.models import Organisation


class ErrorSerializer(serializers.Serializer):
    """Every 4xx answer: a sentence, the reasons a user can act on, and field errors if any."""

    detail = serializers.CharField()
    reasons = serializers.ListField(child=serializers.CharField(), required=False)
    errors = serializers.JSONField(required=False)


class UnmetConditionSerializer(serializers.Serializer):
    check = serializers.CharField()
    label = serializers.CharField()
    clauses = serializers.ListField(child=serializers.CharField())
    reason = serializers.CharField()


class TransitionRefusedSerializer(serializers.Serializer):
    """409: the charter's gate refused the step; `unmet` lists every missing condition."""

    detail = serializers.CharField()
    reasons = serializers.ListField(child=serializers.CharField())
    unmet = UnmetConditionSerializer(many=True)


class OrganisationBriefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Organisation
        fields = ["id", "name", "short_name", "kind", "is_host"]
        read_only_fields = fields


class UserBriefSerializer(serializers.ModelSerializer):
    full_name = serializers.CharField(source="__str__", read_only=True)

    class Meta:
        model = User
        fields = ["id", "username", "full_name"]
        read_only_fields = fields
