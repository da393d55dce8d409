"""Shapes shared by several resources: error bodies, brief organisations and users."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from reciproca.accounts.models import User
from reciproca.partnerships.models import Organisation


class ErrorSerializer(serializers.Serializer):
    """Every 4xx answer: a sentence, the reasons a user can act on, and field errors if any."""

    detail = serializers.CharField()
    reasons = serializers.ListField(child=serializers.CharField(), required=False)
    # The metaclass takes declared fields off the class, so these names shadow nothing.
    errors = serializers.JSONField(required=False)  # type: ignore[assignment]
    # An edit conflict (409): the current revision, who made it and when, the object now.
    revision = serializers.IntegerField(required=False)
    revised_by = serializers.CharField(required=False, allow_null=True)
    revised_at = serializers.DateTimeField(required=False, allow_null=True)
    current = serializers.JSONField(required=False, allow_null=True)


class UnmetConditionSerializer(serializers.Serializer):
    check = serializers.CharField()
    label = serializers.CharField()  # type: ignore[assignment]
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


class ScopedPrimaryKeyField(serializers.PrimaryKeyRelatedField):
    """An id chosen among what a policy lets the requesting user see, e.g.
    `ScopedPrimaryKeyField(scope=partnerships_visible_to)`: an id outside it is "not found"."""

    def __init__(self, *, scope: Callable[[Any], QuerySet[Any]], **kwargs: Any) -> None:
        self.scope = scope
        # The unscoped `queryset` only tells the schema which model the id belongs to.
        super().__init__(**kwargs)

    def get_queryset(self) -> QuerySet[Any]:
        request = self.context.get("request")
        return self.scope(getattr(request, "user", None))


@extend_schema_field({"type": "string", "format": "uri", "nullable": True, "readOnly": True})
class BlankAsNullURLField(serializers.CharField):
    """A stored URL that may be blank: null in the answer, never an empty "uri"."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("read_only", True)
        super().__init__(**kwargs)

    def to_representation(self, value: Any) -> str | None:  # type: ignore[override]
        return str(value) if value else None


# The policy scope of each model whose ids API clients send: a ModelSerializer built on
# `ScopedModelSerializer` gets a `ScopedPrimaryKeyField` for every writable relation to one of
# these models, without declaring it (api/tests/test_related_fields.py checks them all).
_SCOPES: dict[type[Any], Callable[[Any], QuerySet[Any]]] = {}


def register_scope(model: type[Any], scope: Callable[[Any], QuerySet[Any]]) -> None:
    _SCOPES[model] = scope


class ScopedModelSerializer(serializers.ModelSerializer[Any]):
    def build_relational_field(self, field_name: str, relation_info: Any) -> tuple[Any, Any]:
        field_class, kwargs = super().build_relational_field(field_name, relation_info)
        scope = _SCOPES.get(relation_info.related_model)
        if (
            scope is not None
            and field_class is serializers.PrimaryKeyRelatedField
            and not kwargs.get("read_only")
        ):
            return ScopedPrimaryKeyField, {**kwargs, "scope": scope}
        return field_class, kwargs
