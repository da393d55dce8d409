"""Diagnoses in the admin are read-only: the diagnosis changes only through its services, so that
a change after a sign-off always withdraws it and is recorded."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from reciproca.diagnosis.models import (
    Diagnosis,
    DiagnosisSignOff,
    DiagnosisVersion,
    ImpactCell,
    Need,
)


class ReadOnlyAdmin(admin.ModelAdmin[Any]):
    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class SignOffInline(admin.TabularInline[Any, Any]):
    model = DiagnosisSignOff
    fields = (
        "version",
        "organisation",
        "signed_by",
        "signed_at",
        "withdrawn_at",
        "withdrawn_reason",
    )
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Diagnosis)
class DiagnosisAdmin(ReadOnlyAdmin):
    list_display = ("project", "version", "updated_at")
    list_select_related = ("project",)
    search_fields = ("project__reference", "project__title_fr")
    inlines = [SignOffInline]


@admin.register(Need)
class NeedAdmin(ReadOnlyAdmin):
    list_display = ("title", "side", "author_organisation", "diagnosis")
    list_select_related = ("author_organisation", "diagnosis__project")
    list_filter = ("side",)


@admin.register(ImpactCell)
class ImpactCellAdmin(ReadOnlyAdmin):
    list_display = (
        "diagnosis",
        "alternative",
        "side",
        "dimension",
        "directness",
        "horizon",
        "direction",
    )
    list_select_related = ("diagnosis__project", "alternative")
    list_filter = ("side", "dimension", "direction")


@admin.register(DiagnosisVersion)
class DiagnosisVersionAdmin(ReadOnlyAdmin):
    list_display = ("diagnosis", "number", "started_at", "started_by")
    list_select_related = ("diagnosis__project", "started_by")
