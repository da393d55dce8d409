"""Money in the admin is read-only: every write goes through the finance services (policy,
pipeline, audit event), so a rate, a budget or a transaction is never changed unrecorded."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from reciproca.finance.models import (
    BudgetLine,
    DeclarationProfile,
    Exchange,
    ExchangeRate,
    FundingPlan,
    FundingSearch,
    FundingSource,
    PartnerRevenue,
    SkillsSponsorship,
    StaffTime,
    Transaction,
)


class ReadOnlyAdmin(admin.ModelAdmin[Any]):
    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(ExchangeRate)
class ExchangeRateAdmin(ReadOnlyAdmin):
    list_display = ("currency", "date", "rate", "is_fixed", "source")
    list_filter = ("currency", "is_fixed")


@admin.register(Transaction)
class TransactionAdmin(ReadOnlyAdmin):
    list_display = ("project", "kind", "value_date", "amount", "currency", "description")
    list_filter = ("kind", "currency")


for model in (
    BudgetLine,
    DeclarationProfile,
    Exchange,
    FundingPlan,
    FundingSearch,
    FundingSource,
    PartnerRevenue,
    SkillsSponsorship,
    StaffTime,
):
    admin.site.register(model, ReadOnlyAdmin)
