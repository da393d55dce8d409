"""Helpers the diagnosis pages share: the project fetch and the edit check, the frozen
redirect, side labels, the radar chart, cell labels, summary and criterion rows."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from reciproca.core.exceptions import DomainError
from reciproca.core.forms import add_refusal
from reciproca.diagnosis import policies
from reciproca.diagnosis.charts import radar_svg
from reciproca.diagnosis.gates import side_name
from reciproca.diagnosis.models import (
    Assessment,
    Dimension,
    Direction,
    Directness,
    Horizon,
    Side,
)
from reciproca.diagnosis.queries import DiagnosisPage, Option
from reciproca.partnerships.models import Organisation
from reciproca.projects.models import Project
from reciproca.projects.policies import get_project_for


def _is_htmx(request: HttpRequest) -> bool:
    # django-htmx's middleware sets `request.htmx` (falsy without the HX-Request header).
    return bool(getattr(request, "htmx", False))


def _project(request: HttpRequest, project_pk: int) -> Project:
    return get_project_for(request.user, project_pk)


def _require_edit(request: HttpRequest, project: Project) -> None:
    if not policies.can_edit_diagnosis(request.user, project):
        raise PermissionDenied


def _frozen(request: HttpRequest, project: Project) -> HttpResponse | None:
    """Send the user back to the overview with the reason when the diagnosis is frozen."""
    reason = policies.frozen_reason(project)
    if not reason:
        return None
    messages.error(request, reason)
    return redirect("diagnosis:overview", project_pk=project.pk)


def _overview_url(project: Project, anchor: str = "") -> str:
    return reverse("diagnosis:overview", args=[project.pk]) + anchor


def _add_errors(form: Any, error: DomainError, current: Any = None) -> None:
    add_refusal(form, error, current)


def _side_labels(project: Project) -> dict[str, str]:
    return {
        Side.PARTNER: _("%(name)s (territoire partenaire)")
        % {"name": side_name(project, Side.PARTNER)},
        Side.HOST: _("%(name)s (territoire de la collectivité)")
        % {"name": side_name(project, Side.HOST)},
    }


def _organisations(project: Project) -> Any:
    return Organisation.objects.filter(project_roles__project=project).order_by("name").distinct()


def _option_or_404(page: DiagnosisPage, slug: str) -> Option:
    option = page.option(slug)
    if option is None:
        raise Http404
    return option


def _radar(
    page: DiagnosisPage, options: list[Option] | None = None, *, title: str = ""
) -> SafeString:
    series, axes = page.radar(options)
    # The SVG is built from escaped text only (see charts.radar_svg).
    return mark_safe(radar_svg(series, axes, title=title))  # noqa: S308


def _cell_label(
    project: Project, option: Option, side: str, dimension: str, directness: str, horizon: str
) -> str:
    return _("%(dimension)s, %(directness)s, %(horizon)s — %(territory)s") % {
        "dimension": str(Dimension(dimension).label).capitalize(),
        "directness": Directness(directness).label,
        "horizon": Horizon(horizon).label,
        "territory": side_name(project, side),
    }


@dataclass
class SummaryRow:
    dimension: Dimension
    counts: list[tuple[Side, dict[str, int], int]]  # side, counts per direction, blank cells


def _summary(page: DiagnosisPage, option: Option) -> list[SummaryRow]:
    per_side = len(page.axes.kinds) * len(page.axes.horizons)
    rows = []
    for dimension in (Dimension(d) for d in page.axes.dimensions):
        counts = []
        for side in (Side.PARTNER, Side.HOST):
            c = option.counts(dimension, side)
            counts.append((side, c, per_side - sum(c.values())))
        rows.append(SummaryRow(dimension=dimension, counts=counts))
    return rows


@dataclass
class CriterionRow:
    code: str
    name: str
    group: str
    per_option: list[tuple[Option, float | None, list[Assessment]]]


def _criterion_rows(page: DiagnosisPage, options: list[Option]) -> list[CriterionRow]:
    return [
        CriterionRow(
            code=c.code,
            name=c.name,
            group=str(c.group),
            per_option=[(o, o.mean_score(c.code), o.scores.get(c.code, [])) for o in options],
        )
        for c in page.criteria
    ]


def _base_context(page: DiagnosisPage) -> dict[str, Any]:
    return {
        "page": page,
        "project": page.project,
        "side_labels": _side_labels(page.project),
        "partner_name": side_name(page.project, Side.PARTNER),
        "host_name": side_name(page.project, Side.HOST),
        "directions": list(Direction),
    }


def _simple_post(
    request: HttpRequest, project: Project, action: Callable[[], Any], done: str, anchor: str
) -> HttpResponse:
    _require_edit(request, project)
    try:
        action()
    except DomainError as error:
        messages.error(request, "\n".join([_("La modification est refusée :"), *error.reasons]))
    else:
        messages.success(request, done)
    return redirect(_overview_url(project, anchor))
