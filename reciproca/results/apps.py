from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ResultsConfig(AppConfig):
    name = "reciproca.results"
    label = "results"
    verbose_name = _("Résultats et évaluation")

    def ready(self) -> None:
        from reciproca.core.templatetags.reciproca import register_action_labels
        from reciproca.projects import participation
        from reciproca.projects.services import register_change_handler, register_guard
        from reciproca.results import (
            gates,  # noqa: F401  (conditions and rules)
            queries,
            services,
        )

        participation.register(
            participation.Source(
                code="activities",
                label=_("activités des projets"),
                young_definition=_("15 à 24 ans"),
                counts=queries.activity_participation,
            )
        )
        register_guard(services.results_freeze)
        from reciproca.results import history

        history.register()
        register_change_handler(services.withdraw_on_change)
        register_action_labels(
            {
                "results.node.added": _("a complété le cadre de résultats"),
                "results.node.removed": _("a retiré un élément du cadre de résultats"),
                "results.indicator.added": _("a ajouté un indicateur"),
                "results.period.added": _("a ajouté une période de suivi"),
                "results.target.set": _("a fixé une cible"),
                "results.alignment.updated": _("a décrit l'alignement sur le plan du partenaire"),
                "results.plan.updated": _("a modifié le dispositif d'évaluation"),
                "results.question.added": _("a ajouté une question d'évaluation"),
                "results.team.added": _("a ajouté un membre à l'équipe d'évaluation"),
                "results.framework.signed_off": _("a validé le cadre de résultats"),
                "results.plan.signed_off": _("a validé le dispositif d'évaluation"),
                "results.framework.signoffs_withdrawn": _(
                    "validations du cadre de résultats retirées"
                ),
                "results.plan.signoffs_withdrawn": _(
                    "validations du dispositif d'évaluation retirées"
                ),
                "results.value.reported": _("a déclaré une valeur"),
                "results.value.corrected": _("a corrigé une valeur approuvée"),
                "results.evidence.added": _("a joint une pièce justificative"),
                "results.comment.added": _("a commenté une valeur"),
                "results.report.submitted": _("a soumis un rapport de période"),
                "results.report.returned": _("a renvoyé un rapport de période"),
                "results.report.approved": _("a approuvé un rapport de période"),
                "results.participation.recorded": _("a déclaré la participation à une activité"),
                "results.evaluation.recorded": _("a enregistré une évaluation"),
                "results.evaluation.responded": _("a répondu à une évaluation"),
            }
        )
