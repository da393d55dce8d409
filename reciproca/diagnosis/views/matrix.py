"""The impact matrix (cell by cell, inline with HTMX) and the responses to negative
impacts."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from reciproca.core.exceptions import DomainError
from reciproca.core.forms import refusal_status
from reciproca.diagnosis import queries, services
from reciproca.diagnosis.forms import (
    CellForm,
    ResponseForm,
)
from reciproca.diagnosis.gates import side_name
from reciproca.diagnosis.models import (
    Dimension,
    Directness,
    Horizon,
    ImpactCell,
    ImpactResponse,
    Side,
)
from reciproca.diagnosis.queries import DiagnosisPage, Option
from reciproca.diagnosis.views._shared import (
    _add_errors,
    _base_context,
    _cell_label,
    _frozen,
    _is_htmx,
    _option_or_404,
    _organisations,
    _overview_url,
    _project,
    _require_edit,
    _simple_post,
    _summary,
)
from reciproca.projects.models import Project


@dataclass
class MatrixCell:
    horizon: Horizon
    cell: ImpactCell | None
    dom_id: str
    edit_url: str
    label: str


@dataclass
class MatrixRow:
    directness: Directness
    cells: list[MatrixCell]


@dataclass
class MatrixSide:
    side: Side
    name: str
    groups: list[tuple[Dimension, list[MatrixRow]]]


def _cell_dom_id(option: Option, side: str, dimension: str, directness: str, horizon: str) -> str:
    return f"case-{option.slug}-{side}-{dimension}-{directness}-{horizon}".lower()


def _cell_url(
    project: Project, option: Option, side: str, dimension: str, directness: str, horizon: str
) -> str:
    return reverse(
        "diagnosis:cell",
        args=[
            project.pk,
            option.slug,
            side.lower(),
            dimension.lower(),
            directness.lower(),
            horizon.lower(),
        ],
    )


def _matrix_sides(page: DiagnosisPage, option: Option) -> list[MatrixSide]:
    project = page.project
    result = []
    for side in (Side.PARTNER, Side.HOST):
        groups = []
        for dimension in (Dimension(d) for d in page.axes.dimensions):
            rows = [
                MatrixRow(
                    directness=directness,
                    cells=[
                        MatrixCell(
                            horizon=Horizon(h),
                            cell=option.cell(side, dimension, directness, h),
                            dom_id=_cell_dom_id(option, side, dimension, directness, h),
                            edit_url=_cell_url(project, option, side, dimension, directness, h),
                            label=_cell_label(project, option, side, dimension, directness, h),
                        )
                        for h in page.axes.horizons
                    ],
                )
                for directness in (Directness(k) for k in page.axes.kinds)
            ]
            groups.append((dimension, rows))
        result.append(MatrixSide(side=side, name=side_name(project, side), groups=groups))
    return result


# --- the impact matrix ------------------------------------------------------------------------


@login_required
@require_GET
def matrix(
    request: HttpRequest, project_pk: int, option: str = queries.PROPOSAL_SLUG
) -> HttpResponse:
    project = _project(request, project_pk)
    page = queries.diagnosis_page(project, request.user)
    chosen = _option_or_404(page, option)
    context = _base_context(page) | {
        "option": chosen,
        "sides": _matrix_sides(page, chosen),
        "horizons": [Horizon(h) for h in page.axes.horizons],
        "summary": _summary(page, chosen),
    }
    return render(request, "diagnosis/matrix.html", context)


def _coordinates(
    side: str, dimension: str, directness: str, horizon: str
) -> tuple[str, str, str, str]:
    values = (side.upper(), dimension.upper(), directness.upper(), horizon.upper())
    for value, choices in zip(values, (Side, Dimension, Directness, Horizon), strict=True):
        if value not in choices.values:
            raise Http404
    return values


@login_required
@require_http_methods(["GET", "POST"])
def cell_edit(
    request: HttpRequest,
    project_pk: int,
    option: str,
    side: str,
    dimension: str,
    directness: str,
    horizon: str,
) -> HttpResponse:
    """One cell of the matrix: a form page, or (with HTMX) a form swapped into the table."""
    project = _project(request, project_pk)
    coordinates = _coordinates(side, dimension, directness, horizon)
    page = queries.diagnosis_page(project, request.user)
    chosen = _option_or_404(page, option)
    cell = chosen.cell(*coordinates)
    matrix_url = (
        reverse("diagnosis:matrix", args=[project.pk, chosen.slug])
        + "#"
        + _cell_dom_id(chosen, *coordinates)
    )
    context = _base_context(page) | {
        "option": chosen,
        "cell": cell,
        "label": _cell_label(page.project, chosen, *coordinates),
        "dom_id": _cell_dom_id(chosen, *coordinates),
        "edit_url": _cell_url(page.project, chosen, *coordinates),
        "matrix_url": matrix_url,
    }
    if request.method == "GET" and request.GET.get("vue") == "case":
        return render(request, "diagnosis/_cell.html", context)
    _require_edit(request, project)
    if not page.can_edit:
        if _is_htmx(request):
            # 422 is swapped into the page by htmx (base.html's responseHandling): the cell
            # shows why it cannot change.
            return render(
                request, "diagnosis/_cell.html", context | {"error": page.frozen_reason}, status=422
            )
        return _frozen(request, project) or redirect(matrix_url)
    status = 200
    if request.method == "POST":
        form = CellForm(request.POST, auto_id=f"{context['dom_id']}-%s")
        if form.is_valid():
            data = form.cleaned_data
            try:
                cell = services.set_impact_cell(
                    project=project,
                    by=request.user,
                    side=coordinates[0],
                    dimension=coordinates[1],
                    directness=coordinates[2],
                    horizon=coordinates[3],
                    direction=data["direction"],
                    magnitude=data["magnitude"],
                    likelihood=data["likelihood"],
                    justification=data["justification"],
                    alternative=chosen.alternative,
                    revision=data["revision"],
                )
            except DomainError as error:
                _add_errors(form, error)
            else:
                if _is_htmx(request):
                    cell = ImpactCell.objects.select_related(
                        "author_organisation", "updated_by"
                    ).get(pk=cell.pk)
                    return render(
                        request,
                        "diagnosis/_cell.html",
                        context | {"cell": cell, "saved": True, "can_edit": True},
                    )
                messages.success(
                    request, _("La case « %(cell)s » est enregistrée.") % {"cell": context["label"]}
                )
                return redirect(matrix_url)
        status = refusal_status(form)
    else:
        form = CellForm(initial=CellForm.initial_from(cell), auto_id=f"{context['dom_id']}-%s")
    context["form"] = form
    template = "diagnosis/_cell_form.html" if _is_htmx(request) else "diagnosis/cell_form.html"
    return render(request, template, context, status=status)


# --- responses to negative impacts ------------------------------------------------------------


def _response_form_page(
    request: HttpRequest, project: Project, cell: ImpactCell, response: ImpactResponse | None
) -> HttpResponse:
    _require_edit(request, project)
    if (frozen := _frozen(request, project)) is not None:
        return frozen
    organisations = _organisations(project)
    status = 200
    if request.method == "POST":
        form = ResponseForm(request.POST, organisations=organisations)
        if form.is_valid():
            data = dict(form.cleaned_data)
            revision = data.pop("revision")
            try:
                if response is None:
                    services.add_response(cell=cell, by=request.user, **data)
                    messages.success(request, _("La réponse à l'impact négatif est enregistrée."))
                else:
                    services.update_response(
                        response=response, by=request.user, revision=revision, **data
                    )
                    messages.success(request, _("La réponse est modifiée."))
            except DomainError as error:
                _add_errors(form, error)
            else:
                return redirect(_overview_url(project, "#reponses"))
        status = refusal_status(form)
    elif response is None:
        form = ResponseForm(organisations=organisations, initial={"revision": 0})
    else:
        form = ResponseForm(
            organisations=organisations, initial=ResponseForm.initial_from(response)
        )
    option = Option(key="", alternative=cell.alternative, title="")
    return render(
        request,
        "diagnosis/response_form.html",
        {
            "project": project,
            "form": form,
            "cell": cell,
            "response": response,
            "label": _cell_label(project, option, *cell.coordinates),
        },
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def response_create(request: HttpRequest, project_pk: int, cell_pk: int) -> HttpResponse:
    project = _project(request, project_pk)
    cell = get_object_or_404(
        ImpactCell.objects.select_related("diagnosis", "alternative"),
        pk=cell_pk,
        diagnosis__project=project,
    )
    cell.diagnosis.project = project
    return _response_form_page(request, project, cell, None)


def _response(project: Project, response_pk: int) -> ImpactResponse:
    response = get_object_or_404(
        ImpactResponse.objects.select_related("cell__diagnosis", "cell__alternative"),
        pk=response_pk,
        cell__diagnosis__project=project,
    )
    response.cell.diagnosis.project = project
    return response


@login_required
@require_http_methods(["GET", "POST"])
def response_edit(request: HttpRequest, project_pk: int, response_pk: int) -> HttpResponse:
    project = _project(request, project_pk)
    response = _response(project, response_pk)
    return _response_form_page(request, project, response.cell, response)


@login_required
@require_POST
def response_delete(request: HttpRequest, project_pk: int, response_pk: int) -> HttpResponse:
    project = _project(request, project_pk)
    response = _response(project, response_pk)
    return _simple_post(
        request,
        project,
        lambda: services.remove_response(response=response, by=request.user),
        _("La réponse est supprimée."),
        "#reponses",
    )
