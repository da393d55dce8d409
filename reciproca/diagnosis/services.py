"""Every write on a shared diagnosis: keyword-only, by an explicit actor, in one transaction,
with an audit event on the project's timeline.

Each change follows the same steps: check the actor may edit and the diagnosis is not frozen;
if organisations have signed the current version, withdraw their sign-offs (saying which
change caused it, and by whom) and open the next version; save; record the event; refresh the
current version's snapshot. So a signed version's snapshot is exactly what was signed.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date, datetime
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from reciproca.core.exceptions import DomainError, PermissionDenied
from reciproca.core.models import record_event
from reciproca.diagnosis import causes, grid, policies
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
    Level,
    Need,
    Side,
)
from reciproca.diagnosis.versions import describe_cell, option_key, snapshot
from reciproca.partnerships.models import ElectedOfficial, Organisation, Service
from reciproca.projects import services as project_services
from reciproca.projects.models import Decision, Project, ProjectMarker
from reciproca.reference.models import PolicyMarker, PolicySignificance, PurposeCode, SdgTarget

# Significance levels reserved to one marker each (OECD DAC): 3 for desertification (8),
# 4 for reproductive, maternal, newborn and child health (9).
RESERVED_SIGNIFICANCES: dict[str, str] = {"3": "8", "4": "9"}


def _who(user: Any) -> str:
    """The actor's name for a cause ("" for the system, worded when the cause is shown)."""
    return str(user) if getattr(user, "pk", None) else ""


# --- the diagnosis, its versions and sign-offs -----------------------------------------------


def _lock_project(project: Project) -> Project:
    """Lock the project row for the transaction and bring the caller's copy's stage up to date
    (the checks below read it)."""
    locked = Project.objects.select_for_update().get(pk=project.pk)
    project.stage, project.is_suspended = locked.stage, locked.is_suspended
    return project


def _open(project: Project, by: Any) -> Diagnosis:
    """The project's diagnosis, created (version 1) on first use, and brought up to date with
    an "adjust" decision that reopened it. Call with the project locked (`_lock_project`)."""
    diagnosis = Diagnosis.objects.filter(project=project).first()
    if diagnosis is None:
        diagnosis = Diagnosis.objects.create(project=project)
        opened = causes.cause("opened")
        DiagnosisVersion.objects.create(
            diagnosis=diagnosis,
            number=1,
            started_by=by if getattr(by, "pk", None) else None,
            reason=causes.in_french(opened),
            cause=opened,
        )
        record_event(
            action="diagnosis.diagnosis.opened", by=by, subject=project, after={"version": 1}
        )
    diagnosis.project = project
    _apply_reopening(diagnosis)
    return diagnosis


def _apply_reopening(diagnosis: Diagnosis) -> None:
    """An "adjust" decision sends the project back to the diagnosis (PRJ-4): the sign-offs it
    was decided on no longer count, and the next version starts.

    The projects app records the decision; the diagnosis catches up on its next write (and
    `is_reopened` makes reads treat it as reopened meanwhile).
    """
    adjustments = Decision.objects.filter(
        project_id=diagnosis.project_id, outcome=Decision.Outcome.ADJUST
    ).order_by("-decided_at", "-id")
    count = adjustments.count()
    if count <= diagnosis.adjustments_seen:
        return
    decision = adjustments.select_related("decided_by").first()
    assert decision is not None
    _start_next_version(
        diagnosis,
        by=decision.decided_by,
        cause=adjust_cause(decision),
        at=decision.decided_at,
        force=True,
    )
    diagnosis.adjustments_seen = count
    diagnosis.save(update_fields=["adjustments_seen", "updated_at"])
    record_event(
        action="diagnosis.diagnosis.reopened",
        by=decision.decided_by,
        subject=diagnosis.project,
        reason=decision.rationale,
        after={"version": diagnosis.version},
    )


def adjust_cause(decision: Decision) -> causes.Cause:
    """Why an "adjust" decision withdrew the sign-offs (worded by `causes.describe_cause`)."""
    return causes.cause(
        "decision_adjust",
        date=decision.decided_at.isoformat(),
        deliberation_reference=decision.deliberation_reference,
    )


