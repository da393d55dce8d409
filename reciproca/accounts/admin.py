"""Admin pages for users and the roles they hold (on an organisation, a partnership or a
project)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _

from reciproca.accounts.models import RoleGrant, User


class ReadOnlyGrants:
    """Roles are granted and taken back through accounts.services (policy, audit event): the
    partnership's "Accès et invitations" page, invitations, the API. The admin only shows them."""

    def has_add_permission(self, request: Any, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: Any, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: Any, obj: Any = None) -> bool:
        return False


class RoleGrantInline(ReadOnlyGrants, admin.TabularInline):
    model = RoleGrant
    extra = 0
    fields = ("role", "organisation", "partnership", "project", "granted_at")
    readonly_fields = fields


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    list_display = ("username", "first_name", "last_name", "organisation", "is_active", "is_staff")
    list_filter = ("organisation", "is_active", "is_staff", "is_superuser")
    list_select_related = ("organisation",)
    search_fields = ("username", "first_name", "last_name", "email")
    autocomplete_fields = ("organisation",)
    fieldsets = (
        *(DjangoUserAdmin.fieldsets or ()),
        (_("Reciproca"), {"fields": ("organisation", "preferred_language")}),
    )
    add_fieldsets = (
        *DjangoUserAdmin.add_fieldsets,
        (_("Reciproca"), {"fields": ("organisation", "first_name", "last_name", "email")}),
    )
    inlines = (RoleGrantInline,)


@admin.register(RoleGrant)
class RoleGrantAdmin(ReadOnlyGrants, admin.ModelAdmin):
    list_display = ("user", "role", "organisation", "partnership", "project", "granted_at")
    list_filter = ("role",)
    list_select_related = ("user", "organisation", "partnership", "project")
    search_fields = ("user__username", "user__first_name", "user__last_name")
