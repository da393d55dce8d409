"""The impact matrix (PRJ-3, PRJ-13) and the responses to negative impacts (PRJ-6)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from reciproca.core.exceptions import DomainError
from reciproca.core.versioning import check_revision
from reciproca.diagnosis import causes, grid
from reciproca.diagnosis.models import (
    Alternative,
    Dimension,
    Direction,
    Directness,
    Horizon,
    ImpactCell,
    ImpactResponse,
    Level,
    Side,
)
from reciproca.diagnosis.services.base import (
    _editable,
    _option,
    _record,
    _who,
)
from reciproca.diagnosis.versions import describe_cell, option_key
from reciproca.partnerships.models import Organisation
from reciproca.projects.models import Project

# --- the impact matrix (PRJ-3, PRJ-13) and responses (PRJ-6) ----------------------------------


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
    revision: int | None = None,
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
    check_revision(cell, revision, by=by)
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
        check_revision(cell, revision, by=by)
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
    revision: int | None = None,
) -> ImpactResponse:
    project = response.cell.diagnosis.project
    change, diagnosis = _editable(project, by)
    response = ImpactResponse.objects.select_related("cell__alternative").get(pk=response.pk)
    check_revision(response, revision, by=by)
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
