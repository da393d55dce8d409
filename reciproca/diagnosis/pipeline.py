"""The shared diagnosis in the project's write pipeline (`projects.services.shared_change`).

- Its freeze is a guard: the diagnosis content, and the project's commitments it covers
  (themes, SDG targets, purpose codes, markers, services and elected officials involved),
  change only while the diagnosis is open (idea or diagnosis stage, not suspended); the
  project's description and partners are frozen while the decision is pending.
- Its sign-off rule is a handler: a change of covered content withdraws the live sign-offs,
  saying which change caused it and by whom, and opens the next version (PRJ-2, PRI-1).
- Its reopening and copy are decision handlers: "adjust" opens the next version inside the
  decision's transaction, "redesign" copies the diagnosis into the new project (PRJ-4).

Every write path (pages, HTMX, API, admin, commands, the demo) goes through the pipeline, so
these rules have this one owner.
"""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from reciproca.core.exceptions import ContentFrozen
from reciproca.core.models import record_event
from reciproca.diagnosis import causes, policies
from reciproca.diagnosis.models import (
    Alternative,
    Assessment,
    Diagnosis,
    DiagnosisVersion,
    ImpactCell,
    ImpactResponse,
    Need,
)
from reciproca.diagnosis.services import adjust_cause, start_next_version
from reciproca.diagnosis.versions import build_snapshot, snapshot
from reciproca.projects.models import Decision, Project, Stage
from reciproca.projects.services import (
    SharedChange,
    register_change_handler,
    register_decision_handler,
    register_guard,
)

# The project's tags the partners sign with the diagnosis (its snapshot holds them).
COVERED_TAGS = frozenset(
    {"themes", "sdg_targets", "purpose_codes", "markers", "services", "elected_officials"}
)
# The project's description and partners: signed with the diagnosis while it is open, frozen
# while the decision is pending, the project's own business after the decision.
DESCRIPTION = frozenset({"title", "summary", "objectives", "partners"})

# Which cause a change of the project's own content gives for the withdrawal.
_TAG_CAUSES = (
    (frozenset({"themes"}), "themes_changed"),
    (frozenset({"sdg_targets", "purpose_codes", "markers"}), "commitments_confirmed"),
    (frozenset({"services", "elected_officials"}), "involvement_changed"),
)


def _who(user: Any) -> str:
    return str(user) if getattr(user, "pk", None) else ""


def diagnosis_freeze(change: SharedChange) -> None:
    """The guard: refuse a change the frozen diagnosis covers (see the module docstring)."""
    project = change.project
    if (
        change.kind == "diagnosis"
        or change.kind.startswith("diagnosis.")
        or change.fields & COVERED_TAGS
    ):
        covered = True
    else:
        covered = bool(change.fields & DESCRIPTION) and project.stage == Stage.DECISION
    if not covered:
        return
    reason = policies.frozen_reason(project)
    if reason:
        raise ContentFrozen(reason)


def _cause_of(change: SharedChange) -> causes.Cause:
    if change.cause is not None:
        return change.cause
    for fields, code in _TAG_CAUSES:
        if change.fields and change.fields <= fields:
            return causes.cause(code, user=_who(change.by))
    return causes.cause("project_changed", user=_who(change.by))


def on_shared_change(change: SharedChange) -> None:
    """The handler: the change is written; the sign-offs that covered the content before it
    are withdrawn and the next version opened; the current version's snapshot is marked to
    be built when it is needed."""
    project = change.project
    if project.stage not in policies.EDITABLE_STAGES:
        return
    diagnosis = Diagnosis.objects.filter(project=project).first()
    if diagnosis is None:
        return
    diagnosis.project = project
    previous = diagnosis.version
    start_next_version(diagnosis, by=change.by, cause=_cause_of(change))
    if diagnosis.version != previous and change.event is not None and "version" in change.after:
        change.event.after = {**change.event.after, "version": diagnosis.version}
        change.event.save(update_fields=["after"])
    # The snapshot of the current version is built when it is read or signed, not on every
    # write: the write only marks it (in the same statement as the diagnosis' date).
    Diagnosis.objects.filter(pk=diagnosis.pk).update(
        updated_at=timezone.now(), snapshot_pending=True
    )


