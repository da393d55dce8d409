"""Snapshots of a diagnosis (the content of one version, as JSON) and the differences between
two of them, so the history says what changed from one version to the next.

Snapshots keep codes and names, not translated labels: the differences are worded in the
reader's language when they are shown.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import Prefetch, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from reciproca.diagnosis.models import (
    Alternative,
    Assessment,
    Diagnosis,
    DiagnosisVersion,
    Dimension,
    Direction,
    Directness,
    Horizon,
    ImpactCell,
    ImpactResponse,
    Need,
    ResponseKind,
    Side,
)
from reciproca.projects.models import Project, ProjectMarker

PROPOSAL = "proposal"


def option_key(alternative_id: int | None) -> str:
    return PROPOSAL if alternative_id is None else str(alternative_id)


def _cell_key(cell: ImpactCell) -> str:
    return "|".join(
        (option_key(cell.alternative_id), cell.side, cell.dimension, cell.directness, cell.horizon)
    )


def snapshot(diagnosis: Diagnosis) -> dict[str, Any]:
    """Everything the partners sign when they validate this diagnosis (a fixed number of
    queries, whatever the number of needs, cells or assessors)."""
    project = (
        Project.objects.filter(pk=diagnosis.project_id)
        .prefetch_related(
            "themes",
            "sdg_targets",
            "purpose_codes",
            "services",
            "elected_officials",
            Prefetch(
                "markers", queryset=ProjectMarker.objects.select_related("marker", "significance")
            ),
        )
        .get()
    )
    needs = Need.objects.filter(diagnosis=diagnosis).select_related("author_organisation")
    alternatives = Alternative.objects.filter(diagnosis=diagnosis)
    cells = (
        ImpactCell.objects.filter(diagnosis=diagnosis)
        .select_related("author_organisation")
        .prefetch_related(
            Prefetch(
                "responses", queryset=ImpactResponse.objects.select_related("owner_organisation")
            )
        )
    )
    assessments = Assessment.objects.filter(diagnosis=diagnosis).select_related("assessor")
    cell_list = list(cells)
    return {
        "version": diagnosis.version,
        "project": {
            "title": project.title,
            "summary": project.summary,
            "objectives": project.objectives,
            "themes": sorted(t.code for t in project.themes.all()),
            "sdg_targets": sorted(t.code for t in project.sdg_targets.all()),
            "purpose_codes": sorted(c.code for c in project.purpose_codes.all()),
            "markers": {m.marker.code: m.significance.code for m in project.markers.all()},
            "services": sorted(s.name for s in project.services.all()),
            "elected_officials": sorted(e.full_name for e in project.elected_officials.all()),
        },
        "needs": {
            str(n.pk): {
                "side": n.side,
                "title": n.title,
                "description": n.description,
                "population_concerned": n.population_concerned,
                "evidence": n.evidence,
                "author_organisation": str(n.author_organisation),
            }
            for n in needs
        },
        "alternatives": {
            str(a.pk): {
                "title": a.title,
                "description": a.description,
                "is_do_nothing": a.is_do_nothing,
            }
            for a in alternatives
        },
        "cells": {
            _cell_key(c): {
                "direction": c.direction,
                "magnitude": c.magnitude,
                "likelihood": c.likelihood,
                "justification": c.justification,
                "author_organisation": str(c.author_organisation or ""),
            }
            for c in cell_list
        },
        "responses": {
            str(r.pk): {
                "cell": _cell_key(c),
                "kind": r.kind,
                "description": r.description,
                "owner": r.owner_label,
                "due_date": r.due_date.isoformat(),
            }
            for c in cell_list
            for r in c.responses.all()
        },
        "assessments": {
            f"{option_key(a.alternative_id)}|{a.criterion_code}|{a.assessor_id}": {
                "score": a.score,
                "justification": a.justification,
                "assessor": str(a.assessor),
            }
            for a in assessments
        },
        "reversibility_statement": diagnosis.reversibility_statement,
    }


def build_snapshot(diagnosis: Diagnosis) -> dict[str, Any]:
    """Store the content as it is now in the current version's snapshot (a fixed number of
    queries). Call it where the project row is locked (the writes' transaction), or through
    `build_pending_snapshots`, which takes that lock."""
    content = snapshot(diagnosis)
    DiagnosisVersion.objects.filter(diagnosis=diagnosis, number=diagnosis.version).update(
        snapshot=content, updated_at=timezone.now()
    )
    if diagnosis.snapshot_pending:
        Diagnosis.objects.filter(pk=diagnosis.pk).update(snapshot_pending=False)
        diagnosis.snapshot_pending = False
    return content


def build_pending_snapshots(diagnoses: QuerySet[Diagnosis]) -> int:
    """Build the snapshots that writes left pending among `diagnoses`, before they are read:
    one query when none is pending. Each is built under the project's row lock, the one every
    write takes first, so a write cannot slip between reading the content and clearing the
    flag. Returns how many were built."""
    pending = list(diagnoses.filter(snapshot_pending=True).values_list("pk", "project_id"))
    for pk, project_id in pending:
        with transaction.atomic():
            Project.objects.select_for_update().filter(pk=project_id).values_list("pk").first()
            diagnosis = Diagnosis.objects.filter(pk=pk, snapshot_pending=True).first()
            if diagnosis is not None:
                build_snapshot(diagnosis)
    return len(pending)


@dataclass(frozen=True)
class Change:
    """One difference between two versions, worded for the reader."""

    kind: str  # added | changed | removed
    what: str


def _option_label(key: str, alternatives: dict[str, Any]) -> str:
    if key == PROPOSAL:
        return _("proposition")
    title = (alternatives.get(key) or {}).get("title") or key
    return _("alternative « %(title)s »") % {"title": title}


def describe_cell(key: str, alternatives: dict[str, Any]) -> str:
    option, side, dimension, directness, horizon = key.split("|")
    return _("case « %(dimension)s · %(directness)s · %(horizon)s » (%(side)s, %(option)s)") % {
        "dimension": Dimension(dimension).label,
        "directness": Directness(directness).label,
        "horizon": Horizon(horizon).label,
        "side": Side(side).label,
        "option": _option_label(option, alternatives),
    }


def _keyed(old: dict[str, Any], new: dict[str, Any], label: Any) -> list[Change]:
    changes: list[Change] = []
    for key in new.keys() - old.keys():
        changes.append(Change("added", label(key, new[key])))
    for key in old.keys() & new.keys():
        if old[key] != new[key]:
            changes.append(Change("changed", label(key, new[key])))
    for key in old.keys() - new.keys():
        changes.append(Change("removed", label(key, old[key])))
    return sorted(changes, key=lambda c: (c.what, c.kind))


def diff(
    old: dict[str, Any], new: dict[str, Any], *, criterion_names: dict[str, str] | None = None
) -> list[Change]:
    """What changed from `old` to `new` (two snapshots); empty when nothing did.

    `criterion_names` words the grid's criteria (their codes otherwise).
    """
    names = criterion_names or {}
    alternatives = {**(old.get("alternatives") or {}), **(new.get("alternatives") or {})}
    changes: list[Change] = []
    old_project, new_project = old.get("project") or {}, new.get("project") or {}
    project_labels = {
        "title": _("intitulé du projet"),
        "summary": _("résumé du projet"),
        "objectives": _("objectifs du projet"),
        "themes": _("thèmes prioritaires"),
        "sdg_targets": _("cibles ODD"),
        "purpose_codes": _("codes-objet CAD"),
        "markers": _("marqueurs CAD"),
        "services": _("services impliqués"),
        "elected_officials": _("élus impliqués"),
    }
    for name, label in project_labels.items():
        if old_project.get(name) != new_project.get(name):
            changes.append(Change("changed", label))
    changes += _keyed(
        old.get("needs") or {},
        new.get("needs") or {},
        lambda key, value: _("besoin « %(title)s »") % {"title": value["title"]},
    )
    changes += _keyed(
        old.get("alternatives") or {},
        new.get("alternatives") or {},
        lambda key, value: _("alternative « %(title)s »") % {"title": value["title"]},
    )

    def cell_label(key: str, value: dict[str, Any]) -> str:
        return f"{describe_cell(key, alternatives)} : {Direction(value['direction']).label}"

    changes += _keyed(old.get("cells") or {}, new.get("cells") or {}, cell_label)

    def response_label(key: str, value: dict[str, Any]) -> str:
        return _("réponse « %(kind)s » à la %(cell)s") % {
            "kind": ResponseKind(value["kind"]).label,
            "cell": describe_cell(value["cell"], alternatives),
        }

    changes += _keyed(old.get("responses") or {}, new.get("responses") or {}, response_label)

    def assessment_label(key: str, value: dict[str, Any]) -> str:
        option, criterion, _assessor = key.split("|", 2)
        return _("note de %(assessor)s sur le critère « %(criterion)s » (%(option)s)") % {
            "assessor": value["assessor"],
            "criterion": names.get(criterion, criterion),
            "option": _option_label(option, alternatives),
        }

    changes += _keyed(old.get("assessments") or {}, new.get("assessments") or {}, assessment_label)
    if (old.get("reversibility_statement") or "") != (new.get("reversibility_statement") or ""):
        changes.append(Change("changed", _("énoncé de réversibilité et de sortie")))
    return changes
