"""Read-only admin views of loaded charters: a charter changes only by loading a new file."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest
from modeltranslation.admin import TranslationAdmin

from reciproca.charter.models import Charter, Clause, Theme


class ReadOnlyAdminMixin:
    """Viewing only: edits would bypass the loader's validation and the audit log."""

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class ClauseInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = Clause
    fields = ("code", "section", "text", "is_planned")
    readonly_fields = fields
    extra = 0
    show_change_link = True


class ThemeInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = Theme
    fields = ("code", "name", "sdg_targets", "policy_markers", "purpose_codes")
    readonly_fields = fields
    extra = 0
    show_change_link = True


@admin.register(Charter)
class CharterAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("title", "slug", "version", "authority", "is_active", "loaded_at")
    list_filter = ("is_active", "slug")
    search_fields = ("title", "slug", "authority")
    readonly_fields = (
        "slug",
        "version",
        "title",
        "authority",
        "adopted_date",
        "is_active",
        "loaded_at",
        "source_sha256",
        "source_text",
        "document",
    )
    fields = readonly_fields
    inlines = (ClauseInline, ThemeInline)


@admin.register(Clause)
class ClauseAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("code", "section", "is_planned", "charter")
    list_filter = ("charter", "is_planned", "section")
    search_fields = ("code", "text", "mechanism")
    list_select_related = ("charter",)
    fields = ("charter", "code", "section", "text", "mechanism", "is_planned", "position")
    readonly_fields = fields


@admin.register(Theme)
class ThemeAdmin(ReadOnlyAdminMixin, TranslationAdmin):
    list_display = ("code", "name", "charter")
    list_filter = ("charter",)
    search_fields = ("code", "name")
    list_select_related = ("charter",)
    fields = ("charter", "code", "name", "sdg_targets", "policy_markers", "purpose_codes")
    readonly_fields = ("charter", "code", "sdg_targets", "policy_markers", "purpose_codes")
