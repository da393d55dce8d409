"""The version history of the diagnosis."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from reciproca.diagnosis import queries
from reciproca.diagnosis.versions import diff
from reciproca.diagnosis.views._shared import (
    _base_context,
    _project,
)

# --- versions ---------------------------------------------------------------------------------


@dataclass
class VersionRow:
    number: int
    version: Any
    signoffs: list[Any]
    changes: list[Any]
    is_current: bool


@login_required
@require_GET
def versions(request: HttpRequest, project_pk: int) -> HttpResponse:
    """Every version of the diagnosis: who opened it and why, who signed it (and when that
    was withdrawn), and what changed from the version before."""
    project = _project(request, project_pk)
    page = queries.diagnosis_page(project, request.user)
    rows: list[VersionRow] = []
    if page.diagnosis is not None:
        versions_list = queries.versions(page.diagnosis)
        signoffs = queries.signoffs_by_version(page.diagnosis)
        names = {c.code: c.name for c in page.criteria}
        by_number = {v.number: v for v in versions_list}
        for version in versions_list:
            previous = by_number.get(version.number - 1)
            rows.append(
                VersionRow(
                    number=version.number,
                    version=version,
                    signoffs=signoffs.get(version.number, []),
                    changes=diff(
                        previous.snapshot if previous else {},
                        version.snapshot,
                        criterion_names=names,
                    )
                    if previous
                    else [],
                    is_current=version.number == page.diagnosis.version,
                )
            )
    return render(request, "diagnosis/versions.html", _base_context(page) | {"rows": rows})
