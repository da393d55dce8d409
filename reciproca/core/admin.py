"""The audit log in the admin: read-only, for support and inspection."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from reciproca.core.forms import RevisionedModelForm
from reciproca.core.models import AuditEvent


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    list_display = ("at", "action", "actor", "subject_type", "subject_id")
    list_filter = ("action",)
    list_select_related = ("actor", "subject_type")
    search_fields = ("action", "reason")
    date_hierarchy = "at"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class RevisionedAdmin(admin.ModelAdmin):
    """An admin that edits a revisioned model: its form carries the revision (no lost
    update, `core.versioning`); a save over a later one is refused with the conflict's words."""

    form = RevisionedModelForm

    def get_form(
        self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any
    ) -> Any:
        form = super().get_form(request, obj, change, **kwargs)
        form.revising_user = request.user  # type: ignore[attr-defined]
        return form