def _start_next_version(
    diagnosis: Diagnosis,
    *,
    by: Any,
    cause: causes.Cause,
    at: datetime | None = None,
    force: bool = False,
) -> list[DiagnosisSignOff]:
    """Withdraw the live sign-offs (they approved the content about to change) and open the
    next version. Without live sign-offs nothing happens, unless `force`.

    The cause is stored as data, worded in each reader's language when shown; the text columns
    and the audit event keep it in French."""
    live = list(
        DiagnosisSignOff.objects.filter(diagnosis=diagnosis, withdrawn_at__isnull=True)
        .select_related("organisation")
        .order_by("organisation__name")
    )
    if not live and not force:
        return []
    actor = by if getattr(by, "pk", None) else None
    text = causes.in_french(cause)
    previous = diagnosis.version
    diagnosis.version = previous + 1
    diagnosis.save(update_fields=["version", "updated_at"])
    DiagnosisVersion.objects.create(
        diagnosis=diagnosis,
        number=diagnosis.version,
        started_by=actor,
        reason=text[:1].upper() + text[1:],
        cause=cause,
        snapshot=snapshot(diagnosis),
    )
    if live:
        DiagnosisSignOff.objects.filter(pk__in=[s.pk for s in live]).update(
            withdrawn_at=at or timezone.now(),
            withdrawn_reason=text,
            withdrawn_cause=cause,
            withdrawn_by=actor,
        )
        record_event(
            action="diagnosis.signoffs.withdrawn",
            by=by,
            subject=diagnosis.project,
            reason=text[:1].upper() + text[1:],
            before={"version": previous, "signed_by": [s.organisation.name for s in live]},
            after={"version": diagnosis.version},
        )
    return live


def _refresh_snapshot(diagnosis: Diagnosis) -> None:
    DiagnosisVersion.objects.filter(diagnosis=diagnosis, number=diagnosis.version).update(
        snapshot=snapshot(diagnosis), updated_at=timezone.now()
    )


def _record(
    diagnosis: Diagnosis,
    *,
    by: Any,
    action: str,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    reason: str = "",
) -> None:
    record_event(
        action=action,
        by=by,
        subject=diagnosis.project,
        reason=reason,
        before=before,
        after={**(after or {}), "version": diagnosis.version},
    )
    Diagnosis.objects.filter(pk=diagnosis.pk).update(updated_at=timezone.now())
    _refresh_snapshot(diagnosis)


def _editable(project: Project, by: Any) -> Diagnosis:
    _lock_project(project)
    policies.require_edit(by, project)
    return _open(project, by)


@transaction.atomic
def open_diagnosis(*, project: Project, by: Any) -> Diagnosis:
    """Start the project's diagnosis (idempotent: the existing one is returned)."""
    return _editable(project, by)


@transaction.atomic
def sign_off_diagnosis(*, project: Project, by: Any) -> DiagnosisSignOff:
    """The actor's organisation validates the current version of the diagnosis (PRJ-2)."""
    _lock_project(project)
    policies.require_sign_off(by, project)
    diagnosis = _open(project, by)
    if DiagnosisSignOff.objects.filter(
        diagnosis=diagnosis, organisation_id=by.organisation_id, withdrawn_at__isnull=True
    ).exists():
        raise DomainError(
            _("%(org)s a déjà validé la version %(version)s du diagnostic.")
            % {"org": by.organisation, "version": diagnosis.version}
        )
    signoff = DiagnosisSignOff.objects.create(
        diagnosis=diagnosis,
        version=diagnosis.version,
        organisation_id=by.organisation_id,
        signed_by=by,
    )
    _record(
        diagnosis,
        by=by,
        action="diagnosis.diagnosis.signed_off",
        after={"organisation": str(by.organisation)},
    )
    return signoff


