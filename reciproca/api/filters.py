"""Filter types shared by the API's FilterSets: each query parameter is declared, typed and
validated before it reaches a queryset."""

from __future__ import annotations

from django import forms
from django_filters import rest_framework as filters
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field


@extend_schema_field(OpenApiTypes.INT)
class IdFilter(filters.NumberFilter):
    """An object's id: an integer, documented as one (NumberFilter would take `1.5`)."""

    field_class = forms.IntegerField
