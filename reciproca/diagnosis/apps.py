from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DiagnosisConfig(AppConfig):
    name = "reciproca.diagnosis"
    label = "diagnosis"
    verbose_name = _("Diagnostic partagé")

    def ready(self) -> None:
        # Registers diagnosis_shared, impact_dimensions_addressed, … with the charter.
        from reciproca.core.templatetags.reciproca import register_action_labels
        from reciproca.diagnosis import (
            gates,  # noqa: F401
            pipeline,
        )

        pipeline.register()
        from reciproca.diagnosis import history

        history.register()
        from reciproca.projects.queries import register_detail_one_to_one

        # the project page's checklist reads the diagnosis: with the project, in one query
        register_detail_one_to_one("diagnosis")
        from reciproca.diagnosis.queries import diagnosis_signoffs_awaited
        from reciproca.projects import todo

        todo.register("diagnosis_signoffs", diagnosis_signoffs_awaited, order=20)
        from reciproca.projects.views import register_target_keys

        # What a diagnosis event was about, named in the project's timeline.
        # The cell's own wording already says "case « … »": it is shown without a label.
        register_target_keys({"cell": "", "need": _("besoin"), "alternative": _("solution")})
        register_action_labels(
            {
                "diagnosis.diagnosis.opened": _("a commencé à renseigner le diagnostic partagé"),
                "diagnosis.diagnosis.reopened": _("a rouvert le diagnostic partagé"),
                "diagnosis.diagnosis.copied": _("a repris le diagnostic du projet d'origine"),
                "diagnosis.diagnosis.signed_off": _("a validé le diagnostic partagé"),
                "diagnosis.signoff.withdrawn": _("a retiré la validation de son organisation"),
                "diagnosis.signoffs.withdrawn": _("validations du diagnostic retirées"),
                "diagnosis.need.added": _("a ajouté un besoin"),
                "diagnosis.need.updated": _("a modifié un besoin"),
                "diagnosis.need.removed": _("a supprimé un besoin"),
                "diagnosis.cell.updated": _("a renseigné la matrice des impacts"),
                "diagnosis.response.added": _("a ajouté une réponse à un impact négatif"),
                "diagnosis.response.updated": _("a modifié une réponse à un impact négatif"),
                "diagnosis.response.removed": _("a supprimé une réponse à un impact négatif"),
                "diagnosis.alternative.added": _("a ajouté une solution alternative"),
                "diagnosis.alternative.updated": _("a modifié une solution alternative"),
                "diagnosis.alternative.removed": _("a supprimé une solution alternative"),
                "diagnosis.reversibility.updated": _("a rédigé l'énoncé de réversibilité"),
                "diagnosis.assessment.scored": _("a noté la grille de développement durable"),
                "diagnosis.assessment.removed": _("a retiré une note de la grille"),
                "diagnosis.commitments.confirmed": _(
                    "a confirmé les cibles ODD, marqueurs et codes-objet"
                ),
                # Events of the projects app, written before issue 6 moved these writes.
                "diagnosis.involvement.updated": _("a modifié les services et élus impliqués"),
                "diagnosis.themes.updated": _("a modifié les thèmes prioritaires"),
            }
        )
