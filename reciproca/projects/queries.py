"""Reads on projects: scoped lists with their joins, the dashboard, the timeline."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db.models import (
    Count,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Window,
)
from django.db.models.functions import Coalesce
from django.http import Http404
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from reciproca.accounts.policies import host_role_organisation
from reciproca.charter import conformity, engine
from reciproca.core.models import AuditEvent, events_for
from reciproca.core.prefetch import prefetch_present, with_presence
from reciproca.partnerships.models import Partnership
from reciproca.partnerships.queries import agreements_expiring, partnership_list
from reciproca.projects import workflow
from reciproca.projects.models import Project, ProjectPartner, SignOff, Stage
from reciproca.projects.policies import projects_listed_for, projects_visible_to


def project_list(user: Any) -> QuerySet[Project]:
    return (
        projects_listed_for(user)
        .select_related("partnership__partner", "partnership__territory", "programme")
        .prefetch_related(
            Prefetch("partners", queryset=ProjectPartner.objects.select_related("organisation")),
            "themes",
        )
        .order_by("-updated_at", "-id")
    )


# The project list's sorts: the `tri` parameter → the ordering (a whitelist; the default is the
# most recently modified first). The stage sorts along the lifecycle, not alphabetically.
SORTS: dict[str, tuple[str, ...]] = {
    "titre": ("title", "id"),
    "-titre": ("-title", "-id"),
    "partenariat": ("partnership__partner__name", "title", "id"),
    "-partenariat": ("-partnership__partner__name", "title", "id"),
    "etape": ("stage_order", "title", "id"),
    "-etape": ("-stage_order", "title", "id"),
    "fin": ("end_date", "id"),
    "-fin": ("-end_date", "-id"),
}

SEARCHED_FIELDS = (
    "reference",
    *(
        f"{name}_{language}"
        for name in ("title", "summary")
        for language in ("fr", "en", "ar", "hy")
    ),
    "partnership__partner__name",
)


def search_and_sort(
    projects: QuerySet[Project], *, text: str = "", sort: str = ""
) -> QuerySet[Project]:
    """The list's text search (every language of the title and summary, the reference, the
    partner's name) and its sort, on an already scoped queryset."""
    from django.db.models import Case, IntegerField, Value, When

    text = text.strip()
    if text:
        match = Q()
        for name in SEARCHED_FIELDS:
            match |= Q(**{f"{name}__icontains": text})
        projects = projects.filter(match)
    if sort in SORTS:
        projects = projects.annotate(
            stage_order=Case(
                *(When(stage=stage.value, then=Value(i)) for i, stage in enumerate(Stage)),
                output_field=IntegerField(),
            )
        ).order_by(*SORTS[sort])
    return projects


# What the project page shows of a project's relations: each relation → its prefetch lookups
# (`core.prefetch`: one query for each relation that has rows, none for an empty one).
DETAIL_RELATIONS: dict[str, list[str | Prefetch]] = {
    "partners": [
        Prefetch("partners", queryset=ProjectPartner.objects.select_related("organisation"))
    ],
    "themes": ["themes"],
    "sdg_targets": ["sdg_targets"],
    "purpose_codes": ["purpose_codes"],
    "locations": ["locations"],
    "services": ["services"],
    "elected_officials": ["elected_officials"],
    "markers": ["markers__marker", "markers__significance"],
    "decisions": ["decisions__decided_by", "decisions__new_project"],
    "redesigns": ["redesigns"],
    "signoffs": [
        Prefetch("signoffs", queryset=SignOff.objects.select_related("organisation", "signed_by"))
    ],
}


# One-to-one rows of apps above this one that the project page's checklist reads (the
# diagnosis): read with the project, in its query. Filled in their `ready()`.
_detail_one_to_one: list[str] = []


def register_detail_one_to_one(name: str) -> None:
    """`name`, a reverse one-to-one of `Project`, is read with the project on its page."""
    if name not in _detail_one_to_one:
        _detail_one_to_one.append(name)


