"""The pooling index in the admin: read-only (imports and decisions go through the services)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from reciproca.pooling.models import Activity, Coordination, ImportRun, Quarantine, SourceFile


class ReadOnly(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Activity)
class ActivityAdmin(ReadOnly):
    list_display = ("identifier", "title", "reporting_org_name", "actor_kind", "countries")
    list_filter = ("origin", "actor_kind")
    search_fields = ("identifier", "title", "reporting_org_name")


@admin.register(SourceFile)
class SourceFileAdmin(ReadOnly):
    list_display = ("key", "version", "activity_count", "quarantined_count", "imported_at")
    search_fields = ("key",)


@admin.register(Quarantine)
class QuarantineAdmin(ReadOnly):
    list_display = ("source_file", "position", "line", "identifier", "reason")
    list_select_related = ("source_file",)


@admin.register(ImportRun)
class ImportRunAdmin(ReadOnly):
    list_display = ("name", "state", "files_done", "activities", "quarantined", "created_at")


@admin.register(Coordination)
class CoordinationAdmin(ReadOnly):
    list_display = ("project", "activity_identifier", "outcome", "recorded_by", "recorded_at")
    list_select_related = ("project", "recorded_by")
