"""The results part of the Isère demo, built through the results services.

- Lake Sevan (Gegharkunik): in elaboration, a results framework and an evaluation plan that
  both partners validate (`plan_demo_results`) — with the funding plan of `demo.finance` and
  both partners' stage sign-off, the loader moves it into implementation through the workflow,
  every condition met; then (`report_demo_results`) a first period approved, a second
  submitted by the Armenian partner, participation of women and young people.
- Souss-Massa, the irrigants' training (placed in evaluation): every period approved, a final
  evaluation rated on the six
  DAC criteria with both partners' management responses; both partners sign off the stage and
  the project is closed through the workflow, its gate met.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal
from typing import Any

from reciproca.accounts.models import Role, User
from reciproca.partnerships.models import Partnership
from reciproca.projects import services as project_services
from reciproca.projects.models import Project, Stage
from reciproca.results import services
from reciproca.results.models import Criterion, Indicator, Level, Timing

QUESTIONS = {
    "RELEVANCE": "L'offre répond-elle aux attentes des communautés riveraines ?",
    "COHERENCE": "Le projet s'accorde-t-il avec la stratégie touristique du marz ?",
    "EFFECTIVENESS": "Les familles d'accueil ont-elles atteint la qualité visée ?",
    "EFFICIENCY": "Les moyens engagés sont-ils proportionnés aux résultats ?",
    "IMPACT": "Les revenus des ménages et l'état des rives ont-ils évolué ?",
    "SUSTAINABILITY": "L'association des hébergeurs continuera-t-elle sans appui ?",
}


def _partner_user(project: Project) -> User | None:
    return (
        User.objects.filter(organisation_id=project.partnership.partner_id).order_by("pk").first()
    )


def _framework(
    project: Project,
    host: User,
    partner: User,
    *,
    title: str,
    periods: list[tuple[str, date, date]],
) -> dict[str, Any]:
    objective = services.add_node(project=project, by=host, level=Level.OBJECTIVE, title=title)
    outcome = services.add_node(
        project=project,
        by=partner,
        level=Level.OUTCOME,
        title="Des revenus durables pour les ménages",
        parent=objective,
    )
    governance = services.add_node(
        project=project,
        by=partner,
        level=Level.OUTCOME,
        title="Une collectivité partenaire qui pilote la filière",
        parent=objective,
    )
    output = services.add_node(
        project=project, by=partner, level=Level.OUTPUT, title="Des acteurs formés", parent=outcome
    )
    activity = services.add_node(
        project=project,
        by=partner,
        level=Level.ACTIVITY,
        title="Ateliers de formation",
        parent=output,
        led_by=project.partnership.partner,
    )
    people = services.add_indicator(
        project=project,
        by=host,
        node=outcome,
        title="Personnes formées",
        kind=Indicator.Kind.QUANTITATIVE,
        aggregation=Indicator.Aggregation.PER_PERIOD,
        unit="personnes",
        baseline=Decimal(0),
        baseline_date=periods[0][1],
        dimensions=services.dimensions_from_templates(["sex", "age_group"]),
    )
    capacity = services.add_indicator(
        project=project,
        by=partner,
        node=governance,
        title="Comité de pilotage local réuni et décisionnaire",
        kind=Indicator.Kind.QUALITATIVE,
        aggregation=Indicator.Aggregation.PER_PERIOD,
        family=Indicator.Family.GOVERNANCE,
    )
    made = []
    for i, (label, start, end) in enumerate(periods):
        period = services.add_period(project=project, by=host, label=label, start=start, end=end)
        services.set_target(
            project=project, by=host, indicator=people, period=period, value=Decimal(20 * (i + 1))
        )
        made.append(period)
    services.set_alignment(
        project=project,
        by=partner,
        development_plan="Plan de développement territorial du partenaire",
        development_plan_reference="PDT 2023-2028",
        development_plan_objectives="Axe 3 : économie locale et emploi des jeunes",
        actors_host="Associations iséroises, lycée agricole",
        actors_partner="Communes, associations d'hébergeurs",
    )
    services.update_plan(
        project=project,
        by=host,
        timings=[Timing.MID_TERM, Timing.FINAL],
        participants="Bénéficiaires, élus des deux collectivités",
        cost=Decimal(4500),
    )
    for criterion, text in QUESTIONS.items():
        services.add_question(
            project=project,
            by=partner if criterion in {"RELEVANCE", "IMPACT"} else host,
            criterion=criterion,
            text=text,
        )
    services.add_team_member(
        project=project,
        by=host,
        name="Marie Dupont",
        organisation=project.partnership.host,
        role="chargée de mission",
    )
    services.add_team_member(
        project=project,
        by=partner,
        name=str(partner),
        organisation=project.partnership.partner,
        role="référente",
    )
    for user in (host, partner):
        services.sign_off(project=project, by=user, subject="FRAMEWORK")
        services.sign_off(project=project, by=user, subject="PLAN")
    return {"people": people, "capacity": capacity, "activity": activity, "periods": made}


def _report(
    project: Project, parts: dict[str, Any], partner: User, period: Any, total: int
) -> None:
    women = total // 2 + 1
    services.report_value(
        project=project,
        by=partner,
        indicator=parts["people"],
        period=period,
        value=Decimal(total),
        breakdown={
            "F|15-24": str(women - 2),
            "F|25-64": "2",
            "M|15-24": str(total - women - 1),
            "M|25-64": "1",
        },
    )
    services.report_value(
        project=project,
        by=partner,
        indicator=parts["capacity"],
        period=period,
        narrative="Le comité s'est réuni deux fois et a arbitré le budget de la filière.",
    )


def plan_demo_results(implementing: Project, *, officer: User) -> dict[str, Any]:
    """Lake Sevan, in elaboration: the results framework and the evaluation plan, validated by
    both partners — what `results_framework_defined` and `evaluation_plan_validated` need
    before the project may start its implementation."""
    partner = _partner_user(implementing)
    assert partner is not None, "the demo has a partner editor for Gegharkunik"
    return _framework(
        implementing,
        officer,
        partner,
        title="Un tourisme rural qui fait vivre les rives du lac",
        periods=[
            ("2024", date(2024, 4, 1), date(2024, 12, 31)),
            ("2025", date(2025, 1, 1), date(2025, 12, 31)),
            ("2026", date(2026, 1, 1), date(2026, 12, 31)),
        ],
    )


def report_demo_results(implementing: Project, parts: dict[str, Any], *, officer: User) -> None:
    """Lake Sevan, in implementation: a first period approved after a return, a second
    submitted by the Armenian partner, the participation of women and young people."""
    partner = _partner_user(implementing)
    assert partner is not None
    first, second = parts["periods"][0], parts["periods"][1]
    _report(implementing, parts, partner, first, 18)
    services.submit_report(project=implementing, by=partner, period=first)
    services.return_report(
        project=implementing,
        by=officer,
        period=first,
        reason="Joindre la feuille d'émargement des ateliers.",
    )
    services.add_comment(
        project=implementing,
        by=partner,
        indicator=parts["people"],
        period=first,
        text="Feuilles d'émargement numérisées.",
    )
    services.submit_report(project=implementing, by=partner, period=first)
    services.approve_report(project=implementing, by=officer, period=first)
    _report(implementing, parts, partner, second, 26)
    services.submit_report(project=implementing, by=partner, period=second)
    services.record_participation(
        project=implementing,
        by=partner,
        activity=parts["activity"],
        held_on=date(2024, 6, 12),
        label="Atelier d'accueil à Martuni",
        breakdown={"F|15-24": "9", "F|25-64": "7", "M|15-24": "4", "M|25-64": "6", "F|65+": "1"},
    )
    services.record_participation(
        project=implementing,
        by=partner,
        activity=parts["activity"],
        held_on=date(2025, 5, 20),
        label="Échange de pratiques à Grenoble",
        breakdown={"F|15-24": "5", "F|25-64": "3", "M|15-24": "3", "M|25-64": "4"},
    )


def build_demo_closed(
    *,
    partnership: Partnership,
    officer: User,
    place: Callable[..., None],
    make_user: Callable[..., User],
) -> None:
    # A Souss-Massa project carried out (placed in evaluation: its earlier stages predate the
    # platform), every period approved, evaluated, then closed through the workflow.
    closing = project_services.create_project(
        partnership=partnership,
        by=officer,
        title="Irrigantes : formation à la gestion de l'eau",
        summary="Former les agricultrices de la plaine du Souss au pilotage de l'irrigation.",
        start_date=date(2022, 1, 1),
        end_date=date(2025, 6, 30),
        is_demo=True,
    )
    place(closing, Stage.EVALUATION, by=officer)
    souss = _partner_user(closing) or make_user(
        "amina.ouali",
        "Amina",
        "Ouali",
        partnership.partner,
        role=Role.PARTNER_EDITOR,
        scope=partnership,
    )
    parts = _framework(
        closing,
        officer,
        souss,
        title="Économiser l'eau d'irrigation avec les usagers",
        periods=[
            ("2022", date(2022, 1, 1), date(2022, 12, 31)),
            ("2023", date(2023, 1, 1), date(2023, 12, 31)),
            ("2024", date(2024, 1, 1), date(2025, 6, 30)),
        ],
    )
    for i, period in enumerate(parts["periods"]):
        _report(closing, parts, souss, period, 12 + 6 * i)
        services.submit_report(project=closing, by=souss, period=period)
        services.approve_report(project=closing, by=officer, period=period)
    services.record_participation(
        project=closing,
        by=souss,
        activity=parts["activity"],
        held_on=date(2023, 3, 8),
        label="Journée des irrigantes",
        breakdown={"F|15-24": "12", "F|25-64": "10", "M|15-24": "3", "M|25-64": "5"},
    )
    evaluation = services.record_evaluation(
        project=closing,
        by=officer,
        timing=Timing.FINAL,
        title="Évaluation finale conjointe",
        ratings={
            c: (
                3 if c != "EFFICIENCY" else 2,
                f"Entretiens, relevés des compteurs ({Criterion(c).label}).",
            )
            for c in Criterion.values
        },
        findings="La consommation d'eau des parcelles équipées a baissé d'un quart.",
        recommendations="Confier l'entretien des réseaux à l'association des usagers.",
        lessons="Former les irrigantes dès le début : elles ont porté l'adoption du "
        "goutte-à-goutte.",
        completed_on=date(2025, 9, 30),
    )
    services.respond_to_evaluation(
        project=closing,
        by=officer,
        evaluation=evaluation,
        text="Le Département retient la recommandation pour ses prochains projets.",
    )
    services.respond_to_evaluation(
        project=closing,
        by=souss,
        evaluation=evaluation,
        text="La région confie l'entretien à l'association dès 2026.",
    )
    project_services.sign_off_stage(project=closing, by=officer)
    project_services.sign_off_stage(project=closing, by=souss)
    project_services.transition_project(
        project=closing,
        transition="close",
        by=officer,
        reason="Évaluation finale partagée ; réponses des deux partenaires.",
    )