@transaction.atomic
def withdraw_diagnosis_signoff(*, project: Project, by: Any, reason: str) -> DiagnosisSignOff:
    """The actor's organisation takes back its validation (the content does not change)."""
    _lock_project(project)
    policies.require_sign_off(by, project)
    if not reason.strip():
        raise DomainError(_("Indiquez le motif du retrait de la validation."))
    diagnosis = _open(project, by)
    signoff = (
        DiagnosisSignOff.objects.filter(
            diagnosis=diagnosis, organisation_id=by.organisation_id, withdrawn_at__isnull=True
        )
        .select_related("organisation")
        .first()
    )
    if signoff is None:
        raise DomainError(_("Votre organisation n'a pas validé la version en cours."))
    signoff.withdrawn_at = timezone.now()
    signoff.withdrawn_cause = causes.cause(
        "signoff_taken_back", user=_who(by), reason=reason.strip()
    )
    signoff.withdrawn_reason = causes.in_french(signoff.withdrawn_cause)
    signoff.withdrawn_by = by
    signoff.save(
        update_fields=["withdrawn_at", "withdrawn_reason", "withdrawn_cause", "withdrawn_by"]
    )
    _record(
        diagnosis,
        by=by,
        action="diagnosis.signoff.withdrawn",
        reason=reason.strip(),
        before={"organisation": signoff.organisation.name},
    )
    return signoff


def on_project_changed(*, project: Project, by: Any, reason: str) -> None:
    """CHANGE_HOOKS: the project's own fields or tags changed. They are part of what the
    partners validated, so live sign-offs are withdrawn while the diagnosis is open."""
    if project.stage not in policies.EDITABLE_STAGES:
        return
    diagnosis = Diagnosis.objects.filter(project=project).first()
    if diagnosis is None:
        return
    diagnosis.project = project
    _apply_reopening(diagnosis)
    _start_next_version(
        diagnosis,
        by=by,
        cause=causes.cause("project_changed", user=_who(by)),
    )
    _refresh_snapshot(diagnosis)


