"""Reads of the shared diagnosis for pages, reports and the API, in a fixed number of queries
whatever the number of needs, cells, alternatives or assessors.

`diagnosis_page(project, user)` gathers everything the overview, the matrix, the grid and the
comparison show; the options (the proposal, then each alternative) carry their cells and scores.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from functools import cached_property
from statistics import mean
from typing import Any

from django.db.models import Prefetch, QuerySet
from django.http import Http404
from django.utils.translation import gettext

from reciproca.charter import engine
from reciproca.charter.models import Charter
from reciproca.core.prefetch import prefetch_present, with_presence
from reciproca.diagnosis import gates, grid, policies
from reciproca.diagnosis.charts import RadarAxis, RadarSeries
from reciproca.diagnosis.models import (
    Alternative,
    Assessment,
    Diagnosis,
    DiagnosisSignOff,
    DiagnosisVersion,
    Dimension,
    Direction,
    Directness,
    Horizon,
    ImpactCell,
    ImpactResponse,
    Need,
    Side,
)
from reciproca.diagnosis.versions import PROPOSAL, build_pending_snapshots
from reciproca.partnerships.models import Organisation
from reciproca.projects.models import Decision, Project, ProjectMarker, ProjectPartner
from reciproca.projects.policies import projects_visible_to

CellKey = tuple[str, str, str, str]  # side, dimension, directness, horizon
PROPOSAL_SLUG = "proposition"


@dataclass
class Option:
    """The proposal (alternative None) or one alternative, with its cells and scores."""

    key: str
    alternative: Alternative | None
    title: str
    cells: dict[CellKey, ImpactCell] = field(default_factory=dict)
    scores: dict[str, list[Assessment]] = field(default_factory=lambda: defaultdict(list))

    @property
    def is_proposal(self) -> bool:
        return self.alternative is None

    @property
    def slug(self) -> str:
        """The option as it appears in URLs: "proposition" or the alternative's number."""
        return PROPOSAL_SLUG if self.alternative is None else str(self.alternative.pk)

    def cell(self, side: str, dimension: str, directness: str, horizon: str) -> ImpactCell | None:
        return self.cells.get((side, dimension, directness, horizon))

    def counts(self, dimension: str, side: str | None = None) -> dict[str, int]:
        """How many cells of a dimension point each way (all sides unless `side`)."""
        result = dict.fromkeys(Direction.values, 0)
        for (cell_side, cell_dimension, _d, _h), cell in self.cells.items():
            if cell_dimension == dimension and (side is None or cell_side == side):
                result[cell.direction] += 1
        return result

    def mean_score(self, code: str) -> float | None:
        scores = [a.score for a in self.scores.get(code, [])]
        return round(mean(scores), 1) if scores else None

    @property
    def negative_cells(self) -> list[ImpactCell]:
        return sorted(
            (c for c in self.cells.values() if c.direction == Direction.NEGATIVE),
            key=lambda c: (c.side, c.dimension, c.directness, c.horizon),
        )


@dataclass
class PartnerStatus:
    """Where one co-owner organisation stands on the current version."""

    organisation: Organisation
    signoff: DiagnosisSignOff | None  # live on the current version
    withdrawn: DiagnosisSignOff | None  # its latest withdrawn sign-off, when not signed now
    withdrawn_reason: str = ""  # stored French text, for sign-offs older than causes
    withdrawn_cause: dict[str, Any] = field(default_factory=dict)
    withdrawn_at: Any = None
    withdrawn_by: Any = None


