"""Admin pages for the reference codelists: browse, search, and add the translations the
official sources lack. Codes and statuses come from the sources only."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TranslationAdmin

from reciproca.reference import models

SOURCE_NOTE = _(
    "Le code, le statut et les libellés présents dans la liste officielle sont rétablis à chaque "
    "chargement (reciproca load_reference). Les traductions que la source ne donne pas (arabe, "
    "arménien, français manquant) sont conservées."
)


class CodelistAdmin(TranslationAdmin):
    """Shared by every codelist: nobody creates or deletes a code by hand."""

    # Lists, not tuples, so that subclasses may add columns and keep one type.
    list_display = ["code", "name", "is_active"]
    list_filter = ["is_active"]
    search_fields = ["code", "name_fr", "name_en"]
    readonly_fields = ["code", "is_active", "position"]
    fields = ["code", "name", "description", "is_active", "position"]
    list_per_page = 100

    def get_fieldsets(self, request: HttpRequest, obj: Any = None) -> Any:
        fieldsets = super().get_fieldsets(request, obj)
        return [(None, {**fieldsets[0][1], "description": SOURCE_NOTE}), *fieldsets[1:]]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(models.SdgGoal)
class SdgGoalAdmin(CodelistAdmin):
    pass


@admin.register(models.SdgTarget)
class SdgTargetAdmin(CodelistAdmin):
    list_display = ["code", "name", "goal", "is_active"]
    list_filter = ["is_active", "goal"]
    list_select_related = ["goal"]
    readonly_fields = ["code", "goal", "is_active", "position"]
    fields = ["code", "goal", "name", "description", "is_active", "position"]


@admin.register(models.PurposeCategory)
class PurposeCategoryAdmin(CodelistAdmin):
    pass


@admin.register(models.PurposeCode)
class PurposeCodeAdmin(CodelistAdmin):
    list_display = ["code", "name", "category", "is_active"]
    list_filter = ["is_active", "category"]
    list_select_related = ["category"]
    readonly_fields = ["code", "category", "is_active", "position"]
    fields = ["code", "category", "name", "description", "is_active", "position"]


@admin.register(models.PolicyMarker)
class PolicyMarkerAdmin(CodelistAdmin):
    pass


@admin.register(models.PolicySignificance)
class PolicySignificanceAdmin(CodelistAdmin):
    pass


@admin.register(models.OrganisationType)
class OrganisationTypeAdmin(CodelistAdmin):
    pass


@admin.register(models.Currency)
class CurrencyAdmin(CodelistAdmin):
    pass


@admin.register(models.OrganisationRole)
class OrganisationRoleAdmin(CodelistAdmin):
    pass
