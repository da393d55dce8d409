"""Admin pages for countries, territories and their successions. Countries come from ISO
3166-1 only; territories can be corrected or added, but a code, once stored, stays."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TranslationAdmin

from reciproca.territories.models import Country, Territory, TerritorySuccession


@admin.register(Country)
class CountryAdmin(TranslationAdmin):
    list_display = ("iso2", "iso3", "name")
    search_fields = ("iso2", "iso3", "name_fr", "name_en")
    readonly_fields = ("iso2", "iso3")
    fields = ("iso2", "iso3", "name")
    list_per_page = 100

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class SuccessionInline(admin.TabularInline):
    model = TerritorySuccession
    fk_name = "predecessor"
    extra = 0
    autocomplete_fields = ("successor",)
    verbose_name = _("successeur")
    verbose_name_plural = _("successeurs")


@admin.register(Territory)
class TerritoryAdmin(TranslationAdmin):
    list_display = ("name", "iso_code", "country", "kind", "valid_from", "valid_until", "parent")
    list_filter = ("kind", ("country", admin.RelatedOnlyFieldListFilter))
    list_select_related = ("country", "parent")
    search_fields = ("iso_code", "name_fr", "name_en")
    autocomplete_fields = ("country", "parent")
    inlines = (SuccessionInline,)

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> tuple[str, ...]:
        # A stored code is what other records and exports point to: never rewrite it.
        if obj is not None and obj.iso_code:
            return ("iso_code", "country")
        return ()


@admin.register(TerritorySuccession)
class TerritorySuccessionAdmin(admin.ModelAdmin):
    list_display = ("predecessor", "successor", "effective_date", "kind", "is_legal_successor")
    list_filter = ("kind", "is_legal_successor")
    list_select_related = ("predecessor__country", "successor__country")
    search_fields = (
        "predecessor__iso_code",
        "predecessor__name_fr",
        "successor__iso_code",
        "successor__name_fr",
    )
    autocomplete_fields = ("predecessor", "successor")
