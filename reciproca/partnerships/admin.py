"""Admin pages for the reference-like data of partnerships: organisations, partnerships and
their agreements and programmes, the department's services and elected officials.

Projects are not edited here: they move only through the workflow (see projects/admin.py).
"""

from __future__ import annotations

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from reciproca.core.admin import RevisionedAdmin
from reciproca.core.forms import RevisionedModelForm
from reciproca.partnerships.models import (
    Agreement,
    ElectedOfficial,
    Organisation,
    Participation,
    Partnership,
    Programme,
    Service,
)


@admin.register(Organisation)
class OrganisationAdmin(RevisionedAdmin):
    list_display = ("name", "article", "short_name", "kind", "country", "is_host")
    list_filter = ("kind", "is_host", "country")
    list_select_related = ("country",)
    search_fields = ("name", "short_name", "iati_identifier")
    autocomplete_fields = ("country", "territory")


class AgreementInline(admin.StackedInline):
    model = Agreement
    form = RevisionedModelForm
    extra = 0
    fields = (
        ("title", "signed_date"),
        "purpose",
        ("forecast_amount", "currency"),
        ("valid_from", "valid_until"),
        "deliberation_reference",
        "document",
        "seen_revision",
    )


class ProgrammeInline(admin.TabularInline):
    model = Programme
    form = RevisionedModelForm
    extra = 0
    fields = ("title", "start_date", "end_date", "seen_revision")
    show_change_link = True


@admin.register(Partnership)
class PartnershipAdmin(RevisionedAdmin, SimpleHistoryAdmin):
    list_display = ("name", "partner", "territory", "since_date", "until_date", "successor")
    list_filter = ("partner__country",)
    list_select_related = ("partner", "territory", "successor")
    search_fields = ("name", "partner__name")
    autocomplete_fields = ("host", "partner", "territory", "successor")
    inlines = (AgreementInline, ProgrammeInline)


@admin.register(Agreement)
class AgreementAdmin(RevisionedAdmin, SimpleHistoryAdmin):
    list_display = (
        "title",
        "partnership",
        "valid_from",
        "valid_until",
        "forecast_amount",
        "currency",
    )
    list_filter = ("partnership",)
    list_select_related = ("partnership",)
    search_fields = ("title", "purpose", "deliberation_reference")
    date_hierarchy = "valid_from"


class ParticipationInline(admin.TabularInline):
    model = Participation
    extra = 0
    autocomplete_fields = ("organisation",)


@admin.register(Programme)
class ProgrammeAdmin(RevisionedAdmin):
    list_display = ("title", "partnership", "start_date", "end_date")
    list_filter = ("partnership",)
    list_select_related = ("partnership",)
    search_fields = ("title",)
    inlines = (ParticipationInline,)


@admin.register(Service)
class ServiceAdmin(admin.ModelAdmin):
    search_fields = ("name",)


@admin.register(ElectedOfficial)
class ElectedOfficialAdmin(admin.ModelAdmin):
    list_display = ("full_name", "mandate")
    search_fields = ("full_name", "mandate")
