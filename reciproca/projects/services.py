"""Every write on projects: keyword-only, one transaction, one audit event each.

Interfaces (pages, API, commands) call these and translate `DomainError` into a message.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from reciproca.charter import engine
from reciproca.charter.engine import UnmetCondition
from reciproca.core.exceptions import ContentFrozen, DomainError, PermissionDenied
from reciproca.core.models import AuditEvent, record_event
from reciproca.core.versioning import check_revision, count_revision
from reciproca.partnerships.models import Organisation, Partnership, Programme
from reciproca.projects import policies, workflow
from reciproca.projects.models import (
    Decision,
    Project,
    ProjectMarker,
    ProjectPartner,
    SignOff,
    Stage,
)


class TransitionRefused(DomainError):
    """A transition was refused; `unmet` keeps each condition with its clause IDs."""

    def __init__(self, unmet: list[UnmetCondition]) -> None:
        self.unmet = unmet
        super().__init__([u.reason for u in unmet])


# --- the write pipeline for a project's shared content -------------------------------------
#
# Everything the partners share about a project (its own fields and tags, and what apps above
# this one attach to it: the diagnosis, later the results, money and pooling) is written through
# `shared_change`: in one transaction the project row is locked, the acting user's rights are
# checked, every registered guard may refuse, the write happens, one audit event is recorded,
# then every registered handler reacts (the diagnosis withdraws the sign-offs that covered the
# changed content and opens its next version). No other path writes shared content, so no
# rule can be bypassed by a page, the API, the admin or a command.


@dataclass
class SharedChange:
    """One change of a project's shared content, as guards and handlers see it.

    `kind` says what is changed (`project.fields`, `project.tags`, `project.partners`,
    `diagnosis.need`…); `fields` the project fields or tags concerned; `cause` the stored
    cause of the change (a dict with a `code`) that handlers word for their readers. The
    writer calls `record()` once the write is done; `event` is then its audit event.
    """

    project: Project
    by: Any
    kind: str
    fields: frozenset[str] = frozenset()
    cause: dict[str, Any] | None = None
    action: str = ""
    reason: str = ""
    before: dict[str, Any] = field(default_factory=dict)
    after: dict[str, Any] = field(default_factory=dict)
    event: AuditEvent | None = None

    def record(
        self,
        *,
        action: str,
        before: dict[str, Any] | None = None,
        after: dict[str, Any] | None = None,
        reason: str = "",
        cause: dict[str, Any] | None = None,
    ) -> AuditEvent:
        """The write is done: record its one audit event, then let every handler react.

        A change that is never recorded is a no-op: nothing reacts."""
        if self.event is not None:
            raise RuntimeError("a shared change is recorded once")
        self.action, self.reason = action, reason
        self.before, self.after = dict(before or {}), dict(after or {})
        if cause is not None:
            self.cause = cause
        self.event = record_event(
            action=action,
            by=self.by,
            subject=self.project,
            reason=reason,
            before=self.before,
            after=self.after,
        )
        for handler in _CHANGE_HANDLERS:
            handler(self)
        return self.event


Guard = Callable[[SharedChange], None]
ChangeHandler = Callable[[SharedChange], None]
# Called as handler(decision=..., project=..., by=...) inside the decision's transaction, after
# the project moved: the diagnosis reopens on "adjust" and is copied on "redesign".
DecisionHandler = Callable[..., None]

_GUARDS: list[Guard] = []
_CHANGE_HANDLERS: list[ChangeHandler] = []
_DECISION_HANDLERS: list[DecisionHandler] = []


def register_guard(guard: Guard) -> Guard:
    """A guard raises `DomainError` (with every reason) to refuse a change; called in order."""
    if guard not in _GUARDS:
        _GUARDS.append(guard)
    return guard


def register_change_handler(handler: ChangeHandler) -> ChangeHandler:
    if handler not in _CHANGE_HANDLERS:
        _CHANGE_HANDLERS.append(handler)
    return handler


def register_decision_handler(handler: DecisionHandler) -> DecisionHandler:
    if handler not in _DECISION_HANDLERS:
        _DECISION_HANDLERS.append(handler)
    return handler


def check_change(change: SharedChange) -> None:
    """Ask every guard about a change; the first refusal raises. The closed-project guard is
    asked last, so an app's own freeze (worded with its reasons) speaks first."""
    for guard in [*_GUARDS, closed_projects_are_read_only]:
        guard(change)


