"""The gate conditions whose data the shared diagnosis holds, registered with the charter.

The charter file names them in its gates (`submit_for_decision`, `decide`); each check returns
one sentence per unmet point, naming what or who is missing. Every check reads the diagnosis in
a fixed number of queries, whatever its size.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Annotated, Any, Literal, get_args

from django.db.models import Prefetch
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from pydantic import Field

from reciproca.charter import engine
from reciproca.charter.conditions import Params, register
from reciproca.charter.rules import register_rule
from reciproca.core.language import isolate, join_list, le
from reciproca.core.prefetch import prefetch_present, prefetched, with_presence
from reciproca.diagnosis import grid
from reciproca.diagnosis import measures as _measures  # noqa: F401  (registers the measures)
from reciproca.diagnosis.models import (
    Alternative,
    Assessment,
    Diagnosis,
    DiagnosisSignOff,
    Dimension,
    Direction,
    Directness,
    Horizon,
    ImpactCell,
    ResponseKind,
    Side,
)
from reciproca.diagnosis.versions import describe_cell, option_key
from reciproca.projects.models import Project, ProjectPartner

# --- the charter rules the diagnosis reads ----------------------------------------------------

DimensionCode = Literal["SOCIAL", "ECONOMIC", "ENVIRONMENTAL", "CULTURAL"]
KindCode = Literal["DIRECT", "INDIRECT"]
HorizonCode = Literal["SHORT", "MEDIUM", "LONG"]
ResponseCode = Literal["LIMIT", "ANTICIPATE", "MANAGE", "AVOID"]
for _literal, _choices in (
    (DimensionCode, Dimension),
    (KindCode, Directness),
    (HorizonCode, Horizon),
    (ResponseCode, ResponseKind),
):
    assert set(get_args(_literal)) == set(_choices.values), _choices

Dimensions = Annotated[list[DimensionCode], Field(min_length=1, max_length=4)]
Kinds = Annotated[list[KindCode], Field(min_length=1, max_length=2)]
Horizons = Annotated[list[HorizonCode], Field(min_length=1, max_length=3)]
Responses = Annotated[list[ResponseCode], Field(min_length=1, max_length=4)]
MinAlternatives = Annotated[int, Field(ge=0, le=20)]

register_rule(
    "min_alternatives",
    type=MinAlternatives,
    default=1,
    label=gettext_lazy("solutions alternatives comparées, au moins"),
    doc=gettext_lazy(
        "PRJ-7 : nombre minimal de solutions alternatives comparées à la proposition "
        "(« ne rien faire » compte)."
    ),
    clauses=("PRJ-7",),
    owner="diagnosis",
)
register_rule(
    "impact_dimensions",
    type=Dimensions,
    default=list(Dimension.values),
    label=gettext_lazy("dimensions de la matrice des impacts"),
    doc=gettext_lazy("PRJ-3 : les dimensions évaluées pour chaque territoire."),
    clauses=("PRJ-3", "PRJ-13"),
    owner="diagnosis",
)
register_rule(
    "impact_kinds",
    type=Kinds,
    default=list(Directness.values),
    label=gettext_lazy("impacts directs et indirects"),
    doc=gettext_lazy("PRJ-3 : les natures d'impact de la matrice."),
    clauses=("PRJ-3",),
    owner="diagnosis",
)
register_rule(
    "impact_horizons",
    type=Horizons,
    default=list(Horizon.values),
    label=gettext_lazy("horizons de la matrice des impacts"),
    doc=gettext_lazy("PRJ-3 : court, moyen et long terme."),
    clauses=("PRJ-3",),
    owner="diagnosis",
)
register_rule(
    "negative_impact_responses",
    type=Responses,
    default=list(ResponseKind.values),
    label=gettext_lazy("réponses possibles à un impact négatif"),
    doc=gettext_lazy("PRJ-6 : limiter, anticiper, gérer ou éviter."),
    clauses=("PRJ-6",),
    owner="diagnosis",
)


class MatrixParams(Params):
    """The impact matrix's axes for this gate only; unset: the charter's rules apply."""

    impact_dimensions: Dimensions | None = None
    impact_kinds: Kinds | None = None
    impact_horizons: Horizons | None = None


class AlternativesParams(MatrixParams):
    min_alternatives: MinAlternatives | None = None


def _axes_params(params: Params | None) -> dict[str, Any]:
    """The charter's rules overlaid with the condition's own axes."""
    values = dict(engine.rules())
    if params is not None:
        values.update(params.model_dump(exclude_none=True))
    return values


def _diagnosis(project: Project) -> Diagnosis | None:
    return engine.memo(("diagnosis", project.pk), lambda: project_diagnosis(project))


def project_diagnosis(project: Project) -> Diagnosis | None:
    """The project's diagnosis, or None: no query when it was read with the project
    (`select_related("diagnosis")`)."""
    if Project.diagnosis.related.is_cached(project):
        try:
            return project.diagnosis
        except Diagnosis.DoesNotExist:
            return None
    return Diagnosis.objects.filter(project=project).first()


def side_name(project: Project, side: str) -> str:
    """The territory a side stands for, by name: "Constantine", "Isère"."""
    partnership = project.partnership
    if side == Side.PARTNER:
        territory = partnership.territory
        return territory.name if territory else partnership.partner.display_name
    host = partnership.host
    return host.territory.name if host.territory_id and host.territory else host.display_name


def live_signoffs(diagnosis: Diagnosis) -> list[DiagnosisSignOff]:
    """The sign-offs that count now: on the current version and not withdrawn (an "adjust"
    decision withdraws them when it is recorded: `diagnosis.pipeline.on_decision`)."""
    return [
        s for s in _signoffs(diagnosis) if s.version == diagnosis.version and s.withdrawn_at is None
    ]


# --- what the checks read, once per evaluation -----------------------------------------------
# Each read is memoised (`engine.memo`) under a key the diagnosis pages seed with the rows they
# have already read (`page_facts`), so a page does not read them twice.


def _signoffs(diagnosis: Diagnosis) -> list[DiagnosisSignOff]:
    return engine.memo(
        ("signoffs", diagnosis.pk),
        lambda: list(
            DiagnosisSignOff.objects.filter(diagnosis=diagnosis).select_related("organisation")
        ),
    )


def _cells(diagnosis: Diagnosis) -> list[ImpactCell]:
    """Every cell of every option, with its responses."""
    return engine.memo(
        ("cells", diagnosis.pk),
        lambda: cells_with_responses(ImpactCell.objects.filter(diagnosis=diagnosis)),
    )


def cells_with_responses(cells: Any, responses: str | Prefetch = "responses") -> list[ImpactCell]:
    """The cells, each with its responses (a query only when some cell has one)."""
    relations = {"responses": [responses]}
    return prefetch_present(list(with_presence(cells, relations)), relations)


def _alternatives(diagnosis: Diagnosis) -> list[Alternative]:
    return engine.memo(
        ("alternatives", diagnosis.pk),
        lambda: list(Alternative.objects.filter(diagnosis=diagnosis).order_by("created_at", "id")),
    )


def _assessments(diagnosis: Diagnosis) -> list[Assessment]:
    return engine.memo(
        ("assessments", diagnosis.pk), lambda: list(Assessment.objects.filter(diagnosis=diagnosis))
    )


def page_facts(
    project: Project,
    diagnosis: Diagnosis | None,
    *,
    signoffs: list[DiagnosisSignOff],
    cells: list[ImpactCell],
    alternatives: list[Alternative],
    assessments: list[Assessment],
) -> dict[Any, Any]:
    """What the checks read, from the rows a page already holds (every sign-off with its
    organisation, every cell with its responses, the alternatives, every assessment), to
    seed an evaluation with (`engine.sharing`)."""
    facts: dict[Any, Any] = {("diagnosis", project.pk): diagnosis}
    if diagnosis is not None:
        facts |= {
            ("signoffs", diagnosis.pk): signoffs,
            ("cells", diagnosis.pk): cells,
            ("alternatives", diagnosis.pk): alternatives,
            ("assessments", diagnosis.pk): assessments,
        }
    return facts


@register(
    "diagnosis_shared",
    label=gettext_lazy("diagnostic partagé validé par chaque partenaire"),
    evidence=("diagnosis:overview", "#validation"),
)
def diagnosis_shared(project: Project, params: Any) -> list[str]:
    """Every co-owner organisation signed the current version (PRJ-2, PRI-1): nothing is
    validated by one side alone."""
    partners = prefetched(project, "partners")  # the page read them with their organisation
    if partners is None:
        partners = list(
            ProjectPartner.objects.filter(project=project).select_related("organisation")
        )
    partners.sort(key=lambda p: (p.organisation.name, p.pk))
    signing = [p.organisation for p in partners if p.signs_off]
    if not signing:
        return [
            _("Aucune organisation co-maître d'ouvrage n'est désignée pour valider le diagnostic.")
        ]
    reasons = []
    partnership = project.partnership
    signing_ids = {o.pk for o in signing}
    for org_id, org in (
        (partnership.host_id, partnership.host),
        (partnership.partner_id, partnership.partner),
    ):
        if org_id not in signing_ids:
            reasons.append(
                _("%(le_org)s doit être co-maître d'ouvrage pour valider le diagnostic.")
                % {"le_org": capfirst(le(org))}
            )
    diagnosis = _diagnosis(project)
    signed = {s.organisation_id for s in live_signoffs(diagnosis)} if diagnosis else set()
    reasons.extend(
        _("Le diagnostic partagé n'a pas été validé par %(le_org)s.") % {"le_org": le(org)}
        for org in signing
        if org.pk not in signed
    )
    return reasons


def _addressed(diagnosis: Diagnosis | None) -> dict[int | None, set[tuple[str, str]]]:
    """For each option, the (side, dimension) pairs with at least one cell of known direction
    and a justification."""
    key = ("addressed", diagnosis.pk if diagnosis else None)
    return engine.memo(key, lambda: _read_addressed(diagnosis))


def _read_addressed(diagnosis: Diagnosis | None) -> dict[int | None, set[tuple[str, str]]]:
    result: dict[int | None, set[tuple[str, str]]] = defaultdict(set)
    if diagnosis is None:
        return result
    for cell in _cells(diagnosis):
        if cell.direction != Direction.UNKNOWN and cell.justification != "":
            result[cell.alternative_id].add((cell.side, cell.dimension))
    return result


def _unaddressed(
    project: Project, addressed: set[tuple[str, str]], params: dict[str, Any]
) -> list[tuple[str, str]]:
    axes = grid.matrix_axes(params)
    return [
        (side, dimension)
        for side in (Side.PARTNER, Side.HOST)
        for dimension in axes.dimensions
        if (side, dimension) not in addressed
    ]


@register(
    "impact_dimensions_addressed",
    label=gettext_lazy("les quatre dimensions évaluées pour les deux territoires"),
    params=MatrixParams,
    evidence=("diagnosis:matrix_proposal", ""),
)
def impact_dimensions_addressed(project: Project, params: MatrixParams) -> list[str]:
    """Each dimension has at least one cell with a known direction and a justification, for
    the partner territory and for the department's (PRJ-3, PRJ-13)."""
    addressed = _addressed(_diagnosis(project))[None]
    return [
        _(
            "Aucun impact %(dimension)s n'est évalué pour %(territory)s : renseignez au moins "
            "une case avec un sens connu et une justification."
        )
        % {"dimension": Dimension(dimension).label, "territory": side_name(project, side)}
        for side, dimension in _unaddressed(project, addressed, _axes_params(params))
    ]


