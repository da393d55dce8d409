"""Demo diagnoses: fill a demo project's shared diagnosis, through the services, up to one point
of the story — empty, being built, signed by one side, shared by both, decided.

`build_demo_diagnosis(project, by_host=alice, by_partner=karim, level="shared")` is called by the
demo loader. The texts are realistic French examples chosen from the project's themes (water,
heritage, local governance), so each demo project reads like a real file.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone

from reciproca.diagnosis import grid, services
from reciproca.diagnosis.models import (
    Alternative,
    Diagnosis,
    Direction,
    ImpactCell,
    ResponseKind,
    Side,
)
from reciproca.partnerships.models import ElectedOfficial, Service
from reciproca.projects import services as project_services
from reciproca.projects.models import Decision, Project, Stage
from reciproca.reference.models import PolicyMarker, PolicySignificance, PurposeCode, SdgTarget

LEVELS = ("empty", "in_progress", "one_signed", "shared", "decided")

PARTNER, HOST = Side.PARTNER, Side.HOST

# A matrix cell as one line: "SIDE DIMENSION DIRECTNESS HORIZON DIRECTION MAGNITUDE LIKELIHOOD |
# justification", a dash for no magnitude or likelihood.
CellSpec = str


@dataclass(frozen=True)
class Story:
    partner_needs: list[tuple[str, str, str, str]]  # title, population, evidence, description
    host_needs: list[tuple[str, str, str, str]]
    cells: list[CellSpec]
    # For each negative cell above, in order: kind, measure, owner side, owner name, days.
    responses: list[tuple[str, str, str, str, int]]
    alternative: tuple[str, str]
    alternative_cells: list[CellSpec]
    do_nothing_cells: list[CellSpec]
    reversibility: str
    scores: dict[str, tuple[int, str]]  # finality / process code → score, justification


WATER = Story(
    partner_needs=[
        (
            "Continuité de la distribution d'eau potable",
            "Habitants de quatre communes rurales (environ 18 000 personnes)",
            "Relevés de l'Algérienne des eaux 2023 : coupures de 6 à 10 heures par jour l'été ; "
            "enquête auprès de 240 foyers menée avec les comités de quartier.",
            "Les réseaux anciens perdent près de 40 % de l'eau produite.",
        ),
        (
            "Compétences de maintenance des réseaux",
            "Techniciens des services communaux de l'eau (22 agents)",
            "Plan de formation de la wilaya ; entretiens avec les chefs de service.",
            "",
        ),
    ],
    host_needs=[
        (
            "Expérience internationale des agents du service de l'eau",
            "Agents du service de l'eau et de l'assainissement du Département",
            "Revue des compétences 2024 du service ; souhait exprimé lors des entretiens annuels.",
            "La recherche de fuites sur réseaux anciens est un savoir-faire partagé.",
        )
    ],
    cells=[
        "PARTNER SOCIAL DIRECT SHORT POSITIVE 3 3 | "
        "Moins de coupures dès la première année dans les quartiers prioritaires.",
        "PARTNER SOCIAL INDIRECT LONG POSITIVE 2 2 | "
        "Santé publique : baisse attendue des maladies hydriques.",
        "PARTNER ECONOMIC DIRECT MEDIUM POSITIVE 2 2 | "
        "Moins d'eau perdue : économies de pompage pour les communes.",
        "PARTNER ECONOMIC INDIRECT SHORT NEGATIVE 1 2 | "
        "Travaux : gêne temporaire pour les commerces des rues concernées.",
        "PARTNER ENVIRONMENTAL DIRECT LONG POSITIVE 3 2 | "
        "Moins de prélèvements dans la nappe grâce à la réduction des fuites.",
        "PARTNER ENVIRONMENTAL DIRECT SHORT NEGATIVE 1 3 | "
        "Chantiers : déchets de canalisations et poussières.",
        "PARTNER CULTURAL INDIRECT MEDIUM POSITIVE 1 2 | "
        "Comités d'usagers : une culture partagée de l'économie d'eau.",
        "HOST SOCIAL DIRECT MEDIUM POSITIVE 2 3 | "
        "Agents du Département formés au travail interculturel.",
        "HOST ECONOMIC INDIRECT LONG NONE - - | Pas d'effet économique notable en Isère.",
        "HOST ENVIRONMENTAL INDIRECT LONG POSITIVE 1 2 | "
        "Méthodes de détection de fuites reprises sur les réseaux isérois.",
        "HOST CULTURAL DIRECT MEDIUM POSITIVE 1 3 | "
        "Échanges avec l'association Eau Vive Isère et les écoles.",
    ],
    responses=[
        (
            "MANAGE",
            "Chantiers phasés rue par rue et information des commerçants un mois avant.",
            PARTNER,
            "Direction de l'hydraulique de la wilaya",
            120,
        ),
        (
            "LIMIT",
            "Tri et reprise des anciennes canalisations par l'entreprise ; arrosage des pistes.",
            PARTNER,
            "Chef de chantier",
            150,
        ),
    ],
    alternative=(
        "Camions-citernes en été",
        "Louer des camions-citernes pendant les mois de coupure, sans travaux sur les réseaux.",
    ),
    alternative_cells=[
        "PARTNER SOCIAL DIRECT SHORT POSITIVE 1 3 | "
        "Soulage les foyers pendant les pics, sans régler les coupures.",
        "PARTNER ECONOMIC DIRECT LONG NEGATIVE 2 3 | "
        "Coût récurrent chaque été, sans fin prévisible.",
        "PARTNER ENVIRONMENTAL DIRECT SHORT NEGATIVE 2 3 | Carburant et trafic de camions.",
        "PARTNER CULTURAL INDIRECT MEDIUM NONE - - | Aucun effet attendu.",
        "HOST SOCIAL INDIRECT MEDIUM NONE - - | Pas d'échange de compétences.",
        "HOST ECONOMIC INDIRECT MEDIUM NONE - - | Aucun effet en Isère.",
        "HOST ENVIRONMENTAL INDIRECT MEDIUM NONE - - | Aucun effet en Isère.",
        "HOST CULTURAL INDIRECT MEDIUM NONE - - | Aucun effet en Isère.",
    ],
    do_nothing_cells=[
        "PARTNER SOCIAL DIRECT MEDIUM NEGATIVE 3 3 | "
        "Les coupures s'aggravent avec la croissance des quartiers.",
        "PARTNER ECONOMIC DIRECT MEDIUM NEGATIVE 2 3 | "
        "Les pertes d'eau continuent de coûter aux communes.",
        "PARTNER ENVIRONMENTAL DIRECT LONG NEGATIVE 2 2 | La nappe reste surexploitée.",
        "PARTNER CULTURAL INDIRECT LONG NONE - - | Aucun effet attendu.",
        "HOST SOCIAL INDIRECT MEDIUM NONE - - | Rien ne change en Isère.",
        "HOST ECONOMIC INDIRECT MEDIUM NONE - - | Rien ne change en Isère.",
        "HOST ENVIRONMENTAL INDIRECT MEDIUM NONE - - | Rien ne change en Isère.",
        "HOST CULTURAL INDIRECT MEDIUM NONE - - | Rien ne change en Isère.",
    ],
    reversibility=(
        "Les travaux portent sur des tronçons indépendants : la coopération peut s'arrêter après "
        "chaque tranche annuelle sans laisser de chantier ouvert. Les équipements de détection "
        "restent la propriété des communes et les agents formés gardent leurs compétences."
    ),
    scores={
        "climate": (2, "Moins de pompage, donc moins d'énergie consommée."),
        "biodiversity-resources": (3, "Réduction des fuites : la nappe est moins sollicitée."),
        "cohesion-solidarity": (3, "Les quartiers les plus touchés sont traités en premier."),
        "human-fulfilment": (3, "Accès à l'eau : un besoin essentiel des familles."),
        "responsible-production": (2, "Comités d'usagers pour une consommation sobre."),
    },
)

# The Rhumel and Boumerzoug sanitation project: its own needs, not the drinking water's.
SANITATION = Story(
    partner_needs=[
        (
            "Réduction des rejets d'eaux usées dans les oueds",
            "Riverains des oueds Rhumel et Boumerzoug (environ 60 000 personnes)",
            "Analyses de l'Office national de l'assainissement 2023 sur six points de rejet ; "
            "plaintes recueillies par les comités de quartier.",
            "Une partie des quartiers rejette directement ses eaux usées dans les oueds.",
        ),
        (
            "Exploitation des stations de relevage",
            "Agents d'exploitation de l'assainissement de la wilaya (15 agents)",
            "Rapport d'exploitation 2023 : pannes répétées de trois stations de relevage.",
            "",
        ),
    ],
    host_needs=[
        (
            "Retour d'expérience sur la restauration des cours d'eau",
            "Agents du service de l'eau et de l'environnement du Département",
            "Programme départemental de restauration des rivières ; bilan 2024.",
            "Comparer les méthodes de suivi de la qualité de l'eau des deux territoires.",
        )
    ],
    cells=[
        "PARTNER SOCIAL DIRECT MEDIUM POSITIVE 3 2 | "
        "Moins d'odeurs et de risques sanitaires pour les riverains des oueds.",
        "PARTNER SOCIAL INDIRECT LONG POSITIVE 2 2 | "
        "Berges réaménagées : de nouveaux lieux de promenade.",
        "PARTNER ECONOMIC DIRECT MEDIUM POSITIVE 1 2 | "
        "Stations de relevage fiables : moins de réparations d'urgence.",
        "PARTNER ECONOMIC INDIRECT SHORT NEGATIVE 1 2 | "
        "Travaux de collecteurs : circulation perturbée dans deux quartiers.",
        "PARTNER ENVIRONMENTAL DIRECT LONG POSITIVE 3 3 | "
        "Qualité de l'eau des oueds améliorée en aval de la ville.",
        "PARTNER ENVIRONMENTAL DIRECT SHORT NEGATIVE 1 3 | "
        "Chantiers en bord d'oued : boues et déblais à évacuer.",
        "PARTNER CULTURAL INDIRECT MEDIUM POSITIVE 1 2 | "
        "Les oueds redeviennent un lieu de la vie de la ville.",
        "HOST SOCIAL DIRECT MEDIUM POSITIVE 2 3 | "
        "Agents du Département formés au travail interculturel.",
        "HOST ECONOMIC INDIRECT LONG NONE - - | Pas d'effet économique notable en Isère.",
        "HOST ENVIRONMENTAL INDIRECT LONG POSITIVE 1 2 | "
        "Méthodes de suivi de la qualité de l'eau comparées et améliorées.",
        "HOST CULTURAL DIRECT MEDIUM POSITIVE 1 3 | "
        "Échanges entre les associations de rivière des deux territoires.",
    ],
    responses=[
        (
            "MANAGE",
            "Travaux par tronçons et déviations annoncées deux semaines à l'avance.",
            PARTNER,
            "Direction de l'assainissement de la wilaya",
            120,
        ),
        (
            "AVOID",
            "Aucun dépôt de déblais sur les berges ; évacuation quotidienne vers un site agréé.",
            PARTNER,
            "Chef de chantier",
            150,
        ),
    ],
    alternative=(
        "Curage des oueds sans nouveaux collecteurs",
        "Curer les oueds chaque année, sans raccorder les rejets au réseau.",
    ),
    alternative_cells=[
        "PARTNER SOCIAL DIRECT SHORT POSITIVE 1 3 | Moins d'odeurs juste après le curage.",
        "PARTNER ECONOMIC DIRECT LONG NEGATIVE 2 3 | Coût récurrent chaque année.",
        "PARTNER ENVIRONMENTAL DIRECT SHORT NEGATIVE 2 3 | Boues remuées, rejets inchangés.",
        "PARTNER CULTURAL INDIRECT MEDIUM NONE - - | Aucun effet attendu.",
        "HOST SOCIAL INDIRECT MEDIUM NONE - - | Pas d'échange de compétences.",
        "HOST ECONOMIC INDIRECT MEDIUM NONE - - | Aucun effet en Isère.",
        "HOST ENVIRONMENTAL INDIRECT MEDIUM NONE - - | Aucun effet en Isère.",
        "HOST CULTURAL INDIRECT MEDIUM NONE - - | Aucun effet en Isère.",
    ],
    do_nothing_cells=[
        "PARTNER SOCIAL DIRECT MEDIUM NEGATIVE 3 3 | "
        "Les risques sanitaires restent pour les riverains.",
        "PARTNER ECONOMIC DIRECT MEDIUM NEGATIVE 1 3 | Les pannes des stations continuent.",
        "PARTNER ENVIRONMENTAL DIRECT LONG NEGATIVE 3 3 | Les oueds restent pollués.",
        "PARTNER CULTURAL INDIRECT LONG NONE - - | Aucun effet attendu.",
        "HOST SOCIAL INDIRECT MEDIUM NONE - - | Rien ne change en Isère.",
        "HOST ECONOMIC INDIRECT MEDIUM NONE - - | Rien ne change en Isère.",
        "HOST ENVIRONMENTAL INDIRECT MEDIUM NONE - - | Rien ne change en Isère.",
        "HOST CULTURAL INDIRECT MEDIUM NONE - - | Rien ne change en Isère.",
    ],
    reversibility=(
        "Chaque collecteur est un ouvrage indépendant : la coopération peut s'arrêter après "
        "chaque tranche sans laisser de rejet détourné à moitié. Les stations remises en état "
        "restent à la wilaya et les agents formés gardent leurs compétences."
    ),
    scores={
        "climate": (1, "Stations de relevage plus sobres en énergie."),
        "biodiversity-resources": (3, "Moins de rejets : la vie revient dans les oueds."),
        "cohesion-solidarity": (3, "Les quartiers riverains, les plus exposés, d'abord."),
        "human-fulfilment": (2, "Un cadre de vie plus sain au bord des oueds."),
        "responsible-production": (2, "Des réseaux entretenus plutôt que des curages répétés."),
    },
)


HERITAGE = Story(
    partner_needs=[
        (
            "Sauvegarde des maisons anciennes de la Souika",
            "Habitants et propriétaires de la médina (environ 3 000 personnes)",
            "Inventaire de la direction de la culture : 112 maisons menacées d'effondrement ; "
            "arrêtés de péril de 2022 et 2023.",
            "",
        ),
        (
            "Métiers traditionnels du bâti",
            "Artisans maçons, menuisiers et jeunes en formation",
            "Chambre de l'artisanat : moins de vingt artisans qualifiés pour le bâti ancien.",
            "",
        ),
    ],
    host_needs=[
        (
            "Ouverture des publics isérois au patrimoine méditerranéen",
            "Élèves des collèges et visiteurs du Musée dauphinois",
            "Bilan des actions culturelles 2024 ; demande des enseignants d'histoire.",
            "",
        )
    ],
    cells=[
        "PARTNER CULTURAL DIRECT LONG POSITIVE 3 3 | "
        "Un patrimoine sauvegardé et documenté pour les générations futures.",
        "PARTNER SOCIAL DIRECT MEDIUM POSITIVE 2 2 | "
        "Des habitants maintenus dans la médina dans des logements sûrs.",
        "PARTNER SOCIAL INDIRECT SHORT NEGATIVE 2 2 | "
        "Relogement temporaire de familles pendant les travaux.",
        "PARTNER ECONOMIC INDIRECT LONG POSITIVE 2 2 | Tourisme culturel et emplois d'artisans.",
        "PARTNER ENVIRONMENTAL DIRECT MEDIUM POSITIVE 1 2 | "
        "Réemploi des matériaux plutôt que démolition.",
        "HOST CULTURAL DIRECT MEDIUM POSITIVE 2 3 | Exposition et ateliers au Musée dauphinois.",
        "HOST SOCIAL INDIRECT MEDIUM POSITIVE 1 2 | "
        "Lien avec les familles d'origine constantinoise en Isère.",
        "HOST ECONOMIC INDIRECT LONG NONE - - | Pas d'effet économique notable en Isère.",
        "HOST ENVIRONMENTAL INDIRECT LONG NONE - - | Pas d'effet environnemental en Isère.",
    ],
    responses=[
        (
            "ANTICIPATE",
            "Plan de relogement négocié avec chaque famille avant le début des travaux.",
            PARTNER,
            "Direction du logement de la wilaya",
            90,
        ),
    ],
    alternative=(
        "Inventaire seul",
        "Documenter les maisons (relevés, photographies) sans travaux de consolidation.",
    ),
    alternative_cells=[
        "PARTNER CULTURAL DIRECT LONG POSITIVE 1 3 | "
        "La mémoire est gardée, mais les maisons continuent de se dégrader.",
        "PARTNER SOCIAL DIRECT MEDIUM NEGATIVE 2 2 | "
        "Les familles restent dans des logements dangereux.",
        "PARTNER ECONOMIC INDIRECT LONG NONE - - | Pas d'emplois créés.",
        "PARTNER ENVIRONMENTAL INDIRECT LONG NONE - - | Aucun effet attendu.",
        "HOST CULTURAL DIRECT MEDIUM POSITIVE 1 3 | Exposition possible en Isère.",
        "HOST SOCIAL INDIRECT MEDIUM NONE - - | Aucun effet en Isère.",
        "HOST ECONOMIC INDIRECT MEDIUM NONE - - | Aucun effet en Isère.",
        "HOST ENVIRONMENTAL INDIRECT MEDIUM NONE - - | Aucun effet en Isère.",
    ],
    do_nothing_cells=[
        "PARTNER CULTURAL DIRECT LONG NEGATIVE 3 3 | Perte irréversible de maisons historiques.",
        "PARTNER SOCIAL DIRECT SHORT NEGATIVE 3 2 | Risque d'effondrement pour les familles.",
        "PARTNER ECONOMIC INDIRECT LONG NONE - - | Aucun effet attendu.",
        "PARTNER ENVIRONMENTAL INDIRECT LONG NONE - - | Aucun effet attendu.",
        "HOST CULTURAL INDIRECT MEDIUM NONE - - | Rien ne change en Isère.",
        "HOST SOCIAL INDIRECT MEDIUM NONE - - | Rien ne change en Isère.",
        "HOST ECONOMIC INDIRECT MEDIUM NONE - - | Rien ne change en Isère.",
        "HOST ENVIRONMENTAL INDIRECT MEDIUM NONE - - | Rien ne change en Isère.",
    ],
    reversibility=(
        "Chaque maison est un chantier distinct : le programme peut s'interrompre après chaque "
        "maison consolidée. Les relevés et l'inventaire restent publics quoi qu'il arrive."
    ),
    scores={
        "climate": (1, "Effet faible : réemploi des matériaux."),
        "biodiversity-resources": (2, "Moins de démolition, moins de matériaux neufs."),
        "cohesion-solidarity": (3, "Les habitants restent dans leur quartier."),
        "human-fulfilment": (4, "Transmission des savoir-faire et de la mémoire du lieu."),
        "responsible-production": (2, "Artisanat local et matériaux de réemploi."),
    },
)

GOVERNANCE = Story(
    partner_needs=[
        (
            "Compétences en finances locales et commande publique",
            "Agents administratifs de la wilaya et des communes (60 agents)",
            "Rapport de la Cour des comptes régionale 2023 ; plan de formation de la wilaya.",
            "",
        ),
        (
            "Participation des habitants aux choix budgétaires",
            "Associations de quartier et comités de village",
            "Consultation de 2024 : 70 % des associations disent ne pas être associées.",
            "",
        ),
    ],
    host_needs=[
        (
            "Regard extérieur sur les pratiques budgétaires du Département",
            "Agents de la direction des finances",
            "Démarche d'amélioration continue 2025 de la direction des finances.",
            "",
        )
    ],
    cells=[
        "PARTNER SOCIAL DIRECT MEDIUM POSITIVE 2 2 | "
        "Des services publics mieux planifiés pour les habitants.",
        "PARTNER ECONOMIC DIRECT LONG POSITIVE 2 2 | "
        "Commande publique plus transparente, meilleur usage des fonds.",
        "PARTNER CULTURAL INDIRECT LONG POSITIVE 2 2 | Culture de la participation citoyenne.",
        "PARTNER ENVIRONMENTAL INDIRECT LONG UNKNOWN - - | ",
        "PARTNER ENVIRONMENTAL INDIRECT MEDIUM POSITIVE 1 1 | "
        "Clauses environnementales introduites dans les marchés publics.",
        "PARTNER SOCIAL DIRECT SHORT NEGATIVE 1 2 | "
        "Agents absents de leur poste pendant les sessions de formation.",
        "HOST SOCIAL DIRECT MEDIUM POSITIVE 1 3 | "
        "Agents du Département valorisés comme formateurs.",
        "HOST ECONOMIC DIRECT SHORT NEGATIVE 1 3 | Temps de travail des agents mis à disposition.",
        "HOST ENVIRONMENTAL INDIRECT LONG NONE - - | Pas d'effet environnemental en Isère.",
        "HOST CULTURAL DIRECT MEDIUM POSITIVE 2 3 | Ouverture interculturelle des équipes.",
    ],
    responses=[
        (
            "MANAGE",
            "Sessions courtes, regroupées hors des périodes de clôture budgétaire.",
            PARTNER,
            "Secrétariat général de la wilaya",
            60,
        ),
        (
            "LIMIT",
            "Temps plafonné à dix jours par agent et par an, valorisé dans le plan de financement.",
            HOST,
            "Direction des relations internationales",
            45,
        ),
    ],
    alternative=(
        "Formation en ligne uniquement",
        "Des modules en ligne, sans échanges de pratiques sur place.",
    ),
    alternative_cells=[
        "PARTNER SOCIAL DIRECT MEDIUM POSITIVE 1 2 | Formation accessible mais moins adaptée.",
        "PARTNER ECONOMIC DIRECT SHORT POSITIVE 1 3 | Coût plus faible.",
        "PARTNER CULTURAL INDIRECT LONG NONE - - | Peu d'échange entre les équipes.",
        "PARTNER ENVIRONMENTAL DIRECT SHORT POSITIVE 1 3 | Pas de déplacements.",
        "HOST SOCIAL INDIRECT MEDIUM NONE - - | Peu d'effet sur les agents du Département.",
        "HOST ECONOMIC DIRECT SHORT POSITIVE 1 3 | Moins de temps mobilisé.",
        "HOST ENVIRONMENTAL DIRECT SHORT POSITIVE 1 3 | Pas de déplacements.",
        "HOST CULTURAL INDIRECT MEDIUM NONE - - | Peu d'échange interculturel.",
    ],
    do_nothing_cells=[
        "PARTNER SOCIAL INDIRECT MEDIUM NEGATIVE 1 2 | "
        "Les besoins de compétences restent sans réponse.",
        "PARTNER ECONOMIC INDIRECT LONG NEGATIVE 1 2 | Risques d'irrégularités dans les marchés.",
        "PARTNER CULTURAL INDIRECT LONG NONE - - | Aucun effet attendu.",
        "PARTNER ENVIRONMENTAL INDIRECT LONG NONE - - | Aucun effet attendu.",
        "HOST SOCIAL INDIRECT MEDIUM NONE - - | Rien ne change en Isère.",
        "HOST ECONOMIC INDIRECT MEDIUM NONE - - | Rien ne change en Isère.",
        "HOST ENVIRONMENTAL INDIRECT MEDIUM NONE - - | Rien ne change en Isère.",
        "HOST CULTURAL INDIRECT MEDIUM NONE - - | Rien ne change en Isère.",
    ],
    reversibility=(
        "Les formations sont organisées par cycles annuels : chaque partenaire peut mettre fin "
        "à la coopération à la fin d'un cycle. Les supports de formation restent à la wilaya."
    ),
    scores={
        "climate": (1, "Effet faible : quelques déplacements, des clauses environnementales."),
        "biodiversity-resources": (1, "Effet indirect par les clauses des marchés."),
        "cohesion-solidarity": (3, "Des services publics mieux répartis entre les communes."),
        "human-fulfilment": (3, "Montée en compétences des agents des deux collectivités."),
        "responsible-production": (2, "Commande publique responsable."),
    },
)

PROCESS_SCORES = {
    "continuous-improvement": (3, "Bilan partagé à la fin de chaque tranche, avec ajustements."),
    "participation": (3, "Habitants et associations associés au diagnostic et au suivi."),
    "steering": (3, "Comité de pilotage paritaire, deux réunions par an."),
    "transversality": (2, "Plusieurs services du Département impliqués."),
    "shared-evaluation": (3, "Indicateurs définis et suivis par les deux partenaires."),
}


def _story(project: Project) -> Story:
    codes = {t.code for t in project.themes.all()}
    if "pollution" in codes and "essential-services" not in codes:
        return SANITATION
    if codes & {"essential-services", "water-soil", "pollution"}:
        return WATER
    if codes & {"cultural-diversity"}:
        return HERITAGE
    return GOVERNANCE


def _cell(
    project: Project, by: Any, spec: CellSpec, alternative: Alternative | None = None
) -> ImpactCell:
    coordinates, justification = spec.split("|", 1)
    side, dimension, directness, horizon, direction, magnitude, likelihood = coordinates.split()
    return services.set_impact_cell(
        project=project, by=by, side=side, dimension=dimension, directness=directness,
        horizon=horizon, direction=direction,
        magnitude=None if magnitude == "-" else int(magnitude),
        likelihood=None if likelihood == "-" else int(likelihood),
        justification=justification.strip(), alternative=alternative,
    )  # fmt: skip


def _score_all(
    project: Project, by: Any, story: Story, alternative: Alternative | None, shift: int
) -> None:
    scores = {}
    for criterion in grid.project_criteria(project):
        score, text = story.scores.get(criterion.code) or PROCESS_SCORES.get(
            criterion.code, (3, "Le projet sert directement ce thème prioritaire de la charte.")
        )
        if alternative is not None:
            score, text = (
                max(0, score - shift),
                f"Moins que la proposition : {text[:1].lower()}{text[1:]}",
            )
        scores[criterion.code] = (score, text)
    services.assess_options(project=project, by=by, scores=scores, alternative=alternative)


def _ensure_tags(project: Project, by: Any) -> None:
    """Themes, services and elected officials the gates need, when the loader set none."""
    if not project.themes.exists():
        from reciproca.charter import engine

        theme = engine.themes().filter(code="local-powers").first() or engine.themes().first()
        if theme is not None:
            project_services.set_project_tags(project=project, by=by, themes=[theme])
    chosen_services = list(project.services.all()) or list(Service.objects.order_by("name")[:1])
    chosen_officials = list(project.elected_officials.all()) or list(
        ElectedOfficial.objects.order_by("full_name")[:1]
    )
    project_services.set_project_tags(
        project=project, by=by, services=chosen_services, elected_officials=chosen_officials
    )


def _confirm_commitments(project: Project, by: Any) -> None:
    suggested: dict[str, set[str]] = {
        "sdg_targets": set(),
        "policy_markers": set(),
        "purpose_codes": set(),
    }
    for theme in project.themes.all():
        for key in suggested:
            suggested[key].update(getattr(theme, key) or [])
    significant = PolicySignificance.objects.filter(code="1").first()
    markers = list(PolicyMarker.objects.filter(code__in=suggested["policy_markers"]))
    project_services.confirm_commitments(
        project=project,
        by=by,
        sdg_targets=list(project.sdg_targets.all())
        + list(SdgTarget.objects.filter(code__in=sorted(suggested["sdg_targets"])[:3])),
        purpose_codes=list(project.purpose_codes.all())
        + list(PurposeCode.objects.filter(code__in=sorted(suggested["purpose_codes"])[:2])),
        markers=[(m, significant) for m in markers] if significant else [],
    )


@transaction.atomic
def build_demo_diagnosis(
    project: Project, *, by_host: Any, by_partner: Any, level: str
) -> Diagnosis:
    """Fill the project's diagnosis up to `level` (see LEVELS) through the services.

    The project is moved to the diagnosis stage first when it is an idea; "decided" also
    submits it and records an "implement" decision.
    """
    if level not in LEVELS:
        raise ValueError(f"level must be one of {', '.join(LEVELS)}, not {level!r}")
    project.refresh_from_db()
    if project.stage == Stage.IDEA and level != "empty":
        project_services.transition_project(
            project=project, transition="start_diagnosis", by=by_host,
            reason="Diagnostic partagé ouvert avec le partenaire.",
        )  # fmt: skip
    services.open_diagnosis(project=project, by=by_host)
    if level == "empty":
        return Diagnosis.objects.get(project=project)
    story = _story(project)
    today = timezone.localdate()
    host_org, partner_org = by_host.organisation, by_partner.organisation

    # Needs from both sides, each written by its own side.
    for title, population, evidence, description in story.partner_needs:
        services.add_need(
            project=project, by=by_partner, side=Side.PARTNER, title=title,
            population_concerned=population, evidence=evidence, description=description,
        )  # fmt: skip
    for title, population, evidence, description in story.host_needs:
        services.add_need(
            project=project, by=by_host, side=Side.HOST, title=title,
            population_concerned=population, evidence=evidence, description=description,
        )  # fmt: skip

    if level == "in_progress":
        # Half the matrix, one negative impact still without response, a first alternative.
        for spec in story.cells[: len(story.cells) // 2 + 1]:
            _cell(project, by_partner if spec.startswith(PARTNER) else by_host, spec)
        services.add_alternative(
            project=project, by=by_partner, title="Ne rien faire", is_do_nothing=True,
            description="Laisser la situation actuelle évoluer sans projet de coopération.",
        )  # fmt: skip
        return Diagnosis.objects.get(project=project)

    negatives = []
    for spec in story.cells:
        cell = _cell(project, by_partner if spec.startswith(PARTNER) else by_host, spec)
        if cell.direction == Direction.NEGATIVE:
            negatives.append(cell)
    for cell, (kind, measure, owner_side, owner_name, days) in zip(
        negatives, story.responses, strict=False
    ):
        services.add_response(
            cell=cell, by=by_partner if owner_side == PARTNER else by_host, kind=ResponseKind(kind),
            description=measure, due_date=today + timedelta(days=days),
            owner_organisation=partner_org if owner_side == PARTNER else host_org,
            owner_name=owner_name,
        )  # fmt: skip
    for cell in negatives[len(story.responses) :]:
        services.add_response(
            cell=cell, by=by_host, kind=ResponseKind.MANAGE,
            description="Suivi de cet effet au comité de pilotage, mesures décidées ensemble.",
            due_date=today + timedelta(days=180), owner_organisation=host_org,
        )  # fmt: skip

    do_nothing = services.add_alternative(
        project=project, by=by_partner, title="Ne rien faire", is_do_nothing=True,
        description="Laisser la situation actuelle évoluer sans projet de coopération.",
    )  # fmt: skip
    other = services.add_alternative(
        project=project, by=by_host, title=story.alternative[0], description=story.alternative[1]
    )
    for spec in story.do_nothing_cells:
        _cell(project, by_partner, spec, do_nothing)
    for spec in story.alternative_cells:
        _cell(project, by_host, spec, other)
    services.set_reversibility_statement(project=project, by=by_host, text=story.reversibility)

    _ensure_tags(project, by_host)
    _confirm_commitments(project, by_host)
    _score_all(project, by_partner, story, None, 0)
    _score_all(project, by_host, story, None, 0)
    _score_all(project, by_partner, story, do_nothing, 2)
    _score_all(project, by_host, story, other, 1)

    services.sign_off_diagnosis(project=project, by=by_partner)
    if level == "one_signed":
        return Diagnosis.objects.get(project=project)
    services.sign_off_diagnosis(project=project, by=by_host)
    if level == "decided":
        project_services.transition_project(
            project=project, transition="submit_for_decision", by=by_host,
            reason="Diagnostic partagé validé par les deux partenaires.",
        )  # fmt: skip
        project_services.record_decision(
            project=project, by=by_host, outcome=Decision.Outcome.IMPLEMENT,
            rationale="Le diagnostic partagé montre des effets positifs sur les quatre dimensions "
            "et des réponses à chaque effet négatif ; l'alternative « ne rien faire » laisse le "
            "besoin sans réponse.",
            deliberation_reference=f"Commission permanente {today.year}-CP-{project.pk:03d}",
        )  # fmt: skip
    return Diagnosis.objects.get(project=project)
