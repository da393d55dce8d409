"""Every write on a shared diagnosis: keyword-only, by an explicit actor, in one transaction,
with an audit event on the project's timeline.

Each change follows the same steps: check the actor may edit and the diagnosis is not frozen;
if organisations have signed the current version, withdraw their sign-offs (saying which
change caused it, and by whom) and open the next version; save; record the event; refresh the
current version's snapshot. So a signed version's snapshot is exactly what was signed.
"""

from __future__ import annotations

from collections.abc import Mapping
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
from reciproca.partnerships.models import Organisation
from reciproca.projects import services as project_services
from reciproca.projects.models import Decision, Project

# Significance levels reserved to one marker each (OECD DAC): 3 for desertification (8),
# 4 for reproductive, maternal, newborn and child health (9).
RESERVED_SIGNIFICANCES: dict[str, str] = {"3": "8", "4": "9"}


def _who(user: Any) -> str:
    """The actor's name for a cause ("" for the system, worded when the cause is shown)."""
    return str(user) if getattr(user, "pk", None) else ""


# --- the diagnosis, its versions and sign-offs -----------------------------------------------


def _open(project: Project, by: Any) -> Diagnosis:
    """The project's diagnosis, created (version 1) on first use. Call inside a transaction
    that locked the project (`begin_shared_change` does)."""
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
    return diagnosis


def adjust_cause(decision: Decision) -> causes.Cause:
    """Why an "adjust" decision withdrew the sign-offs (worded by `causes.describe_cause`)."""
    return causes.cause(
        "decision_adjust",
        date=decision.decided_at.isoformat(),
        deliberation_reference=decision.deliberation_reference,
    )


def start_next_version(
    diagnosis: Diagnosis,
    *,
    by: Any,
    cause: causes.Cause,
    at: datetime | None = None,
    force: bool = False,
) -> list[DiagnosisSignOff]:
    """Withdraw the live sign-offs (they approved the content that changed) and open the
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


def refresh_snapshot(diagnosis: Diagnosis) -> None:
    DiagnosisVersion.objects.filter(diagnosis=diagnosis, number=diagnosis.version).update(
        snapshot=snapshot(diagnosis), updated_at=timezone.now()
    )


def _record(
    change: project_services.SharedChange,
    diagnosis: Diagnosis,
    *,
    action: str,
    cause: causes.Cause,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    reason: str = "",
) -> None:
    """The write is done: record it through the project's pipeline, whose handlers withdraw
    the sign-offs that covered it and refresh the version (`pipeline.on_shared_change`)."""
    change.record(
        action=action,
        reason=reason,
        before=before,
        after={**(after or {}), "version": diagnosis.version},
        cause=cause,
    )


def _editable(project: Project, by: Any) -> tuple[project_services.SharedChange, Diagnosis]:
    """Start a change of the diagnosis: the project's pipeline locks the project, checks the
    actor's rights and asks its guards (the diagnosis freeze is one: `pipeline`)."""
    change = project_services.begin_shared_change(
        project=project, by=by, kind="diagnosis", permission=_may_edit
    )
    return change, _open(project, by)


def _may_edit(user: Any, project: Project) -> bool:
    if not policies.can_edit_diagnosis(user, project):
        raise PermissionDenied(_("Vous ne pouvez pas modifier ce diagnostic."))
    return True


@transaction.atomic
def open_diagnosis(*, project: Project, by: Any) -> Diagnosis:
    """Start the project's diagnosis (idempotent: the existing one is returned)."""
    return _editable(project, by)[1]


def _lock_for_signoff(project: Project, by: Any) -> Diagnosis:
    """Sign-offs change no content, but the freeze holds for them too (the guards)."""
    project_services.begin_shared_change(
        project=project, by=by, kind="diagnosis.signoff", permission=_may_sign_off
    )
    return _open(project, by)


def _may_sign_off(user: Any, project: Project) -> bool:
    policies.require_sign_off(user, project)
    return True


@transaction.atomic
def sign_off_diagnosis(*, project: Project, by: Any) -> DiagnosisSignOff:
    """The actor's organisation validates the current version of the diagnosis (PRJ-2)."""
    diagnosis = _lock_for_signoff(project, by)
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
    record_event(
        action="diagnosis.diagnosis.signed_off",
        by=by,
        subject=project,
        after={"organisation": str(by.organisation), "version": diagnosis.version}
        | project_services.charter_record(project, ["submit_for_decision"]),
    )
    refresh_snapshot(diagnosis)
    return signoff


@transaction.atomic
def withdraw_diagnosis_signoff(*, project: Project, by: Any, reason: str) -> DiagnosisSignOff:
    """The actor's organisation takes back its validation (the content does not change)."""
    if not reason.strip():
        raise DomainError(_("Indiquez le motif du retrait de la validation."))
    diagnosis = _lock_for_signoff(project, by)
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
    record_event(
        action="diagnosis.signoff.withdrawn",
        by=by,
        subject=project,
        reason=reason.strip(),
        before={"organisation": signoff.organisation.name},
        after={"version": diagnosis.version},
    )
    return signoff


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
    change, diagnosis = _editable(project, by)
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
    cause = causes.cause("need_added", title=title.strip(), user=_who(by))
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
        change,
        diagnosis,
        cause=cause,
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
    change, diagnosis = _editable(project, by)
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
    cause = causes.cause("need_changed", title=need.title, user=_who(by))
    need.save()
    _record(
        change, diagnosis, cause=cause, action="diagnosis.need.updated", before=before, after=after
    )
    return need