@dataclass
class DiagnosisPage:
    project: Project
    diagnosis: Diagnosis | None
    charter: Charter | None
    version: int
    options: list[Option]
    criteria: list[grid.Criterion]
    axes: grid.MatrixAxes
    partners: list[PartnerStatus]
    decisions: list[Decision]
    frozen_reason: str
    can_edit: bool
    can_sign_off: bool
    user_has_signed: bool
    signoffs: list[DiagnosisSignOff] = field(default_factory=list)

    @cached_property
    def needs(self) -> list[Need]:
        """Read when a page shows them (the conformity report does not)."""
        if self.diagnosis is None:
            return []
        return list(
            Need.objects.filter(diagnosis=self.diagnosis)
            .select_related("author_organisation", "created_by")
            .order_by("side", "created_at", "id")
        )

    def gate_facts(self) -> dict[Any, Any]:
        """What the charter's checks read, from the rows this page holds (`engine.sharing`)."""
        return gates.page_facts(
            self.project,
            self.diagnosis,
            signoffs=self.signoffs,
            cells=[cell for option in self.options for cell in option.cells.values()],
            alternatives=[o.alternative for o in self.alternatives if o.alternative is not None],
            assessments=[a for o in self.options for scores in o.scores.values() for a in scores],
        )

    @property
    def proposal(self) -> Option:
        return self.options[0]

    @property
    def alternatives(self) -> list[Option]:
        return self.options[1:]

    @property
    def is_shared(self) -> bool:
        return bool(self.partners) and all(p.signoff for p in self.partners)

    @property
    def withdrawn(self) -> list[PartnerStatus]:
        return [p for p in self.partners if p.withdrawn is not None]

    def needs_of(self, side: str) -> list[Need]:
        return [n for n in self.needs if n.side == side]

    def option(self, slug: str) -> Option | None:
        return next((o for o in self.options if o.slug == slug), None)

    def radar(
        self, options: list[Option] | None = None
    ) -> tuple[list[RadarSeries], list[RadarAxis]]:
        axes = [RadarAxis(code=c.code, label=c.name) for c in self.criteria]
        series = [
            RadarSeries(label=o.title, values=[o.mean_score(c.code) for c in self.criteria])
            for o in (options if options is not None else self.options)
        ]
        return series, axes


# What the diagnosis pages show of the project's relations (`core.prefetch`: one query for
# each relation that has rows).
PAGE_RELATIONS: dict[str, list[str | Prefetch]] = {
    "partners": [
        Prefetch("partners", queryset=ProjectPartner.objects.select_related("organisation"))
    ],
    "themes": ["themes"],
    "sdg_targets": ["sdg_targets"],
    "purpose_codes": ["purpose_codes"],
    "services": ["services"],
    "elected_officials": ["elected_officials"],
    "markers": [
        Prefetch("markers", queryset=ProjectMarker.objects.select_related("marker", "significance"))
    ],
    "decisions": [
        Prefetch("decisions", queryset=Decision.objects.select_related("decided_by", "new_project"))
    ],
}


def page_project(project: Project | int | str, user: Any = None) -> Project:
    """The project with what the diagnosis pages show about it, prefetched. With `user`,
    `project` may be a primary key: it is read within what the user may see (404 otherwise)
    in the same query."""
    pk = project.pk if isinstance(project, Project) else project
    projects = projects_visible_to(user) if user is not None else Project.objects.all()
    queryset = with_presence(
        projects.select_related(
            "partnership__host__territory",
            "partnership__partner",
            "partnership__territory",
            "programme",
            "diagnosis",
        ),
        PAGE_RELATIONS,
    )
    try:
        found = queryset.get(pk=pk)
    except (Project.DoesNotExist, ValueError) as exc:
        raise Http404 from exc
    prefetch_present(found, PAGE_RELATIONS)
    return found


def _active_charter() -> Charter | None:
    try:
        return engine.active_charter()
    except engine.CharterNotLoaded:
        return None


def build_options(diagnosis: Diagnosis | None) -> list[Option]:
    """The proposal then each alternative, with their cells (and responses) and scores."""
    proposal = Option(key=PROPOSAL, alternative=None, title=gettext("Proposition"))
    if diagnosis is None:
        return [proposal]
    alternatives = list(
        Alternative.objects.filter(diagnosis=diagnosis).order_by("created_at", "id")
    )
    options = [proposal] + [
        Option(key=str(a.pk), alternative=a, title=a.title) for a in alternatives
    ]
    by_id: dict[int | None, Option] = {None: proposal} | {
        a.pk: o for a, o in zip(alternatives, options[1:], strict=True)
    }
    cells = gates.cells_with_responses(
        ImpactCell.objects.filter(diagnosis=diagnosis).select_related(
            "author_organisation", "updated_by"
        ),
        Prefetch(
            "responses",
            queryset=ImpactResponse.objects.select_related("owner_organisation").order_by(
                "due_date", "id"
            ),
        ),
    )
    for cell in cells:
        by_id[cell.alternative_id].cells[cell.coordinates] = cell
    for assessment in Assessment.objects.filter(diagnosis=diagnosis).select_related("assessor"):
        by_id[assessment.alternative_id].scores[assessment.criterion_code].append(assessment)
    return options