def project_detail(project: Project | int | str, *, user: Any = None) -> Project:
    """The project with what its page shows, in a fixed number of queries: the project (with
    its event count), then one per relation that has rows. With `user`, `project` may be a
    primary key: the project is read within what the user may see (404 otherwise), in the
    same query."""
    pk = project.pk if isinstance(project, Project) else project
    projects = projects_visible_to(user) if user is not None else Project.objects.all()
    events = (
        AuditEvent.objects.filter(
            subject_type=ContentType.objects.get_for_model(Project), subject_id=OuterRef("pk")
        )
        .order_by()
        .values("subject_type")
        .annotate(n=Count("pk"))
        .values("n")
    )
    queryset = with_presence(
        projects.select_related(
            "partnership__host",
            "partnership__partner",
            "partnership__territory",
            "programme",
            "redesigned_from",
            *_detail_one_to_one,
        ).annotate(event_count=Coalesce(Subquery(events, output_field=IntegerField()), 0)),
        DETAIL_RELATIONS,
    )
    try:
        found = queryset.get(pk=pk)
    except (Project.DoesNotExist, ValueError) as exc:
        raise Http404 from exc
    prefetch_present(found, DETAIL_RELATIONS)
    return found


def stage_counts(user: Any) -> list[tuple[Stage, int]]:
    # order_by() clears Project's default ordering, which would otherwise join the GROUP BY
    # and count every project as its own group.
    counts = dict(
        projects_listed_for(user)
        .order_by()
        .values_list("stage")
        .annotate(n=Count("pk"))
        .values_list("stage", "n")
    )
    return [(stage, counts.get(stage.value, 0)) for stage in Stage]


@dataclass(frozen=True)
class Bounded:
    """The first rows of a list and how many it has in all (a page shows the first ones and
    "et N autres", linking to the whole list)."""

    rows: list[Any]
    total: int

    @property
    def more(self) -> int:
        return self.total - len(self.rows)

    def __iter__(self) -> Any:
        return iter(self.rows)

    def __len__(self) -> int:
        return len(self.rows)

    def __bool__(self) -> bool:
        return bool(self.rows)


def bounded(queryset: QuerySet[Any], limit: int) -> Bounded:
    """The first `limit` rows and how many there are in all, in one query: a window count
    (`COUNT(*) OVER ()`, computed after any grouping) rides on each row. Not for a DISTINCT
    queryset, whose window would count the rows before the DISTINCT."""
    assert not queryset.query.distinct, "bounded() counts the rows before DISTINCT"
    rows = list(queryset.annotate(bounded_total=Window(Count("pk")))[:limit])
    return Bounded(rows=rows, total=rows[0].bounded_total if rows else 0)


ENDING_WITHIN_DAYS = 90


def ending_soon(
    projects: QuerySet[Project], *, within_days: int = ENDING_WITHIN_DAYS
) -> QuerySet[Project]:
    """The open projects whose planned end falls within the next `within_days` days, the
    earliest first (the dashboard's deadlines, the project list's "fin prochaine" filter)."""
    today = timezone.localdate()
    return (
        projects.filter(end_date__gte=today, end_date__lte=today + timedelta(days=within_days))
        .exclude(stage=Stage.CLOSED)
        .order_by("end_date", "id")
    )


DASHBOARD_ENDING = 10


def upcoming_project_ends(user: Any, *, limit: int | None = None) -> Bounded:
    """The dashboard's projects ending soon: the first `limit` and how many in all."""
    return bounded(
        ending_soon(projects_listed_for(user)).select_related("partnership__partner"),
        limit or DASHBOARD_ENDING,
    )


def expiring_agreements(user: Any) -> list[Any]:
    """The agreements ending within the charter's warning horizon, read once per request (the
    dashboard's deadlines and its "À faire" panel both show them)."""
    cache: dict[str, Any] = user.__dict__.setdefault("_reciproca_dashboard", {})
    if "agreements" not in cache:
        cache["agreements"] = list(agreements_expiring(user))
    return list(cache["agreements"])


def timeline(project: Project) -> QuerySet[AuditEvent]:
    return events_for(project)


def suspension_event(project: Project) -> AuditEvent | None:
    """The audit event that suspended the project (its reason is shown on the project page)."""
    return events_for(project).filter(action="projects.project.suspend").first()


def stage_placement(project: Project) -> AuditEvent | None:
    """The event that put the project at its current stage outside the workflow — a project
    whose earlier stages predate the platform, placed there with its reason (the demo's) —
    or None when the workflow moved it. The project page shows that reason: a stage whose
    conditions were never checked is never shown without one. One query."""
    moves = {f"projects.project.{name}" for name in workflow.TRANSITIONS}
    moves.add("projects.project.decided")
    events = (
        events_for(project)
        .filter(after__has_key="stage")
        .exclude(action__startswith="projects.stage.")
        .order_by("-at", "-pk")
    )
    for event in events:
        if (event.before or {}).get("stage") == event.after.get("stage"):
            continue  # a suspension or a resumption keeps the stage
        if event.action in moves or event.action == "projects.project.created":
            return None
        return event
    return None