def on_decision(*, decision: Decision, project: Project, by: Any) -> None:
    """The decision handler: "adjust" reopens the diagnosis now, "redesign" copies it."""
    diagnosis = Diagnosis.objects.filter(project=project).first()
    if diagnosis is not None and diagnosis.snapshot_pending:
        # The diagnosis was frozen since its submission: the version decided on is stored as
        # it was, before the project's description may change again.
        diagnosis.project = project
        build_snapshot(diagnosis)
    if decision.outcome == Decision.Outcome.ADJUST:
        if diagnosis is None:
            return
        diagnosis.project = project
        start_next_version(
            diagnosis,
            by=decision.decided_by,
            cause=adjust_cause(decision),
            at=decision.decided_at,
            force=True,
        )
        record_event(
            action="diagnosis.diagnosis.reopened",
            by=by,
            subject=project,
            reason=decision.rationale,
            after={"version": diagnosis.version},
        )
    elif decision.outcome == Decision.Outcome.REDESIGN and decision.new_project is not None:
        copy_for_redesign(old=project, new=decision.new_project, by=by)


def copy_for_redesign(*, old: Project, new: Project, by: Any) -> None:
    """The new project starts from a copy of the old one's diagnosis (PRJ-4).

    Sign-offs are not copied: the partners validate the new diagnosis anew.
    """
    source = Diagnosis.objects.filter(project=old).first()
    if source is None:
        return
    target = Diagnosis.objects.create(
        project=new,
        reversibility_statement=source.reversibility_statement,
        copied_from=source,
    )
    target.project = new
    Need.objects.bulk_create(
        Need(
            diagnosis=target,
            side=n.side,
            title=n.title,
            description=n.description,
            population_concerned=n.population_concerned,
            evidence=n.evidence,
            author_organisation_id=n.author_organisation_id,
            created_by_id=n.created_by_id,
        )
        for n in source.needs.all()
    )
    alternatives: dict[int | None, int | None] = {None: None}
    for alternative in source.alternatives.all():
        alternatives[alternative.pk] = Alternative.objects.create(
            diagnosis=target,
            title=alternative.title,
            description=alternative.description,
            is_do_nothing=alternative.is_do_nothing,
            created_by_id=alternative.created_by_id,
        ).pk
    for cell in source.cells.prefetch_related("responses"):
        copy = ImpactCell.objects.create(
            diagnosis=target,
            alternative_id=alternatives[cell.alternative_id],
            side=cell.side,
            dimension=cell.dimension,
            directness=cell.directness,
            horizon=cell.horizon,
            direction=cell.direction,
            magnitude=cell.magnitude,
            likelihood=cell.likelihood,
            justification=cell.justification,
            author_organisation_id=cell.author_organisation_id,
            updated_by_id=cell.updated_by_id,
        )
        ImpactResponse.objects.bulk_create(
            ImpactResponse(
                cell=copy,
                kind=r.kind,
                description=r.description,
                owner_organisation_id=r.owner_organisation_id,
                owner_name=r.owner_name,
                due_date=r.due_date,
                created_by_id=r.created_by_id,
            )
            for r in cell.responses.all()
        )
    Assessment.objects.bulk_create(
        Assessment(
            diagnosis=target,
            alternative_id=alternatives[a.alternative_id],
            criterion_code=a.criterion_code,
            score=a.score,
            justification=a.justification,
            assessor_id=a.assessor_id,
        )
        for a in source.assessments.all()
    )
    copied = causes.cause("copied", reference=old.reference, version=source.version)
    reason = causes.in_french(copied)
    DiagnosisVersion.objects.create(
        diagnosis=target,
        number=1,
        started_by=by if getattr(by, "pk", None) else None,
        reason=reason,
        cause=copied,
        snapshot=snapshot(target),
    )
    record_event(
        action="diagnosis.diagnosis.copied",
        by=by,
        subject=new,
        reason=reason,
        after={"from": old.reference, "from_version": source.version, "version": 1},
    )


def register() -> None:
    """Called once from `DiagnosisConfig.ready()`."""
    register_guard(diagnosis_freeze)
    register_change_handler(on_shared_change)
    register_decision_handler(on_decision)
