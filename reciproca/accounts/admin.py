"""Admin pages for users and the roles they hold (on an organisation, a partnership or a
project)."""

from __future__ import annotations

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _

from reciproca.accounts.models import RoleGrant, User


class RoleGrantInline(admin.TabularInline):
    model = RoleGrant
    extra = 0
    fields = ("role", "organisation", "partnership", "project", "granted_at")
    readonly_fields = ("granted_at",)
    autocomplete_fields = ("organisation", "partnership", "project")


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
class RoleGrantAdmin(admin.ModelAdmin):
    list_display = ("user", "role", "organisation", "partnership", "project", "granted_at")
    list_filter = ("role",)
    list_select_related = ("user", "organisation", "partnership", "project")
    search_fields = ("user__username", "user__first_name", "user__last_name")
    autocomplete_fields = ("user", "organisation", "partnership", "project")