@dataclass(frozen=True)
class Activity:
    event: AuditEvent
    project: Project


def recent_activity(user: Any, *, limit: int = 10) -> list[Activity]:
    """The latest audit events on projects the user can see, newest first, with their project.

    A fixed number of queries: the events with their actors, then their projects in one go.
    """
    events = AuditEvent.objects.filter(subject_type=ContentType.objects.get_for_model(Project))
    if not (user.is_superuser or host_role_organisation(user) is not None):
        # The host's staff see every project: their newest events are read from the index
        # on (subject type, date) alone; everyone else's are those of the projects they see.
        events = events.filter(subject_id__in=projects_visible_to(user).values("pk"))
    latest = list(events.select_related("actor").order_by("-at", "-id")[:limit])
    projects = projects_listed_for(user).in_bulk({event.subject_id for event in latest})
    return [
        Activity(event=event, project=projects[event.subject_id])
        for event in latest
        if event.subject_id in projects
    ]


def partnerships_with_project_counts(user: Any) -> QuerySet[Partnership]:
    """The partnership list, each row with the number of its projects the user may see."""
    if user.is_superuser or host_role_organisation(user) is not None:
        # the host's staff see every project of the partnerships they list
        return partnership_list(user).annotate(project_count=Count("projects"))
    visible = projects_visible_to(user).values("pk")
    return partnership_list(user).annotate(
        project_count=Count("projects", filter=Q(projects__pk__in=visible))
    )


PARTNERSHIP_PROJECTS = 20


def projects_of_partnership(
    user: Any, partnership: Partnership, *, limit: int | None = None
) -> Bounded:
    """The partnership page's projects: the most recently modified first `limit` the user may
    see, and how many in all (the page links to the project list filtered on it)."""
    return bounded(
        projects_listed_for(user)
        .filter(partnership=partnership)
        .select_related("programme")
        .order_by("-updated_at", "-id"),
        limit or PARTNERSHIP_PROJECTS,
    )


# --- the charter checklist -------------------------------------------------------------------


@dataclass(frozen=True)
class ChecklistCondition:
    """One condition of a gate for a project: met or not, with its reasons and clauses.

    A condition without clauses is structural (the project is suspended, no charter is in
    force): its reason is its own label."""

    check: str
    label: str
    clauses: tuple[str, ...]
    reasons: tuple[str, ...]
    is_planned: bool = False
    evidence_url: str = ""

    @property
    def is_met(self) -> bool:
        return not self.reasons

    @property
    def details(self) -> list[str]:
        """The reasons worth listing under the label (a structural reason is its own label)."""
        return [reason for reason in self.reasons if reason != self.label]


@dataclass(frozen=True)
class ChecklistGate:
    """A transition the project could take, with every condition its charter gate sets."""

    transition: workflow.Transition
    conditions: tuple[ChecklistCondition, ...]

    @property
    def name(self) -> str:
        return self.transition.name

    @property
    def label(self) -> str:
        return str(self.transition.label)

    @property
    def is_ready(self) -> bool:
        return all(condition.is_met for condition in self.conditions)

    @property
    def reasons(self) -> list[str]:
        return [reason for condition in self.conditions for reason in condition.reasons]

    @property
    def unmet(self) -> list[ChecklistCondition]:
        return [condition for condition in self.conditions if not condition.is_met]


def evidence_url(evidence: tuple[str, str], project: Project) -> str:
    """The page where a condition's evidence lives for this project ("" when there is none)."""
    name, anchor = evidence
    if not name:
        return ""
    try:
        return reverse(name, args=[project.pk]) + anchor
    except NoReverseMatch:
        return ""