def change_refusal(*, project: Project, kind: str, fields: Iterable[str] = ()) -> str:
    """Why such a change would be refused now ("" when it would not), in the guards' words:
    pages use it to say in advance why a form is closed."""
    try:
        check_change(SharedChange(project=project, by=None, kind=kind, fields=frozenset(fields)))
    except DomainError as error:
        return " ".join(error.reasons)
    return ""


def begin_shared_change(
    *,
    project: Project,
    by: Any,
    kind: str,
    fields: Iterable[str] = (),
    cause: dict[str, Any] | None = None,
    permission: Callable[[Any, Project], bool] | None = None,
) -> SharedChange:
    """Start a change of shared content inside the caller's transaction: lock the project,
    check the actor's rights (`can_edit_project` unless `permission`), ask every guard.

    The caller writes, then calls `change.record(...)`; `shared_change` wraps both in a
    transaction for callers that have none."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("begin_shared_change runs inside the write's transaction")
    locked = _lock(project)
    # The caller's copy reads the locked row's stage (guards and writers look at it).
    project.stage, project.is_suspended = locked.stage, locked.is_suspended
    allowed = permission or policies.can_edit_project
    if not allowed(by, project):
        raise PermissionDenied(_("Vous ne pouvez pas modifier ce projet."))
    change = SharedChange(project=project, by=by, kind=kind, fields=frozenset(fields), cause=cause)
    check_change(change)
    return change


@contextmanager
def shared_change(
    *,
    project: Project,
    by: Any,
    kind: str,
    fields: Iterable[str] = (),
    cause: dict[str, Any] | None = None,
    permission: Callable[[Any, Project], bool] | None = None,
) -> Iterator[SharedChange]:
    """`with shared_change(project=p, by=user, kind="project.tags") as change:` then write
    and `change.record(action=..., before=..., after=...)`. A block that raises changes
    nothing; a block that records nothing is a no-op."""
    with transaction.atomic():
        yield begin_shared_change(
            project=project, by=by, kind=kind, fields=fields, cause=cause, permission=permission
        )


# The kinds of change a closed project still takes (the evaluation's follow-up, registered by
# the app that owns it): `allow_after_closing("results.management_response")`.
_AFTER_CLOSING: set[str] = set()


def allow_after_closing(*kinds: str) -> None:
    _AFTER_CLOSING.update(kinds)


def closed_projects_are_read_only(change: SharedChange) -> None:
    """The projects app's own guard: a closed project is the record of what was done; only
    what the charter allows after closing (the evaluation's follow-up) still changes."""
    if change.project.stage != Stage.CLOSED:
        return
    if any(change.kind == k or change.kind.startswith(f"{k}.") for k in _AFTER_CLOSING):
        return
    raise ContentFrozen(_("Le projet est clos : son contenu ne se modifie plus."))


def withdraw_stage_signoffs_on_change(change: SharedChange) -> None:
    """The projects app's own handler: a stage's sign-offs (PRJ-8) approved the work as it
    was; any change of shared content withdraws them."""
    withdraw_signoffs(
        project=change.project,
        stage=Stage(change.project.stage),
        by=change.by,
        reason=_("Le contenu partagé du projet a été modifié."),
    )


register_change_handler(withdraw_stage_signoffs_on_change)


# --- what the charter said when it decided ------------------------------------------------


def charter_record(project: Project, transitions: Iterable[str]) -> dict[str, Any]:
    """The charter version in force and the conditions of `transitions` as evaluated now
    (met and unmet, with their reasons), for the audit event of a transition, a decision or
    a sign-off."""
    try:
        charter = engine.active_charter()
    except engine.CharterNotLoaded:
        return {"charter": None}
    results = engine.check_gates(project, transitions=list(transitions), charter=charter)
    return {
        "charter": engine.charter_ref(charter),
        "conditions": [
            {
                "transition": transition,
                "check": condition.check,
                "clauses": list(condition.clauses),
                "met": condition.is_met,
                "reasons": [str(r) for r in condition.reasons],
            }
            for transition, gate_result in results.items()
            for condition in gate_result.conditions
        ],
    }


def _snapshot(project: Project) -> dict[str, Any]:
    return {"stage": project.stage, "is_suspended": project.is_suspended}


def _next_reference(partnership: Partnership, *, start_date: date | None = None) -> str:
    """`CON-2026-004`: the partner's first letters (ASCII), the start year, a number."""
    year = (start_date or timezone.localdate()).year
    name = partnership.partner.short_name or partnership.partner.name
    letters = "".join(c for c in unicodedata.normalize("NFKD", name) if c.isascii() and c.isalpha())
    prefix = f"{letters[:3].upper() or 'PRJ'}-{year}-"
    taken = Project.objects.filter(reference__startswith=prefix).count()
    n = taken + 1
    while Project.objects.filter(reference=f"{prefix}{n:03d}").exists():
        n += 1
    return f"{prefix}{n:03d}"


@transaction.atomic
def create_project(
    *,
    partnership: Partnership,
    by: Any,
    title: str,
    summary: str = "",
    objectives: str = "",
    programme: Programme | None = None,
    start_date: date | None = None,
    end_date: date | None = None,
    reference: str = "",
    partners: Iterable[tuple[Organisation, str]] | None = None,
    is_demo: bool = False,
    redesigned_from: Project | None = None,
) -> Project:
    """Register a project in a partnership; the host and the partner authority co-own it."""
    if not policies.can_create_project_in(by, partnership):
        raise PermissionDenied(_("Vous ne pouvez pas créer de projet dans ce partenariat."))
    if not title.strip():
        raise DomainError(_("Le titre du projet est obligatoire."))
    if programme is not None and programme.partnership_id != partnership.pk:
        raise DomainError(_("Le programme choisi n'appartient pas à ce partenariat."))
    if start_date and end_date and end_date < start_date:
        raise DomainError(_("La fin prévue précède le début prévu."))
    project = Project.objects.create(
        reference=reference or _next_reference(partnership, start_date=start_date),
        title=title.strip(),
        summary=summary,
        objectives=objectives,
        partnership=partnership,
        programme=programme,
        start_date=start_date,
        end_date=end_date,
        is_demo=is_demo,
        created_by=by if getattr(by, "pk", None) else None,
        redesigned_from=redesigned_from,
    )
    chosen = (
        list(partners)
        if partners is not None
        else [
            (partnership.host, ProjectPartner.Role.LEAD),
            (partnership.partner, ProjectPartner.Role.CO_OWNER),
        ]
    )
    ProjectPartner.objects.bulk_create(
        [ProjectPartner(project=project, organisation=org, role=role) for org, role in chosen]
    )
    record_event(
        action="projects.project.created",
        by=by,
        subject=project,
        after={"reference": project.reference, "title": project.title, "stage": project.stage},
    )
    return project


EDITABLE_FIELDS = frozenset(
    {
        "title_fr",
        "title_en",
        "title_ar",
        "title_hy",
        "summary_fr",
        "summary_en",
        "summary_ar",
        "summary_hy",
        "objectives_fr",
        "objectives_en",
        "objectives_ar",
        "objectives_hy",
        "title",
        "summary",
        "objectives",
        "programme",
        "start_date",
        "end_date",
    }
)


def update_project(
    *, project: Project, by: Any, reason: str = "", revision: int | None = None, **changes: Any
) -> Project:
    """Change the project's own fields (shared content: see `shared_change`); `revision` is
    the one the editor saw (`core.versioning`: a later one refuses with `EditConflict`)."""
    unknown = set(changes) - EDITABLE_FIELDS
    if unknown:
        raise DomainError(_("Champs non modifiables : %(f)s.") % {"f": ", ".join(sorted(unknown))})
    fields = {name.split("_")[0] if name.endswith(LANGUAGE_SUFFIXES) else name for name in changes}
    with shared_change(project=project, by=by, kind="project.fields", fields=fields) as change:
        check_revision(project, revision, by=by)
        programme = changes.get("programme", project.programme)
        if programme is not None and programme.partnership_id != project.partnership_id:
            raise DomainError(_("Le programme choisi n'appartient pas à ce partenariat."))
        start = changes.get("start_date", project.start_date)
        end = changes.get("end_date", project.end_date)
        if start and end and end < start:
            raise DomainError(_("La fin prévue précède le début prévu."))
        before, after = {}, {}
        for name, value in changes.items():
            old = getattr(project, name)
            if old != value:
                before[name] = str(old) if old is not None else None
                after[name] = str(value) if value is not None else None
                setattr(project, name, value)
        if not after:
            return project
        if not str(project.title_fr or project.title or "").strip():
            raise DomainError(_("Le titre du projet est obligatoire."))
        project.save()
        change.record(action="projects.project.updated", before=before, after=after, reason=reason)
    return project


LANGUAGE_SUFFIXES = ("_fr", "_en", "_ar", "_hy")
# The tags a project carries; the diagnosis covers all but the places (see diagnosis.pipeline).
TAGS = ("themes", "sdg_targets", "purpose_codes", "locations", "services", "elected_officials")


def set_project_tags(
    *,
    project: Project,
    by: Any,
    themes: Iterable[Any] | None = None,
    sdg_targets: Iterable[Any] | None = None,
    purpose_codes: Iterable[Any] | None = None,
    locations: Iterable[Any] | None = None,
    services: Iterable[Any] | None = None,
    elected_officials: Iterable[Any] | None = None,
    revision: int | None = None,
) -> Project:
    """Set the charter themes, SDG targets, purpose codes, places and people of a project.

    The one service for these tags: the project's pages, the diagnosis pages, the API and the
    demo all call it, so the diagnosis' freeze and sign-off rules hold on every path.
    """
    given = {
        "themes": themes,
        "sdg_targets": sdg_targets,
        "purpose_codes": purpose_codes,
        "locations": locations,
        "services": services,
        "elected_officials": elected_officials,
    }
    wanted = {name: list(values) for name, values in given.items() if values is not None}
    if "themes" in wanted:
        _check_themes(wanted["themes"])
    if "locations" in wanted:
        _check_locations(project, wanted["locations"])
    with shared_change(project=project, by=by, kind="project.tags", fields=set(wanted)) as change:
        check_revision(project, revision, by=by)
        before: dict[str, list[str]] = {}
        after: dict[str, list[str]] = {}
        for name, values in wanted.items():
            manager = getattr(project, name)
            old = sorted({str(o) for o in manager.all()})
            new = sorted({str(o) for o in values})
            if old != new:
                manager.set(values)
                before[name], after[name] = old, new
        if after:
            # Handlers word the cause from what did change, not from what the form sent.
            change.fields = frozenset(after)
            count_revision(project)
            change.record(action=_tag_action(set(after)), before=before, after=after)
    return project


def _check_locations(project: Project, places: list[Any]) -> None:
    """A project's places are in its partnership's country: the one rule for the pages, the API
    and the commands (the project form offers only those; the API could send any)."""
    country_id = project.partnership.territory.country_id
    outside = [p for p in places if p.country_id != country_id]
    if outside:
        raise DomainError(
            [
                _("« %(place)s » n'est pas dans le pays du partenariat (%(country)s).")
                % {"place": place.name, "country": project.partnership.territory.country.name}
                for place in outside
            ]
        )


def _tag_action(changed: set[str]) -> str:
    if changed == {"themes"}:
        return "projects.project.themes_set"
    if changed <= {"services", "elected_officials"}:
        return "projects.project.involvement_set"
    return "projects.project.tagged"


def _check_themes(themes: list[Any]) -> None:
    """Only the active charter's priority themes can be given (PRJ-15)."""
    try:
        charter = engine.active_charter()
    except engine.CharterNotLoaded:
        return
    foreign = sorted(str(t) for t in themes if getattr(t, "charter_id", charter.pk) != charter.pk)
    if foreign:
        raise DomainError(
            _("Ces thèmes ne sont pas ceux de la charte en vigueur : %(themes)s.")
            % {"themes": ", ".join(foreign)}
        )


# Significance levels reserved to one marker each (OECD DAC): 3 for desertification (8),
# 4 for reproductive, maternal, newborn and child health (9).
RESERVED_SIGNIFICANCES: dict[str, str] = {"3": "8", "4": "9"}


def check_marker_significance(marker: Any, significance: Any) -> str:
    """ "" when the pair is allowed, else the reason: 3 is for desertification (8) only, 4 for
    reproductive, maternal, newborn and child health (9) only."""
    reserved_for = RESERVED_SIGNIFICANCES.get(significance.code)
    if reserved_for is None or reserved_for == marker.code:
        return ""
    if significance.code == "3":
        return _(
            "Le niveau 3 n'est admis que pour le marqueur « désertification » (8) : "
            "« %(marker)s » (%(code)s) ne peut pas le recevoir."
        ) % {"marker": marker.name, "code": marker.code}
    return _(
        "Le niveau 4 n'est admis que pour le marqueur « santé reproductive, maternelle, "
        "néonatale et infantile » (9) : « %(marker)s » (%(code)s) ne peut pas le recevoir."
    ) % {"marker": marker.name, "code": marker.code}


def confirm_commitments(
    *,
    project: Project,
    by: Any,
    sdg_targets: Iterable[Any],
    purpose_codes: Iterable[Any],
    markers: Iterable[tuple[Any, Any]],
    revision: int | None = None,
) -> Project:
    """A person confirms the SDG targets, DAC purpose codes and policy markers (with their
    significance) that the themes suggested, or others (PRJ-14, PRJ-15)."""
    pairs = list(markers)
    reasons = [
        r
        for marker, significance in pairs
        if (r := check_marker_significance(marker, significance))
    ]
    seen: set[int] = set()
    for marker, _significance in pairs:
        if marker.pk in seen:
            reasons.append(
                _("Le marqueur « %(marker)s » est indiqué deux fois.") % {"marker": marker.name}
            )
        seen.add(marker.pk)
    if reasons:
        raise DomainError(reasons)
    targets, codes = list(sdg_targets), list(purpose_codes)
    with shared_change(
        project=project,
        by=by,
        kind="project.tags",
        fields={"sdg_targets", "purpose_codes", "markers"},
    ) as change:
        check_revision(project, revision, by=by)
        before = {
            "sdg_targets": sorted(t.code for t in project.sdg_targets.all()),
            "purpose_codes": sorted(c.code for c in project.purpose_codes.all()),
            "markers": {
                m.marker.code: m.significance.code
                for m in project.markers.select_related("marker", "significance")
            },
        }
        after = {
            "sdg_targets": sorted(t.code for t in targets),
            "purpose_codes": sorted(c.code for c in codes),
            "markers": {m.code: s.code for m, s in pairs},
        }
        if before == after:
            return project
        project.sdg_targets.set(targets)
        project.purpose_codes.set(codes)
        ProjectMarker.objects.filter(project=project).exclude(
            marker_id__in=[m.pk for m, _s in pairs]
        ).delete()
        for marker, significance in pairs:
            ProjectMarker.objects.update_or_create(
                project=project, marker=marker, defaults={"significance": significance}
            )
        count_revision(project)
        change.record(action="projects.project.commitments_confirmed", before=before, after=after)
    return project


def set_project_partner(
    *, project: Project, by: Any, organisation: Organisation, role: str
) -> ProjectPartner:
    if role not in ProjectPartner.Role.values:
        raise DomainError(_("Rôle inconnu : %(role)s.") % {"role": role})
    with shared_change(
        project=project, by=by, kind="project.partners", fields={"partners"}
    ) as change:
        partner, created = ProjectPartner.objects.update_or_create(
            project=project, organisation=organisation, defaults={"role": role}
        )
        change.record(
            action="projects.partner.set",
            after={"organisation": organisation.name, "role": role, "created": created},
        )
    return partner


def remove_project_partner(*, project: Project, by: Any, organisation: Organisation) -> None:
    with shared_change(
        project=project, by=by, kind="project.partners", fields={"partners"}
    ) as change:
        partnership = project.partnership
        if organisation.pk in (partnership.host_id, partnership.partner_id):
            raise DomainError(
                _("%(org)s co-porte le partenariat : elle ne peut pas être retirée du projet.")
                % {"org": organisation.name}
            )
        deleted, _rows = ProjectPartner.objects.filter(
            project=project, organisation=organisation
        ).delete()
        if deleted:
            change.record(
                action="projects.partner.removed", before={"organisation": organisation.name}
            )


def _lock(project: Project) -> Project:
    return Project.objects.select_for_update().select_related("partnership").get(pk=project.pk)


def require_transition(by: Any, project: Project) -> None:
    """Refuse who may not move the project (asked before the request is even read)."""
    if not policies.can_transition_project(by, project):
        raise PermissionDenied(_("Vous ne pouvez pas faire avancer ce projet."))


def require_decision(by: Any, project: Project) -> None:
    """Refuse who may not decide for the project (asked before the request is even read)."""
    if not policies.can_decide_project(by, project):
        raise PermissionDenied(_("Vous ne pouvez pas décider pour ce projet."))


@transaction.atomic
def transition_project(*, project: Project, transition: str, by: Any, reason: str = "") -> Project:
    """Move the project along the lifecycle, or refuse with every unmet condition."""
    require_transition(by, project)
    locked = _lock(project)
    spec = workflow.TRANSITIONS.get(transition)
    if spec is not None and spec.via_decision:
        raise DomainError(_("Une décision s'enregistre avec sa motivation : utilisez « Décider »."))
    if transition in {"suspend", "resume"} and not reason.strip():
        raise DomainError(_("Indiquez le motif de la suspension ou de la reprise."))
    unmet = workflow.unmet_conditions(locked, transition)
    if unmet:
        raise TransitionRefused(unmet)
    assert spec is not None
    evaluated = charter_record(locked, [transition])
    before = _snapshot(locked)
    if transition == "suspend":
        locked.is_suspended = True
    elif transition == "resume":
        locked.is_suspended = False
    elif spec.target is not None:
        locked.stage = spec.target
    locked.save(update_fields=["stage", "is_suspended", "updated_at"])
    record_event(
        action=f"projects.project.{transition}",
        by=by,
        subject=locked,
        reason=reason,
        before=before,
        after=_snapshot(locked) | evaluated,
    )
    project.refresh_from_db()
    return locked


@transaction.atomic
def record_decision(
    *,
    project: Project,
    by: Any,
    outcome: str,
    rationale: str,
    deliberation_reference: str = "",
    new_title: str = "",
) -> Decision:
    """Record the decision the diagnosis leads to (PRJ-4) and move the project accordingly.

    implement → elaboration; adjust → back to the diagnosis; reject → closed; redesign →
    closed, and a new project linked to this one starts from a copy of its diagnosis.
    """
    require_decision(by, project)
    reasons: list[str] = []
    if outcome not in Decision.Outcome.values:
        reasons.append(
            _(
                "Choisissez une décision : mettre en œuvre, ajuster, rejeter "
                "ou concevoir un autre projet."
            )
        )
    if not rationale.strip():
        reasons.append(_("La motivation de la décision est obligatoire."))
    if reasons:
        raise DomainError(reasons)
    locked = _lock(project)
    unmet = workflow.unmet_conditions(locked, "decide")
    if unmet:
        raise TransitionRefused(unmet)
    evaluated = charter_record(locked, ["decide"])
    before = _snapshot(locked)
    decision = Decision.objects.create(
        project=locked,
        outcome=outcome,
        rationale=rationale.strip(),
        deliberation_reference=deliberation_reference.strip(),
        decided_by=by if getattr(by, "pk", None) else None,
    )
    locked.stage = workflow.DECISION_TARGETS[outcome]
    locked.save(update_fields=["stage", "updated_at"])
    after = _snapshot(locked) | {"outcome": outcome}
    if outcome == Decision.Outcome.REDESIGN:
        new_project = _open_redesign(project=locked, by=by, title=new_title)
        decision.new_project = new_project
        decision.save(update_fields=["new_project"])
        after["new_project"] = new_project.reference
    record_event(
        action="projects.project.decided",
        by=by,
        subject=locked,
        reason=rationale.strip(),
        before=before,
        after=after | {"deliberation_reference": decision.deliberation_reference} | evaluated,
    )
    for handler in _DECISION_HANDLERS:
        handler(decision=decision, project=locked, by=by)
    project.refresh_from_db()
    return decision


def _open_redesign(*, project: Project, by: Any, title: str) -> Project:
    new_project = Project.objects.create(
        reference=_next_reference(project.partnership),
        title=title.strip() or _("%(title)s (nouvelle conception)") % {"title": project.title},
        summary=project.summary,
        objectives=project.objectives,
        partnership=project.partnership,
        programme=project.programme,
        stage=Stage.DIAGNOSIS,
        is_demo=project.is_demo,
        created_by=by if getattr(by, "pk", None) else None,
        redesigned_from=project,
    )
    ProjectPartner.objects.bulk_create(
        [
            ProjectPartner(project=new_project, organisation_id=p.organisation_id, role=p.role)
            for p in project.partners.all()
        ]
    )
    for name in (
        "themes",
        "sdg_targets",
        "purpose_codes",
        "locations",
        "services",
        "elected_officials",
    ):
        getattr(new_project, name).set(getattr(project, name).all())
    record_event(
        action="projects.project.created",
        by=by,
        subject=new_project,
        reason=_("Nouvelle conception décidée pour %(ref)s.") % {"ref": project.reference},
        after={"reference": new_project.reference, "redesigned_from": project.reference},
    )
    return new_project


@transaction.atomic
def sign_off_stage(*, project: Project, by: Any) -> SignOff:
    """The acting user's organisation signs off the project's current stage (PRJ-8)."""
    if not policies.can_sign_off_project(by, project):
        raise PermissionDenied(
            _(
                "Seul un utilisateur d'une organisation co-maître d'ouvrage "
                "peut valider cette étape."
            )
        )
    existing = SignOff.objects.filter(
        project=project,
        stage=project.stage,
        organisation_id=by.organisation_id,
        withdrawn_at__isnull=True,
    ).first()
    if existing:
        raise DomainError(_("Votre organisation a déjà validé cette étape."))
    signoff = SignOff.objects.create(
        project=project, stage=project.stage, organisation_id=by.organisation_id, signed_by=by
    )
    record_event(
        action="projects.stage.signed_off",
        by=by,
        subject=project,
        after={"stage": project.stage, "organisation": str(by.organisation)}
        | charter_record(project, workflow.gated_transitions(project)),
    )
    return signoff


def withdraw_signoffs(*, project: Project, stage: Stage, by: Any, reason: str) -> int:
    """Withdraw the live sign-offs of a stage (kept in history); returns how many."""
    live = list(
        SignOff.objects.filter(
            project=project, stage=stage, withdrawn_at__isnull=True
        ).select_related("organisation")
    )
    if not live:
        return 0
    SignOff.objects.filter(pk__in=[s.pk for s in live]).update(
        withdrawn_at=timezone.now(), withdrawn_reason=reason
    )
    record_event(
        action="projects.stage.signoffs_withdrawn",
        by=by,
        subject=project,
        reason=reason,
        before={"signed_by": sorted(s.organisation.name for s in live)},
        after={"stage": stage},
    )
    return len(live)
