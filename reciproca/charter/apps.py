"""The charter app: registers every gate condition the default charter names, as planned."""

from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

# Every condition code a charter file may name, with its label and the capability that brings
# its real check. The app owning that capability registers the real check in its own ready();
# a planned one never replaces a real one, so the order apps are readied in does not matter.
PLANNED_CONDITIONS = {
    "partners_named": (
        _("le porteur et au moins une autorité partenaire sont co-maîtres d'ouvrage du projet"),
        _("la gestion des partenaires du projet"),
    ),
    "stage_signed_by_all_partners": (
        _("l'étape est validée par chacun des partenaires"),
        _("la validation des étapes par les partenaires"),
    ),
    "themes_tagged": (
        _("le projet est rattaché à au moins un thème prioritaire de la charte"),
        _("le rattachement des projets aux thèmes prioritaires"),
    ),
    "programme_set": (
        _("le projet s'inscrit dans un programme territorial concerté"),
        _("les programmes territoriaux concertés"),
    ),
    "agreement_in_force": (
        _("une convention de coopération est en vigueur"),
        _("le registre des conventions"),
    ),
    "diagnosis_shared": (
        _("le diagnostic partagé est validé par chacun des partenaires"),
        _("le diagnostic partagé"),
    ),
    "impact_dimensions_addressed": (
        _("les impacts sociaux, économiques, environnementaux et culturels sont évalués"),
        _("la matrice des impacts"),
    ),
    "negative_impacts_answered": (
        _("chaque impact négatif a une réponse et un responsable"),
        _("la matrice des impacts"),
    ),
    "alternatives_assessed": (
        _("des solutions alternatives sont comparées et la réversibilité est établie"),
        _("l'analyse des solutions alternatives"),
    ),
    "sustainability_assessed": (
        _("la grille de développement durable est renseignée"),
        _("la grille de développement durable"),
    ),
    "cross_cutting_involvement": (
        _("des services et des élus de la collectivité sont impliqués"),
        _("le suivi de la transversalité (services et élus)"),
    ),
}


class CharterConfig(AppConfig):
    name = "reciproca.charter"
    label = "charter"
    verbose_name = _("Charte")

    def ready(self) -> None:
        from reciproca.charter import (
            conditions,
            measures,  # noqa: F401  (count_at_least, share_at_least)
        )

        for code, (label, capability) in PLANNED_CONDITIONS.items():
            conditions.register_planned(code, label=label, capability=capability)