def checklist(project: Project, *, transitions: Iterable[str] | None = None) -> list[ChecklistGate]:
    """The charter checklist of a project: for each transition open from its stage (or each of
    `transitions`, e.g. every gate for the conformity report), every condition met or unmet
    with its reasons, clauses and evidence link. Structural reasons (suspension, stage, no
    charter) come first, as conditions without clauses. The charter is read once.

    The project page, the API and the conformity report all render this.
    """
    if transitions is None:
        names = [t.name for t in workflow.available_transitions(project)]
        structural = True
    else:
        names = [name for name in transitions if name in workflow.TRANSITIONS]
        structural = False
    try:
        results = engine.check_gates(project, transitions=names)
        missing_charter = ""
    except engine.CharterNotLoaded as error:
        results, missing_charter = {}, str(error)
    gates = []
    for name in names:
        rows: list[ChecklistCondition] = []
        if structural:
            rows.extend(
                ChecklistCondition(
                    check=u.check, label=str(u.label), clauses=(), reasons=(u.reason,)
                )
                for u in workflow.structural_reasons(project, name)
            )
        if missing_charter:
            rows.append(
                ChecklistCondition(
                    check="charter",
                    label=missing_charter,
                    clauses=(),
                    reasons=(missing_charter,),
                )
            )
        result = results.get(name)
        for condition in result.conditions if result is not None else ():
            rows.append(
                ChecklistCondition(
                    check=condition.check,
                    label=condition.label,
                    clauses=condition.clauses,
                    reasons=tuple(str(r) for r in condition.reasons),
                    is_planned=condition.is_planned,
                    evidence_url=evidence_url(condition.evidence, project),
                )
            )
        gates.append(ChecklistGate(transition=workflow.TRANSITIONS[name], conditions=tuple(rows)))
    return gates


def every_gate(project: Project) -> list[ChecklistGate]:
    """The checklist over every gate of the lifecycle, whatever the project's stage."""
    return checklist(project, transitions=list(workflow.TRANSITIONS))


# The lifecycle gates in order (suspending and resuming are not steps of the path).
PATH_GATES = (
    "start_diagnosis",
    "submit_for_decision",
    "decide",
    "start_implementation",
    "start_evaluation",
    "close",
)
CLOSING_OUTCOMES = ("REJECT", "REDESIGN")


def gate_timing(project: Project) -> dict[str, str]:
    """Where each gate of the lifecycle stands for the project (`conformity.Timing`): passed,
    current (out of its stage), to come, or skipped by a decision to reject or redesign."""
    stages = list(Stage)
    here = stages.index(Stage(project.stage))
    skipped: set[str] = set()
    if project.stage == Stage.CLOSED:
        decision = project.decisions.order_by("-decided_at", "-id").first()
        if decision is not None and decision.outcome in CLOSING_OUTCOMES:
            skipped = {"start_implementation", "start_evaluation", "close"}
    timing = {}
    for name in PATH_GATES:
        source = stages.index(workflow.TRANSITIONS[name].sources[0])
        if name in skipped:
            timing[name] = conformity.Timing.SKIPPED.value
        elif source < here:
            timing[name] = conformity.Timing.PAST.value
        elif source == here:
            timing[name] = conformity.Timing.CURRENT.value
        else:
            timing[name] = conformity.Timing.LATER.value
    return timing


# The audit event of each passed gate: its record holds the conditions as evaluated then.
GATE_EVENTS = {
    name: "projects.project.decided" if name == "decide" else f"projects.project.{name}"
    for name in PATH_GATES
}


def recorded_gates(project: Project, names: Iterable[str]) -> dict[str, ChecklistGate]:
    """The gates the project went through, as the charter in force evaluated them then (from
    the audit events' charter records; one query). A gate without a record is left out."""
    from reciproca.charter import conditions as charter_conditions

    wanted = {GATE_EVENTS[name]: name for name in names}
    if not wanted:
        return {}
    gates: dict[str, ChecklistGate] = {}
    for event in events_for(project).filter(action__in=list(wanted)).order_by("-at", "-id"):
        name = wanted[event.action]
        if name in gates:
            continue  # the latest passage counts
        record = [
            item
            for item in (event.after or {}).get("conditions") or []
            if item.get("transition", name) == name
        ]
        if not record:
            continue
        rows = []
        for item in record:
            code = str(item.get("check", ""))
            known = code in charter_conditions.known_codes()
            spec = charter_conditions.get(code) if known else None
            rows.append(
                ChecklistCondition(
                    check=code,
                    label=spec.label_for(None) if spec else code,
                    clauses=tuple(item.get("clauses") or ()),
                    reasons=()
                    if item.get("met")
                    else tuple(str(r) for r in item.get("reasons") or ()) or (code,),
                    is_planned=bool(spec and spec.is_planned),
                    evidence_url=evidence_url(spec.evidence, project) if spec else "",
                )
            )
        gates[name] = ChecklistGate(transition=workflow.TRANSITIONS[name], conditions=tuple(rows))
    return gates


