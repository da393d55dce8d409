"""The gate conditions whose data the results app holds, and the charter rules it reads.

- `results_framework_defined` (PRJ-1): measurable indicators, validated by every partner;
- `evaluation_plan_validated` (PRJ-5): questions per DAC criterion, timing, a joint team,
  validated by every partner;
- `reporting_up_to_date` (PRJ-8): every period that has ended has an approved report;
- `evaluation_completed` (PRJ-8, PRJ-5): a completed evaluation rated on every criterion with
  a management response from each partner.

Each check reads in a fixed number of queries.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any, Literal

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from pydantic import Field, StringConstraints

from reciproca.charter import engine
from reciproca.charter.conditions import Params, register
from reciproca.charter.rules import register_rule
from reciproca.core.language import du
from reciproca.projects.models import Project
from reciproca.projects.policies import signing_partners
from reciproca.results.models import (
    Criterion,
    Evaluation,
    Indicator,
    Period,
    Report,
    ResultsFramework,
    ResultsSignOff,
)

CriterionCode = Literal[
    "RELEVANCE", "COHERENCE", "EFFECTIVENESS", "EFFICIENCY", "IMPACT", "SUSTAINABILITY"
]
assert set(CriterionCode.__args__) == set(Criterion.values)  # type: ignore[attr-defined]
Criteria = Annotated[list[CriterionCode], Field(min_length=1, max_length=6)]
Code = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]*$", max_length=40)]
CellValue = Annotated[str, StringConstraints(min_length=1, max_length=40)]
Templates = Annotated[
    dict[Code, Annotated[list[CellValue], Field(min_length=2, max_length=20)]],
    Field(max_length=20),
]
Share = Annotated[float, Field(ge=0, le=100)]

register_rule(
    "evaluation_budget_share_min",
    type=Share,
    default=7.0,
    label=gettext_lazy("part du budget consacrée à l'évaluation, au moins (%)"),
    doc=gettext_lazy(
        "PRJ-5 : en dessous de cette part du budget du projet, le dispositif d'évaluation "
        "porte un avertissement."
    ),
    clauses=("PRJ-5",),
    owner="results",
)
register_rule(
    "disaggregation_templates",
    type=Templates,
    default={"sex": ["F", "M"], "age_group": ["0-14", "15-24", "25-64", "65+"]},
    label=gettext_lazy("dimensions standard de ventilation des indicateurs"),
    doc=gettext_lazy(
        "OBJ-2 : chaque dimension et ses modalités ; un indicateur ventilé par sexe et par âge "
        "se saisit par case du tableau croisé."
    ),
    clauses=("OBJ-2",),
    owner="results",
)
register_rule(
    "evaluation_criteria",
    type=Criteria,
    default=list(Criterion.values),
    label=gettext_lazy("critères du CAD de l'OCDE que le dispositif d'évaluation couvre"),
    doc=gettext_lazy("PRJ-5 : chaque critère a au moins une question d'évaluation."),
    clauses=("PRJ-5",),
    owner="results",
)

# The age groups counted as young people (OBJ-2) and the cell of women.
YOUNG_GROUPS = frozenset({"15-24"})
WOMEN = "F"


def framework_of(project: Project) -> ResultsFramework | None:
    return engine.memo(
        ("results.framework", project.pk),
        lambda: ResultsFramework.objects.filter(project=project).first(),
    )


def _missing_signatures(project: Project, framework: ResultsFramework, subject: str) -> list[str]:
    version = (
        framework.version if subject == ResultsSignOff.Subject.FRAMEWORK else framework.plan_version
    )
    signed = set(
        ResultsSignOff.objects.filter(
            framework=framework, subject=subject, version=version, withdrawn_at__isnull=True
        ).values_list("organisation_id", flat=True)
    )
    return [
        str(p.organisation) for p in signing_partners(project) if p.organisation_id not in signed
    ]


@register(
    "results_framework_defined",
    label=gettext_lazy("le cadre de résultats a des indicateurs mesurables"),
    evidence=("results:page", "#cadre"),
)
def results_framework_defined(project: Project, params: Any) -> list[str]:
    """PRJ-1: the framework has an objective, indicators that can be measured (a quantitative
    one has its unit, its baseline with its date and a target) and every partner validated
    its current version."""
    framework = framework_of(project)
    if framework is None:
        return [_("Le projet n'a pas encore de cadre de résultats.")]
    reasons: list[str] = []
    indicators = list(
        Indicator.objects.filter(node__framework=framework).prefetch_related("targets")
    )
    if not framework.nodes.filter(level="OBJECTIVE").exists():
        reasons.append(_("Le cadre de résultats n'a pas d'objectif."))
    if not indicators:
        reasons.append(_("Le cadre de résultats n'a aucun indicateur."))
    for indicator in indicators:
        if indicator.kind != Indicator.Kind.QUANTITATIVE:
            continue
        if not indicator.unit or indicator.baseline is None or indicator.baseline_date is None:
            reasons.append(
                _("L'indicateur « %(title)s » n'a pas son unité ou sa valeur de référence datée.")
                % {"title": indicator.title}
            )
        if not indicator.targets.all():
            reasons.append(
                _("L'indicateur « %(title)s » n'a pas de cible.") % {"title": indicator.title}
            )
    for name in _missing_signatures(project, framework, ResultsSignOff.Subject.FRAMEWORK):
        reasons.append(
            _("%(org)s n'a pas validé la version %(version)s du cadre de résultats.")
            % {"org": name, "version": framework.version}
        )
    return reasons


class PlanParams(Params):
    """The criteria the plan must cover for this gate; unset: the charter's rule applies."""

    evaluation_criteria: Criteria | None = None