@register(
    "negative_impacts_answered",
    label=gettext_lazy("une réponse à chaque impact négatif"),
    evidence=("diagnosis:overview", "#reponses"),
)
def negative_impacts_answered(project: Project, params: Any) -> list[str]:
    """Every negative cell of the proposal carries a response with an owner and a due date
    (PRJ-6). Alternatives are compared, not carried out: their negative cells need none."""
    diagnosis = _diagnosis(project)
    if diagnosis is None:
        return []
    unanswered = sorted(
        (
            cell
            for cell in _cells(diagnosis)
            if cell.alternative_id is None
            and cell.direction == Direction.NEGATIVE
            and not any(
                response.due_date is not None
                and (response.owner_organisation_id is not None or response.owner_name != "")
                for response in cell.responses.all()
            )
        ),
        key=lambda cell: (cell.side, cell.dimension, cell.directness, cell.horizon),
    )
    return [
        _(
            "L'impact négatif de la %(cell)s n'a pas de réponse (limiter, anticiper, gérer ou "
            "éviter) avec un responsable et une échéance."
        )
        % {"cell": describe_cell("|".join((option_key(None), *cell.coordinates)), {})}
        for cell in unanswered
    ]


def _criteria_scored(diagnosis: Diagnosis | None) -> dict[int | None, set[str]]:
    key = ("criteria_scored", diagnosis.pk if diagnosis else None)
    return engine.memo(key, lambda: _read_criteria_scored(diagnosis))


