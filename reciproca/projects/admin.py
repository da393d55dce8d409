"""Projects in the admin are read-only: a project changes only through its services (each
change is checked by the charter and recorded in the audit log), which the pages call."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from reciproca.projects.models import Project


@admin.register(Project)
class ProjectAdmin(admin.ModelAdmin):
    list_display = ("reference", "title", "partnership", "stage", "is_suspended", "updated_at")
    list_filter = ("stage", "is_suspended", "partnership")
    list_select_related = ("partnership",)
    search_fields = ("reference", "title_fr", "title_en")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