@register(
    "evaluation_plan_validated",
    label=gettext_lazy("le dispositif d'évaluation concerté est validé par les partenaires"),
    params=PlanParams,
    evidence=("results:plan", "#dispositif"),
)
def evaluation_plan_validated(project: Project, params: PlanParams) -> list[str]:
    """PRJ-5: the evaluation plan asks at least one question per DAC criterion the charter
    names, says when the evaluation happens, has a joint team with a member of each partner,
    and every partner validated its current version."""
    framework = framework_of(project)
    if framework is None:
        return [_("Le projet n'a pas encore de dispositif d'évaluation.")]
    reasons: list[str] = []
    wanted = params.evaluation_criteria or engine.rule("evaluation_criteria")
    asked = set(framework.questions.values_list("criterion", flat=True))
    labels = dict(Criterion.choices)
    missing = [str(labels[c]) for c in wanted if c not in asked]
    if missing:
        reasons.append(
            _("Le dispositif d'évaluation n'a pas de question sur : %(criteria)s.")
            % {"criteria": ", ".join(missing)}
        )
    if not framework.plan_timings:
        reasons.append(_("Le dispositif d'évaluation ne dit pas quand l'évaluation a lieu."))
    in_team = set(framework.team.values_list("organisation_id", flat=True))
    for partner in signing_partners(project):
        if partner.organisation_id not in in_team:
            reasons.append(
                _("L'équipe d'évaluation n'a aucun membre %(du_org)s.")
                % {"du_org": du(partner.organisation)}
            )
    for name in _missing_signatures(project, framework, ResultsSignOff.Subject.PLAN):
        reasons.append(
            _("%(org)s n'a pas validé la version %(version)s du dispositif d'évaluation.")
            % {"org": name, "version": framework.plan_version}
        )
    return reasons


@register(
    "reporting_up_to_date",
    label=gettext_lazy("chaque période de suivi échue a un rapport approuvé"),
    evidence=("results:page", "#periodes"),
)
def reporting_up_to_date(project: Project, params: Any) -> list[str]:
    """PRJ-8: the partners reported every period that has ended, and the report is approved."""
    framework = framework_of(project)
    if framework is None:
        return [_("Le projet n'a pas encore de cadre de résultats.")]
    today: date = timezone.localdate()
    periods = list(Period.objects.filter(framework=framework).select_related("report"))
    if not periods:
        return [_("Le cadre de résultats n'a aucune période de suivi.")]
    reasons = []
    for period in periods:
        report = getattr(period, "report", None)
        if period.end < today and (report is None or report.state != Report.State.APPROVED):
            reasons.append(
                _("Le rapport de la période « %(period)s » n'est pas approuvé.")
                % {"period": period.label}
            )
    return reasons


@register(
    "evaluation_completed",
    label=gettext_lazy(
        "une évaluation est achevée, notée sur chaque critère, avec la réponse de chaque partenaire"
    ),
    params=PlanParams,
    evidence=("results:evaluations", ""),
)
def evaluation_completed(project: Project, params: PlanParams) -> list[str]:
    """PRJ-8 and PRJ-5: a completed evaluation rated on every DAC criterion the charter names,
    with evidence, findings, recommendations and each partner's management response."""
    framework = framework_of(project)
    evaluations = (
        list(
            Evaluation.objects.filter(framework=framework, completed_on__isnull=False)
            .prefetch_related("ratings", "responses")
            .order_by("-completed_on")
        )
        if framework is not None
        else []
    )
    if not evaluations:
        return [_("Aucune évaluation du projet n'est achevée.")]
    evaluation = evaluations[0]
    wanted = params.evaluation_criteria or engine.rule("evaluation_criteria")
    labels = dict(Criterion.choices)
    rated = {r.criterion for r in evaluation.ratings.all()}
    reasons: list[str] = []
    missing = [str(labels[c]) for c in wanted if c not in rated]
    if missing:
        reasons.append(
            _("L'évaluation « %(title)s » n'est pas notée sur : %(criteria)s.")
            % {"title": evaluation.title, "criteria": ", ".join(missing)}
        )
    if not evaluation.findings.strip() or not evaluation.recommendations.strip():
        reasons.append(
            _("L'évaluation « %(title)s » n'a pas ses constats et ses recommandations.")
            % {"title": evaluation.title}
        )
    responded = {r.organisation_id for r in evaluation.responses.all()}
    for partner in signing_partners(project):
        if partner.organisation_id not in responded:
            reasons.append(
                _("%(org)s n'a pas donné sa réponse à l'évaluation.")
                % {"org": partner.organisation}
            )
    return reasons