@transaction.atomic
def remove_need(*, need: Need, by: Any) -> None:
    change, diagnosis = _editable(need.diagnosis.project, by)
    cause = causes.cause("need_removed", title=need.title, user=_who(by))
    title = need.title
    need.delete()
    _record(change, diagnosis, cause=cause, action="diagnosis.need.removed", before={"need": title})


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
    change, diagnosis = _editable(project, by)
    _clean_alternative(diagnosis, title, is_do_nothing, None)
    cause = causes.cause("alternative_added", title=title.strip(), user=_who(by))
    alternative = Alternative.objects.create(
        diagnosis=diagnosis,
        title=title.strip(),
        description=description.strip(),
        is_do_nothing=is_do_nothing,
        created_by=by if getattr(by, "pk", None) else None,
    )
    _record(
        change,
        diagnosis,
        cause=cause,
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
    change, diagnosis = _editable(alternative.diagnosis.project, by)
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
    cause = causes.cause("alternative_changed", title=alternative.title, user=_who(by))
    for key, value in new.items():
        setattr(alternative, key, value)
    alternative.save()
    _record(
        change,
        diagnosis,
        cause=cause,
        action="diagnosis.alternative.updated",
        before=before,
        after={k: new[k] for k in before},
    )
    return alternative


@transaction.atomic
def remove_alternative(*, alternative: Alternative, by: Any) -> None:
    """Remove an alternative with its matrix and its scores."""
    change, diagnosis = _editable(alternative.diagnosis.project, by)
    cause = causes.cause("alternative_removed", title=alternative.title, user=_who(by))
    title = alternative.title
    alternative.delete()
    _record(
        change,
        diagnosis,
        cause=cause,
        action="diagnosis.alternative.removed",
        before={"alternative": title},
    )


@transaction.atomic
def set_reversibility_statement(*, project: Project, by: Any, text: str) -> Diagnosis:
    """How the choice can be undone or the partners can exit the project (PRJ-7)."""
    change, diagnosis = _editable(project, by)
    text = text.strip()
    if text == diagnosis.reversibility_statement:
        return diagnosis
    before = diagnosis.reversibility_statement
    cause = causes.cause("reversibility_changed", user=_who(by))
    diagnosis.reversibility_statement = text
    diagnosis.save(update_fields=["reversibility_statement", "updated_at"])
    _record(
        change,
        diagnosis,
        cause=cause,
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
    change, diagnosis = _editable(project, by)
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
    cause = causes.cause(
        "cell_changed",
        cell=causes.cell_params(
            alternative_id=alternative.pk if alternative else None,
            alternative_title=alternative.title if alternative else "",
            **coordinates,
        ),
        user=_who(by),
    )
    if cell is None:
        cell = ImpactCell(diagnosis=diagnosis, alternative=alternative, **coordinates)
    for key, value in new.items():
        setattr(cell, key, value)
    cell.author_organisation = getattr(by, "organisation", None)
    cell.updated_by = by if getattr(by, "pk", None) else None
    cell.save()
    _record(
        change,
        diagnosis,
        cause=cause,
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
    change, diagnosis = _editable(project, by)
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
    cause = causes.cause("response_added", cell=_cell_params(cell), user=_who(by))
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
        change,
        diagnosis,
        cause=cause,
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
    change, diagnosis = _editable(project, by)
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
    cause = causes.cause("response_changed", cell=_cell_params(response.cell), user=_who(by))
    for key, value in new.items():
        setattr(response, key, value)
    response.save()
    _record(
        change,
        diagnosis,
        cause=cause,
        action="diagnosis.response.updated",
        before={k: str(v) for k, v in before.items()},
        after={k: str(new[k]) for k in before} | {"cell": label},
    )
    return response


@transaction.atomic
def remove_response(*, response: ImpactResponse, by: Any) -> None:
    change, diagnosis = _editable(response.cell.diagnosis.project, by)
    response = ImpactResponse.objects.select_related("cell__alternative").get(pk=response.pk)
    label = _cell_label(response.cell)
    cause = causes.cause("response_removed", cell=_cell_params(response.cell), user=_who(by))
    before = {"cell": label, "kind": response.kind, "description": response.description}
    response.delete()
    _record(change, diagnosis, cause=cause, action="diagnosis.response.removed", before=before)


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
    change, diagnosis = _editable(project, by)
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
    cause = causes.cause(
        "options_scored",
        option=option_key(alternative.pk if alternative else None),
        option_title=alternative.title if alternative else "",
        user=_who(by),
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
        change,
        diagnosis,
        cause=cause,
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
    change, diagnosis = _editable(assessment.diagnosis.project, by)
    cause = causes.cause("score_removed", user=_who(by))
    before = {"criterion": assessment.criterion_code, "score": assessment.score}
    assessment.delete()
    _record(change, diagnosis, cause=cause, action="diagnosis.assessment.removed", before=before)
