from django.apps import AppConfig


class FinanceConfig(AppConfig):
    name = "reciproca.finance"
    verbose_name = "Finance: money, budgets, funding plans, in-kind, reciprocity, declarations"