def all_signoffs(diagnosis: Diagnosis | None) -> list[DiagnosisSignOff]:
    if diagnosis is None:
        return []
    return list(
        DiagnosisSignOff.objects.filter(diagnosis=diagnosis)
        .select_related("organisation", "signed_by", "withdrawn_by")
        .order_by("signed_at", "id")
    )


def partner_statuses(
    project: Project, diagnosis: Diagnosis | None, signoffs: list[DiagnosisSignOff] | None = None
) -> list[PartnerStatus]:
    signing = sorted(
        (p.organisation for p in project.partners.all() if p.signs_off), key=lambda o: o.name
    )
    if signoffs is None:
        signoffs = all_signoffs(diagnosis)
    statuses = []
    for organisation in signing:
        mine = [s for s in signoffs if s.organisation_id == organisation.pk]
        live = next(
            (
                s
                for s in mine
                if s.withdrawn_at is None and diagnosis and s.version == diagnosis.version
            ),
            None,
        )
        withdrawn = None
        if live is None:
            withdrawn = max(
                (s for s in mine if s.withdrawn_at is not None),
                key=lambda s: (s.withdrawn_at, s.pk),
                default=None,
            )
        statuses.append(
            PartnerStatus(
                organisation=organisation,
                signoff=live,
                withdrawn=withdrawn,
                withdrawn_reason=withdrawn.withdrawn_reason if withdrawn else "",
                withdrawn_cause=withdrawn.withdrawn_cause if withdrawn else {},
                withdrawn_at=withdrawn.withdrawn_at if withdrawn else None,
                withdrawn_by=withdrawn.withdrawn_by if withdrawn else None,
            )
        )
    return statuses


def diagnosis_page(project: Project | int | str, user: Any) -> DiagnosisPage:
    """Everything the diagnosis pages show, in a fixed number of queries. `project` may be a
    primary key: the project is then read within what the user may see (404 otherwise)."""
    project = page_project(project, user if not isinstance(project, Project) else None)
    charter = _active_charter()
    diagnosis = gates.project_diagnosis(project)  # read with the project
    decisions = sorted(project.decisions.all(), key=lambda d: (d.decided_at, d.pk), reverse=True)
    signoffs = all_signoffs(diagnosis)
    partners = partner_statuses(project, diagnosis, signoffs)
    user_org = getattr(user, "organisation_id", None)
    frozen = policies.frozen_reason(project, decisions)
    can_edit = bool(policies.can_edit_diagnosis(user, project))
    can_sign = bool(policies.can_sign_off_diagnosis(user, project))
    return DiagnosisPage(
        project=project,
        diagnosis=diagnosis,
        charter=charter,
        version=diagnosis.version if diagnosis else 1,
        options=build_options(diagnosis),
        criteria=grid.project_criteria(project, charter=charter) if charter else [],
        axes=grid.matrix_axes(engine.rules(charter=charter) if charter else {}),
        partners=partners,
        decisions=decisions,
        frozen_reason=frozen,
        can_edit=can_edit and not frozen,
        can_sign_off=can_sign and not frozen,
        user_has_signed=any(
            p.signoff is not None and p.organisation.pk == user_org for p in partners
        ),
        signoffs=signoffs,
    )


def versions(diagnosis: Diagnosis) -> list[DiagnosisVersion]:
    """Every version, newest first, with who opened it (the current one's snapshot built)."""
    build_pending_snapshots(Diagnosis.objects.filter(pk=diagnosis.pk))
    return list(
        DiagnosisVersion.objects.filter(diagnosis=diagnosis)
        .select_related("started_by")
        .order_by("-number")
    )


def signoffs_by_version(diagnosis: Diagnosis) -> dict[int, list[DiagnosisSignOff]]:
    result: dict[int, list[DiagnosisSignOff]] = defaultdict(list)
    for signoff in (
        DiagnosisSignOff.objects.filter(diagnosis=diagnosis)
        .select_related("organisation", "signed_by", "withdrawn_by")
        .order_by("signed_at", "id")
    ):
        result[signoff.version].append(signoff)
    return result


def suggestions(project: Project) -> dict[str, dict[str, list[str]]]:
    """What the project's themes suggest (PRJ-15): for each SDG target, marker and purpose
    code, the names of the themes suggesting it (themes must be prefetched or cost a query)."""
    result: dict[str, dict[str, list[str]]] = {
        "sdg_targets": defaultdict(list),
        "policy_markers": defaultdict(list),
        "purpose_codes": defaultdict(list),
    }
    for theme in project.themes.all():
        for key in result:
            for code in getattr(theme, key) or []:
                result[key][code].append(str(theme))
    return {key: dict(value) for key, value in result.items()}