def conformity_report(project: Project) -> conformity.ConformityReport:
    """The charter conformity report of the project, judged at its current stage (raises
    CharterNotLoaded): the gates passed as recorded when the project went through them (or
    evaluated now when no record exists), the current gate evaluated now, the later gates
    not yet applicable."""
    timing = gate_timing(project)
    past = [name for name, when in timing.items() if when == conformity.Timing.PAST.value]
    recorded = recorded_gates(project, past)
    now = [
        name
        for name, when in timing.items()
        if when == conformity.Timing.CURRENT.value
        or (when == conformity.Timing.PAST.value and name not in recorded)
    ]
    evaluated = {gate.name: gate for gate in checklist(project, transitions=now)}
    gates = [
        recorded.get(name) or evaluated[name]
        for name in PATH_GATES
        if name in recorded or name in evaluated
    ]
    return conformity.conformity_report(project, gates, timing=timing)


# --- the dashboard's "À faire" lists (registered in apps.py, see todo.py) ---------------------


def _todo_items(projects: QuerySet[Project], detail: Any) -> tuple[list[Any], int]:
    from reciproca.projects.todo import LIMIT, TodoItem

    first = bounded(
        projects.select_related("partnership__partner").order_by("-updated_at", "-id"), LIMIT
    )
    items = [
        TodoItem(
            label=project.title,
            url=reverse("projects:detail", args=[project.pk]),
            detail=detail(project),
        )
        for project in first
    ]
    return items, first.total


def stage_signoffs_awaited(user: Any) -> Any:
    """Open projects whose current stage the user's organisation, a co-owner, has not signed."""
    from django.db.models import Exists, OuterRef
    from django.utils.translation import gettext_lazy

    from reciproca.projects.policies import projects_editable_by
    from reciproca.projects.todo import TodoList

    organisation_id = getattr(user, "organisation_id", None)
    if not organisation_id:
        return None
    try:
        gated = engine.gates()
    except engine.CharterNotLoaded:
        return None
    # The stages whose way out the charter makes wait for every partner's sign-off.
    stages = {
        source
        for name, conditions in gated.items()
        if any(c.check == "stage_signed_by_all_partners" for c in conditions)
        for source in workflow.TRANSITIONS[name].sources
    }
    projects = (
        projects_editable_by(user)
        .filter(
            stage__in=sorted(stages),
            is_suspended=False,
            pk__in=ProjectPartner.objects.filter(
                organisation_id=organisation_id, role__in=ProjectPartner.SIGNING_ROLES
            ).values("project_id"),
        )
        .exclude(
            Exists(
                SignOff.objects.filter(
                    project=OuterRef("pk"),
                    stage=OuterRef("stage"),
                    organisation_id=organisation_id,
                    withdrawn_at__isnull=True,
                )
            )
        )
    )
    items, count = _todo_items(projects, lambda p: f"{p.reference} · {p.get_stage_display()}")
    return TodoList(
        key="stage_signoffs",
        title=gettext_lazy("Étapes à valider par mon organisation"),
        items=items,
        count=count,
    )


def decisions_waiting(user: Any) -> Any:
    """Projects submitted for decision that the user may decide."""
    from django.utils.translation import gettext_lazy

    from reciproca.projects.policies import projects_decidable_by
    from reciproca.projects.todo import TodoList

    projects = projects_decidable_by(user).filter(stage=Stage.DECISION, is_suspended=False)
    items, count = _todo_items(projects, lambda p: f"{p.reference} · {p.partnership.partner}")
    return TodoList(
        key="decisions",
        title=gettext_lazy("Décisions en attente"),
        items=items,
        count=count,
    )


def agreements_to_renew(user: Any) -> Any:
    """Agreements of the user's partnerships that end within the charter's warning horizon."""
    from django.utils import formats
    from django.utils.translation import gettext_lazy

    from reciproca.projects.todo import LIMIT, TodoItem, TodoList

    rows = expiring_agreements(user)
    return TodoList(
        key="agreements",
        title=gettext_lazy("Conventions arrivant à échéance"),
        items=[
            TodoItem(
                label=agreement.title,
                url=reverse("partnerships:detail", args=[agreement.partnership_id]),
                detail=formats.date_format(agreement.valid_until, "DATE_FORMAT"),
            )
            for agreement in rows[:LIMIT]
        ],
        count=len(rows),
    )
