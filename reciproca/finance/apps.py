from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FinanceConfig(AppConfig):
    name = "reciproca.finance"
    label = "finance"
    verbose_name = _("Finances : budgets, plans de financement, apports en nature, réciprocité")

    def ready(self) -> None:
        # Registers funding_plan_complete, the budget measures and the rate rule with the
        # charter; the budget provider other apps read through projects/budget.py; the
        # partnership page's finance links.
        from reciproca.core.templatetags.reciproca import register_action_labels
        from reciproca.finance import (
            gates,  # noqa: F401
            pages,
            plan,
            queries,
        )
        from reciproca.projects import participation
        from reciproca.projects.budget import register_provider

        register_provider(plan.budget_total_provider)
        participation.register(
            participation.Source(
                code="exchanges",
                label=_("échanges du registre de réciprocité"),
                young_definition=_("moins de 30 ans"),
                counts=queries.exchange_participation,
            )
        )
        pages.register()
        from reciproca.finance import history

        history.register()
        register_action_labels(
            {
                "finance.rate.entered": _("a saisi un taux de change"),
                "finance.rates.loaded": _("a chargé des taux de change"),
                "finance.budget.set": _("a modifié le budget"),
                "finance.budget.removed": _("a supprimé une ligne du budget"),
                "finance.transaction.recorded": _("a enregistré une opération financière"),
                "finance.document.attached": _("a joint une pièce justificative"),
                "finance.plan.set": _("a modifié le plan de financement"),
                "finance.source.recorded": _("a enregistré une source de financement"),
                "finance.source.status": _("a changé le statut d'une source de financement"),
                "finance.sponsorship.recorded": _("a enregistré un mécénat de compétences"),
                "finance.staff_time.recorded": _("a enregistré du temps d'agent"),
                "finance.declaration.set": _("a renseigné le profil de déclaration APD"),
                "finance.revenue.recorded": _("a enregistré une recette d'un partenaire"),
                "finance.search.recorded": _("a enregistré une recherche de financement"),
                "finance.exchange.recorded": _("a enregistré un échange"),
            }
        )