# --- API scoping -------------------------------------------------------------------------------


def diagnoses_visible_to(user: Any) -> QuerySet[Diagnosis]:
    return Diagnosis.objects.filter(project__in=projects_visible_to(user))


def needs_visible_to(user: Any) -> QuerySet[Need]:
    return Need.objects.filter(diagnosis__project__in=projects_visible_to(user)).select_related(
        "diagnosis", "author_organisation"
    )


def cells_visible_to(user: Any) -> QuerySet[ImpactCell]:
    return (
        ImpactCell.objects.filter(diagnosis__project__in=projects_visible_to(user))
        .select_related("diagnosis", "author_organisation")
        .prefetch_related("responses")
    )


def responses_visible_to(user: Any) -> QuerySet[ImpactResponse]:
    return ImpactResponse.objects.filter(
        cell__diagnosis__project__in=projects_visible_to(user)
    ).select_related("cell__diagnosis", "owner_organisation")


def alternatives_visible_to(user: Any) -> QuerySet[Alternative]:
    return Alternative.objects.filter(
        diagnosis__project__in=projects_visible_to(user)
    ).select_related("diagnosis")


def assessments_visible_to(user: Any) -> QuerySet[Assessment]:
    return Assessment.objects.filter(
        diagnosis__project__in=projects_visible_to(user)
    ).select_related("diagnosis", "assessor")


def signoffs_visible_to(user: Any) -> QuerySet[DiagnosisSignOff]:
    return DiagnosisSignOff.objects.filter(
        diagnosis__project__in=projects_visible_to(user)
    ).select_related("diagnosis", "organisation", "signed_by", "withdrawn_by")


def versions_visible_to(user: Any) -> QuerySet[DiagnosisVersion]:
    return DiagnosisVersion.objects.filter(
        diagnosis__project__in=projects_visible_to(user)
    ).select_related("diagnosis", "started_by")


# Labels the templates iterate over, in the matrix's order.
SIDES = (Side.PARTNER, Side.HOST)
DIMENSIONS = tuple(Dimension)
DIRECTNESS = tuple(Directness)
HORIZONS = tuple(Horizon)


def diagnosis_signoffs_awaited(user: Any) -> Any:
    """The dashboard's list (projects/todo.py) of shared diagnoses at the diagnosis stage whose
    current version the user's organisation, a co-owner, has not signed."""
    from django.db.models import Exists, OuterRef
    from django.urls import reverse
    from django.utils.translation import gettext_lazy

    from reciproca.projects.models import Stage
    from reciproca.projects.policies import projects_editable_by
    from reciproca.projects.queries import bounded
    from reciproca.projects.todo import LIMIT, TodoItem, TodoList

    organisation_id = getattr(user, "organisation_id", None)
    if not organisation_id:
        return None
    # A project at the diagnosis stage may have no diagnosis row yet (it is created with its
    # first content): it is listed too, at version 1.
    rows = bounded(
        projects_editable_by(user)
        .filter(
            stage=Stage.DIAGNOSIS,
            is_suspended=False,
            pk__in=ProjectPartner.objects.filter(
                organisation_id=organisation_id, role__in=ProjectPartner.SIGNING_ROLES
            ).values("project_id"),
        )
        .exclude(
            Exists(
                DiagnosisSignOff.objects.filter(
                    diagnosis__project=OuterRef("pk"),
                    version=OuterRef("diagnosis__version"),
                    organisation_id=organisation_id,
                    withdrawn_at__isnull=True,
                )
            )
        )
        .select_related("diagnosis")
        .order_by("-updated_at", "-id"),
        LIMIT,
    )

    def version(project: Project) -> int:
        diagnosis = getattr(project, "diagnosis", None)
        return diagnosis.version if diagnosis is not None else 1

    return TodoList(
        key="diagnosis_signoffs",
        title=gettext_lazy("Diagnostics à valider par mon organisation"),
        items=[
            TodoItem(
                label=project.title,
                url=reverse("diagnosis:overview", args=[project.pk]) + "#validation",
                detail=gettext("%(ref)s · version %(version)s")
                % {"ref": project.reference, "version": version(project)},
            )
            for project in rows
        ],
        count=rows.total,
    )