def copy_for_redesign(*, old: Project, new: Project, by: Any) -> None:
    """REDESIGN_HOOKS: the new project starts from a copy of the old one's diagnosis (PRJ-4).

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


# --- needs (PRI-2) ----------------------------------------------------------------------------


def _author(project: Project, by: Any, organisation: Organisation | None) -> Organisation:
    organisation = organisation or getattr(by, "organisation", None)
    if organisation is None:
        raise DomainError(_("Indiquez l'organisation autrice."))
    if not project.partners.filter(organisation=organisation).exists():
        raise DomainError(
            _("%(org)s ne participe pas au projet : elle ne peut pas en être l'autrice.")
            % {"org": organisation}
        )
    return organisation


def _clean_need(values: Mapping[str, Any]) -> list[str]:
    reasons = []
    if values.get("side") not in Side.values:
        reasons.append(_("Indiquez le territoire concerné par le besoin."))
    if not str(values.get("title") or "").strip():
        reasons.append(_("Le besoin doit être nommé."))
    if not str(values.get("population_concerned") or "").strip():
        reasons.append(_("Indiquez la population concernée par le besoin."))
    if not str(values.get("evidence") or "").strip():
        reasons.append(_("Indiquez les éléments qui établissent le besoin."))
    return reasons


@transaction.atomic
def add_need(
    *,
    project: Project,
    by: Any,
    side: str,
    title: str,
    population_concerned: str,
    evidence: str,
    description: str = "",
    author_organisation: Organisation | None = None,
) -> Need:
    """Record a need of one of the two territories, with the organisation that brings it."""
    diagnosis = _editable(project, by)
    values = {
        "side": side,
        "title": title,
        "population_concerned": population_concerned,
        "evidence": evidence,
    }
    reasons = _clean_need(values)
    if reasons:
        raise DomainError(reasons)
    author = _author(project, by, author_organisation)
    _start_next_version(
        diagnosis,
        by=by,
        cause=causes.cause("need_added", title=title.strip(), user=_who(by)),
    )
    need = Need.objects.create(
        diagnosis=diagnosis,
        side=side,
        title=title.strip(),
        description=description.strip(),
        population_concerned=population_concerned.strip(),
        evidence=evidence.strip(),
        author_organisation=author,
        created_by=by if getattr(by, "pk", None) else None,
    )
    _record(
        diagnosis,
        by=by,
        action="diagnosis.need.added",
        after={"need": need.title, "side": side, "author_organisation": author.name},
    )
    return need


NEED_FIELDS = frozenset(
    {"side", "title", "description", "population_concerned", "evidence", "author_organisation"}
)


@transaction.atomic
def update_need(*, need: Need, by: Any, **changes: Any) -> Need:
    project = need.diagnosis.project
    diagnosis = _editable(project, by)
    unknown = set(changes) - NEED_FIELDS
    if unknown:
        raise DomainError(_("Champs non modifiables : %(f)s.") % {"f": ", ".join(sorted(unknown))})
    need = Need.objects.select_related("author_organisation").get(pk=need.pk)
    values = {f: getattr(need, f) for f in NEED_FIELDS}
    values.update(changes)
    reasons = _clean_need(values)
    if reasons:
        raise DomainError(reasons)
    if "author_organisation" in changes:
        values["author_organisation"] = _author(project, by, changes["author_organisation"])
    before, after = {}, {}
    for field in NEED_FIELDS:
        old, new = getattr(need, field), values[field]
        if isinstance(new, str):
            new = new.strip()
        if old != new:
            before[field], after[field] = str(old), str(new)
            setattr(need, field, new)
    if not after:
        return need
    _start_next_version(
        diagnosis,
        by=by,
        cause=causes.cause("need_changed", title=need.title, user=_who(by)),
    )
    need.save()
    _record(diagnosis, by=by, action="diagnosis.need.updated", before=before, after=after)
    return need


@transaction.atomic
def remove_need(*, need: Need, by: Any) -> None:
    diagnosis = _editable(need.diagnosis.project, by)
    _start_next_version(
        diagnosis,
        by=by,
        cause=causes.cause("need_removed", title=need.title, user=_who(by)),
    )
    title = need.title
    need.delete()
    _record(diagnosis, by=by, action="diagnosis.need.removed", before={"need": title})


# --- alternatives and reversibility (PRJ-7) ---------------------------------------------------


def _clean_alternative(
    diagnosis: Diagnosis, title: str, is_do_nothing: bool, pk: int | None
) -> None:
    if not title.strip():
        raise DomainError(_("L'alternative doit avoir un intitulé."))
    if (
        is_do_nothing
        and Alternative.objects.filter(diagnosis=diagnosis, is_do_nothing=True)
        .exclude(pk=pk or 0)
        .exists()
    ):
        raise DomainError(_("Le diagnostic compte déjà une alternative « ne rien faire »."))


@transaction.atomic
def add_alternative(
    *,
    project: Project,
    by: Any,
    title: str,
    description: str = "",
    is_do_nothing: bool = False,
) -> Alternative:
    """Add a solution to compare with the proposal ("do nothing" is one)."""
    diagnosis = _editable(project, by)
    _clean_alternative(diagnosis, title, is_do_nothing, None)
    _start_next_version(
        diagnosis,
        by=by,
        cause=causes.cause("alternative_added", title=title.strip(), user=_who(by)),
    )
    alternative = Alternative.objects.create(
        diagnosis=diagnosis,
        title=title.strip(),
        description=description.strip(),
        is_do_nothing=is_do_nothing,
        created_by=by if getattr(by, "pk", None) else None,
    )
    _record(
        diagnosis,
        by=by,
        action="diagnosis.alternative.added",
        after={"alternative": alternative.title, "is_do_nothing": is_do_nothing},
    )
    return alternative


@transaction.atomic
def update_alternative(
    *,
    alternative: Alternative,
    by: Any,
    title: str | None = None,
    description: str | None = None,
    is_do_nothing: bool | None = None,
) -> Alternative:
    diagnosis = _editable(alternative.diagnosis.project, by)
    alternative = Alternative.objects.get(pk=alternative.pk)
    new: dict[str, Any] = {
        "title": (title if title is not None else alternative.title).strip(),
        "description": (
            description if description is not None else alternative.description
        ).strip(),
        "is_do_nothing": alternative.is_do_nothing if is_do_nothing is None else is_do_nothing,
    }
    _clean_alternative(diagnosis, new["title"], bool(new["is_do_nothing"]), alternative.pk)
    before = {k: getattr(alternative, k) for k in new if getattr(alternative, k) != new[k]}
    if not before:
        return alternative
    _start_next_version(
        diagnosis,
        by=by,
        cause=causes.cause("alternative_changed", title=alternative.title, user=_who(by)),
    )
    for key, value in new.items():
        setattr(alternative, key, value)
    alternative.save()
    _record(
        diagnosis,
        by=by,
        action="diagnosis.alternative.updated",
        before=before,
        after={k: new[k] for k in before},
    )
    return alternative


@transaction.atomic
def remove_alternative(*, alternative: Alternative, by: Any) -> None:
    """Remove an alternative with its matrix and its scores."""
    diagnosis = _editable(alternative.diagnosis.project, by)
    _start_next_version(
        diagnosis,
        by=by,
        cause=causes.cause("alternative_removed", title=alternative.title, user=_who(by)),
    )
    title = alternative.title
    alternative.delete()
    _record(diagnosis, by=by, action="diagnosis.alternative.removed", before={"alternative": title})


@transaction.atomic
def set_reversibility_statement(*, project: Project, by: Any, text: str) -> Diagnosis:
    """How the choice can be undone or the partners can exit the project (PRJ-7)."""
    diagnosis = _editable(project, by)
    text = text.strip()
    if text == diagnosis.reversibility_statement:
        return diagnosis
    before = diagnosis.reversibility_statement
    _start_next_version(
        diagnosis,
        by=by,
        cause=causes.cause("reversibility_changed", user=_who(by)),
    )
    diagnosis.reversibility_statement = text
    diagnosis.save(update_fields=["reversibility_statement", "updated_at"])
    _record(
        diagnosis,
        by=by,
        action="diagnosis.reversibility.updated",
        before={"text": before},
        after={"text": text},
    )
    return diagnosis


# --- the impact matrix (PRJ-3, PRJ-13) and responses (PRJ-6) ----------------------------------


def _option(diagnosis: Diagnosis, alternative: Alternative | None) -> Alternative | None:
    if alternative is not None and alternative.diagnosis_id != diagnosis.pk:
        raise DomainError(_("Cette alternative n'appartient pas à ce diagnostic."))
    return alternative


@transaction.atomic
def set_impact_cell(
    *,
    project: Project,
    by: Any,
    side: str,
    dimension: str,
    directness: str,
    horizon: str,
    direction: str,
    magnitude: int | None = None,
    likelihood: int | None = None,
    justification: str = "",
    alternative: Alternative | None = None,
) -> ImpactCell:
    """Fill one cell of the impact matrix of the proposal (or of an alternative).

    A positive or negative effect has a magnitude and a likelihood; every known direction has
    a justification; "unknown" needs neither.
    """
    diagnosis = _editable(project, by)
    alternative = _option(diagnosis, alternative)
    reasons = []
    for value, choices, label in (
        (side, Side, _("territoire")),
        (dimension, Dimension, _("dimension")),
        (directness, Directness, _("direct ou indirect")),
        (horizon, Horizon, _("horizon")),
        (direction, Direction, _("sens de l'effet")),
    ):
        if value not in choices.values:
            reasons.append(
                _("Valeur inconnue pour « %(label)s » : %(value)s.")
                % {"label": label, "value": value}
            )
    if reasons:
        raise DomainError(reasons)
    justification = justification.strip()
    if direction in (Direction.POSITIVE, Direction.NEGATIVE):
        if magnitude not in Level.values:
            reasons.append(_("Indiquez l'ampleur de l'effet (faible, moyenne ou forte)."))
        if likelihood not in Level.values:
            reasons.append(_("Indiquez la probabilité de l'effet (faible, moyenne ou forte)."))
    else:
        magnitude = likelihood = None
    if direction != Direction.UNKNOWN and not justification:
        reasons.append(_("Justifiez le sens de l'effet indiqué."))
    if reasons:
        raise DomainError(reasons)
    coordinates = {
        "side": side,
        "dimension": dimension,
        "directness": directness,
        "horizon": horizon,
    }
    cell = ImpactCell.objects.filter(
        diagnosis=diagnosis, alternative=alternative, **coordinates
    ).first()
    new: dict[str, Any] = {
        "direction": direction,
        "magnitude": magnitude,
        "likelihood": likelihood,
        "justification": justification,
    }
    before = {k: getattr(cell, k) for k in new} if cell is not None else {}
    if cell is not None and before == new:
        return cell
    label = describe_cell(
        "|".join(
            (
                option_key(alternative.pk if alternative else None),
                side,
                dimension,
                directness,
                horizon,
            )
        ),
        {str(alternative.pk): {"title": alternative.title}} if alternative else {},
    )
    _start_next_version(
        diagnosis,
        by=by,
        cause=causes.cause(
            "cell_changed",
            cell=causes.cell_params(
                alternative_id=alternative.pk if alternative else None,
                alternative_title=alternative.title if alternative else "",
                **coordinates,
            ),
            user=_who(by),
        ),
    )
    if cell is None:
        cell = ImpactCell(diagnosis=diagnosis, alternative=alternative, **coordinates)
    for key, value in new.items():
        setattr(cell, key, value)
    cell.author_organisation = getattr(by, "organisation", None)
    cell.updated_by = by if getattr(by, "pk", None) else None
    cell.save()
    _record(
        diagnosis,
        by=by,
        action="diagnosis.cell.updated",
        before=before,
        after={**new, "cell": label},
    )
    return cell


def _clean_response(
    *,
    kind: str,
    description: str,
    due_date: date | None,
    owner_organisation: Organisation | None,
    owner_name: str,
    project: Project,
) -> list[str]:
    reasons = []
    if kind not in grid.response_kinds():
        reasons.append(_("Choisissez la réponse : limiter, anticiper, gérer ou éviter."))
    if not description.strip():
        reasons.append(_("Décrivez la mesure prévue."))
    if owner_organisation is None and not owner_name.strip():
        reasons.append(_("Indiquez le responsable de la réponse (organisation ou personne)."))
    if (
        owner_organisation is not None
        and not project.partners.filter(organisation=owner_organisation).exists()
    ):
        reasons.append(
            _("%(org)s ne participe pas au projet : indiquez-la comme personne ou service.")
            % {"org": owner_organisation}
        )
    if due_date is None:
        reasons.append(_("Indiquez l'échéance de la réponse."))
    return reasons


@transaction.atomic
def add_response(
    *,
    cell: ImpactCell,
    by: Any,
    kind: str,
    description: str,
    due_date: date | None,
    owner_organisation: Organisation | None = None,
    owner_name: str = "",
) -> ImpactResponse:
    """Plan how a negative impact is limited, anticipated, managed or avoided (PRJ-6)."""
    project = cell.diagnosis.project
    diagnosis = _editable(project, by)
    cell = ImpactCell.objects.select_related("alternative").get(pk=cell.pk)
    if cell.direction != Direction.NEGATIVE:
        raise DomainError(_("Une réponse porte sur un impact négatif : cette case ne l'est pas."))
    reasons = _clean_response(
        kind=kind,
        description=description,
        due_date=due_date,
        owner_organisation=owner_organisation,
        owner_name=owner_name,
        project=project,
    )
    if reasons:
        raise DomainError(reasons)
    assert due_date is not None  # checked above
    label = _cell_label(cell)
    _start_next_version(
        diagnosis,
        by=by,
        cause=causes.cause("response_added", cell=_cell_params(cell), user=_who(by)),
    )
    response = ImpactResponse.objects.create(
        cell=cell,
        kind=kind,
        description=description.strip(),
        due_date=due_date,
        owner_organisation=owner_organisation,
        owner_name=owner_name.strip(),
        created_by=by if getattr(by, "pk", None) else None,
    )
    _record(
        diagnosis,
        by=by,
        action="diagnosis.response.added",
        after={
            "cell": label,
            "kind": kind,
            "owner": response.owner_label,
            "due_date": due_date.isoformat() if due_date else None,
        },
    )
    return response


def _cell_params(cell: ImpactCell) -> dict[str, Any]:
    return causes.cell_params(
        alternative_id=cell.alternative_id,
        alternative_title=cell.alternative.title if cell.alternative else "",
        side=cell.side,
        dimension=cell.dimension,
        directness=cell.directness,
        horizon=cell.horizon,
    )


def _cell_label(cell: ImpactCell) -> str:
    alternatives = (
        {str(cell.alternative_id): {"title": cell.alternative.title}} if cell.alternative else {}
    )
    return describe_cell(
        "|".join(
            (
                option_key(cell.alternative_id),
                cell.side,
                cell.dimension,
                cell.directness,
                cell.horizon,
            )
        ),
        alternatives,
    )


@transaction.atomic
def update_response(
    *,
    response: ImpactResponse,
    by: Any,
    kind: str,
    description: str,
    due_date: date | None,
    owner_organisation: Organisation | None = None,
    owner_name: str = "",
) -> ImpactResponse:
    project = response.cell.diagnosis.project
    diagnosis = _editable(project, by)
    response = ImpactResponse.objects.select_related("cell__alternative").get(pk=response.pk)
    reasons = _clean_response(
        kind=kind,
        description=description,
        due_date=due_date,
        owner_organisation=owner_organisation,
        owner_name=owner_name,
        project=project,
    )
    if reasons:
        raise DomainError(reasons)
    new = {
        "kind": kind,
        "description": description.strip(),
        "due_date": due_date,
        "owner_organisation": owner_organisation,
        "owner_name": owner_name.strip(),
    }
    before = {k: getattr(response, k) for k in new if getattr(response, k) != new[k]}
    if not before:
        return response
    label = _cell_label(response.cell)
    _start_next_version(
        diagnosis,
        by=by,
        cause=causes.cause("response_changed", cell=_cell_params(response.cell), user=_who(by)),
    )
    for key, value in new.items():
        setattr(response, key, value)
    response.save()
    _record(
        diagnosis,
        by=by,
        action="diagnosis.response.updated",
        before={k: str(v) for k, v in before.items()},
        after={k: str(new[k]) for k in before} | {"cell": label},
    )
    return response


@transaction.atomic
def remove_response(*, response: ImpactResponse, by: Any) -> None:
    diagnosis = _editable(response.cell.diagnosis.project, by)
    response = ImpactResponse.objects.select_related("cell__alternative").get(pk=response.pk)
    label = _cell_label(response.cell)
    _start_next_version(
        diagnosis,
        by=by,
        cause=causes.cause("response_removed", cell=_cell_params(response.cell), user=_who(by)),
    )
    before = {"cell": label, "kind": response.kind, "description": response.description}
    response.delete()
    _record(diagnosis, by=by, action="diagnosis.response.removed", before=before)


# --- the sustainable-development grid (PRJ-14) ------------------------------------------------


@transaction.atomic
def assess_options(
    *,
    project: Project,
    by: Any,
    scores: Mapping[str, tuple[int, str]],
    alternative: Alternative | None = None,
) -> list[Assessment]:
    """The actor scores the proposal (or an alternative) on some criteria of the grid:
    `scores` maps a criterion code to (score 0–4, justification). Each assessor keeps their own
    score; scoring again replaces one's previous score."""
    diagnosis = _editable(project, by)
    alternative = _option(diagnosis, alternative)
    known = {c.code: c for c in grid.project_criteria(project)}
    reasons = []
    for code, (score, justification) in scores.items():
        name = known[code].name if code in known else code
        if code not in known:
            reasons.append(_("Critère inconnu de la grille : %(code)s.") % {"code": code})
            continue
        if not isinstance(score, int) or isinstance(score, bool) or not 0 <= score <= 4:
            reasons.append(_("« %(criterion)s » : la note va de 0 à 4.") % {"criterion": name})
        if not str(justification or "").strip():
            reasons.append(_("« %(criterion)s » : justifiez la note.") % {"criterion": name})
    if reasons:
        raise DomainError(reasons)
    existing = {
        a.criterion_code: a
        for a in Assessment.objects.filter(
            diagnosis=diagnosis,
            alternative=alternative,
            assessor=by,
            criterion_code__in=list(scores),
        )
    }
    changed = {
        code: (score, justification.strip())
        for code, (score, justification) in scores.items()
        if code not in existing
        or (existing[code].score, existing[code].justification) != (score, justification.strip())
    }
    if not changed:
        return list(existing.values())
    _start_next_version(
        diagnosis,
        by=by,
        cause=causes.cause(
            "options_scored",
            option=option_key(alternative.pk if alternative else None),
            option_title=alternative.title if alternative else "",
            user=_who(by),
        ),
    )
    result = []
    for code, (score, justification) in changed.items():
        assessment = existing.get(code) or Assessment(
            diagnosis=diagnosis, alternative=alternative, criterion_code=code, assessor=by
        )
        assessment.score = score
        assessment.justification = justification
        assessment.save()
        result.append(assessment)
    _record(
        diagnosis,
        by=by,
        action="diagnosis.assessment.scored",
        before={code: existing[code].score for code in changed if code in existing},
        after={"option": option_key(alternative.pk if alternative else None)}
        | {code: score for code, (score, _j) in changed.items()},
    )
    return result