def _read_criteria_scored(diagnosis: Diagnosis | None) -> dict[int | None, set[str]]:
    result: dict[int | None, set[str]] = defaultdict(set)
    if diagnosis is None:
        return result
    for assessment in _assessments(diagnosis):
        if assessment.justification != "":
            result[assessment.alternative_id].add(assessment.criterion_code)
    return result


@register(
    "alternatives_assessed",
    label=gettext_lazy("solutions alternatives évaluées et réversibilité énoncée"),
    params=AlternativesParams,
    evidence=("diagnosis:compare", ""),
)
def alternatives_assessed(project: Project, params: AlternativesParams) -> list[str]:
    """At least `min_alternatives` alternatives besides the proposal ("do nothing" counts),
    each assessed on the same matrix and grid, and a reversibility and exit statement (PRJ-7)."""
    axes = _axes_params(params)
    minimum = int(axes["min_alternatives"])
    diagnosis = _diagnosis(project)
    alternatives = _alternatives(diagnosis) if diagnosis else []
    reasons = []
    if len(alternatives) < minimum:
        reasons.append(
            ngettext(
                "Le diagnostic compare %(n)s solution alternative à la proposition ; la "
                "charte en demande au moins %(min)s (« ne rien faire » est admis).",
                "Le diagnostic compare %(n)s solutions alternatives à la proposition ; la "
                "charte en demande au moins %(min)s (« ne rien faire » est admis).",
                len(alternatives),
            )
            % {"n": len(alternatives), "min": minimum}
        )
    addressed = _addressed(diagnosis)
    scored = _criteria_scored(diagnosis)
    criteria = grid.project_criteria(project)
    for alternative in alternatives:
        missing = _unaddressed(project, addressed[alternative.pk], axes)
        if missing:
            reasons.append(
                _(
                    "L'alternative « %(title)s » n'est pas évaluée sur la matrice des impacts "
                    "(%(missing)s)."
                )
                % {
                    "title": isolate(alternative.title),
                    "missing": join_list(
                        f"{Dimension(d).label} — {side_name(project, s)}" for s, d in missing
                    ),
                }
            )
        unscored = [c.name for c in criteria if c.code not in scored[alternative.pk]]
        if unscored:
            reasons.append(
                _(
                    "L'alternative « %(title)s » n'est pas notée sur la grille de développement "
                    "durable (%(missing)s)."
                )
                % {"title": isolate(alternative.title), "missing": join_list(unscored)}
            )
    if diagnosis is None or not diagnosis.reversibility_statement.strip():
        reasons.append(_("L'énoncé de réversibilité et de sortie n'est pas rédigé."))
    return reasons


@register(
    "sustainability_assessed",
    label=gettext_lazy("grille de développement durable renseignée"),
    evidence=("diagnosis:grid_proposal", ""),
)
def sustainability_assessed(project: Project, params: Any) -> list[str]:
    """Every criterion of the grid is scored for the proposal, with a justification, by at
    least one named assessor (PRJ-14)."""
    scored = _criteria_scored(_diagnosis(project))[None]
    return [
        _(
            "Le critère « %(criterion)s » de la grille de développement durable n'est pas noté "
            "(une note justifiée par un évaluateur nommé)."
        )
        % {"criterion": criterion.name}
        for criterion in grid.project_criteria(project)
        if criterion.code not in scored
    ]