@transaction.atomic
def remove_assessment(*, assessment: Assessment, by: Any) -> None:
    """An assessor takes back their own score."""
    if assessment.assessor_id != getattr(by, "pk", None):
        raise PermissionDenied(_("Seul son auteur peut retirer une note."))
    diagnosis = _editable(assessment.diagnosis.project, by)
    _start_next_version(
        diagnosis,
        by=by,
        cause=causes.cause("score_removed", user=_who(by)),
    )
    before = {"criterion": assessment.criterion_code, "score": assessment.score}
    assessment.delete()
    _record(diagnosis, by=by, action="diagnosis.assessment.removed", before=before)


# --- commitments (PRJ-14, PRJ-15) and cross-cutting involvement (PRJ-13) ----------------------


def check_marker_significance(marker: PolicyMarker, significance: PolicySignificance) -> str:
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


@transaction.atomic
def confirm_commitments(
    *,
    project: Project,
    by: Any,
    sdg_targets: Iterable[SdgTarget],
    purpose_codes: Iterable[PurposeCode],
    markers: Iterable[tuple[PolicyMarker, PolicySignificance]],
) -> Project:
    """A person confirms the SDG targets, DAC purpose codes and policy markers (with their
    significance) that the themes suggested, or others (PRJ-14, PRJ-15)."""
    diagnosis = _editable(project, by)
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
    _start_next_version(
        diagnosis,
        by=by,
        cause=causes.cause("commitments_confirmed", user=_who(by)),
    )
    project_services.set_project_tags(
        project=project, by=by, sdg_targets=targets, purpose_codes=codes
    )
    ProjectMarker.objects.filter(project=project).exclude(
        marker_id__in=[m.pk for m, _s in pairs]
    ).delete()
    for marker, significance in pairs:
        ProjectMarker.objects.update_or_create(
            project=project, marker=marker, defaults={"significance": significance}
        )
    _record(diagnosis, by=by, action="diagnosis.commitments.confirmed", before=before, after=after)
    return project


@transaction.atomic
def set_involvement(
    *,
    project: Project,
    by: Any,
    services: Iterable[Service],
    elected_officials: Iterable[ElectedOfficial],
) -> Project:
    """The department's services and elected officials involved in the project (PRJ-13)."""
    diagnosis = _editable(project, by)
    services, elected_officials = list(services), list(elected_officials)
    before = {
        "services": sorted(s.name for s in project.services.all()),
        "elected_officials": sorted(e.full_name for e in project.elected_officials.all()),
    }
    after = {
        "services": sorted(s.name for s in services),
        "elected_officials": sorted(e.full_name for e in elected_officials),
    }
    if before == after:
        return project
    _start_next_version(
        diagnosis,
        by=by,
        cause=causes.cause("involvement_changed", user=_who(by)),
    )
    project_services.set_project_tags(
        project=project, by=by, services=services, elected_officials=elected_officials
    )
    _record(diagnosis, by=by, action="diagnosis.involvement.updated", before=before, after=after)
    return project


@transaction.atomic
def set_themes(*, project: Project, by: Any, themes: Iterable[Any]) -> Project:
    """The charter's priority themes the project serves (PRJ-15): they suggest the SDG
    targets, markers and purpose codes, and add their criteria to the grid."""
    diagnosis = _editable(project, by)
    themes = list(themes)
    before = sorted(t.code for t in project.themes.all())
    after = sorted(t.code for t in themes)
    if before == after:
        return project
    _start_next_version(
        diagnosis,
        by=by,
        cause=causes.cause("themes_changed", user=_who(by)),
    )
    project_services.set_project_tags(project=project, by=by, themes=themes)
    _record(
        diagnosis,
        by=by,
        action="diagnosis.themes.updated",
        before={"themes": before},
        after={"themes": after},
    )
    return project
