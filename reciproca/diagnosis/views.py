"""The shared diagnosis pages: overview, needs, impact matrix (cell by cell, inline with HTMX),
responses, alternatives and their comparison, the sustainable-development grid, commitments,
cross-cutting involvement, sign-offs, versions and the charter conformity report.

Every view fetches the project with `projects.policies.get_project_for` (404 for what the user
cannot see), checks the diagnosis policy (403 when visible but not allowed), makes one service
call and turns a `DomainError` into a message or form errors. Forms work without JavaScript;
with HTMX the matrix cells are edited in place.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from reciproca.charter import engine
from reciproca.core.exceptions import DomainError
from reciproca.diagnosis import conformity, policies, queries, services
from reciproca.diagnosis.charts import radar_svg
from reciproca.diagnosis.forms import (
    AlternativeForm,
    CellForm,
    CommitmentsForm,
    GridForm,
    InvolvementForm,
    NeedForm,
    ResponseForm,
    ReversibilityForm,
    ThemesForm,
    WithdrawSignOffForm,
    split_codes,
)
from reciproca.diagnosis.gates import side_name
from reciproca.diagnosis.models import (
    Alternative,
    Assessment,
    Diagnosis,
    Dimension,
    Direction,
    Directness,
    Horizon,
    ImpactCell,
    ImpactResponse,
    Need,
    Side,
)
from reciproca.diagnosis.queries import DiagnosisPage, Option
from reciproca.diagnosis.versions import diff
from reciproca.partnerships.models import Organisation
from reciproca.projects.models import Project, Stage
from reciproca.projects.policies import get_project_for
from reciproca.reference.models import PolicyMarker, PolicySignificance, PurposeCode, SdgTarget

# --- shared helpers ---------------------------------------------------------------------------


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


def _add_errors(form: Any, error: DomainError) -> None:
    for reason in error.reasons:
        form.add_error(None, reason)


def _side_labels(project: Project) -> dict[str, str]:
    return {
        Side.PARTNER: _("%(name)s (territoire partenaire)")
        % {"name": side_name(project, Side.PARTNER)},
        Side.HOST: _("%(name)s (territoire du département)")
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


def _cell_label(
    project: Project, option: Option, side: str, dimension: str, directness: str, horizon: str
) -> str:
    return _("%(dimension)s, %(directness)s, %(horizon)s — %(territory)s") % {
        "dimension": str(Dimension(dimension).label).capitalize(),
        "directness": Directness(directness).label,
        "horizon": Horizon(horizon).label,
        "territory": side_name(project, side),
    }


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


def _submit_checklist(project: Project) -> list[conformity.ConditionResult]:
    """The conditions of "submit for decision", each met or not (same engine as the gate)."""
    try:
        gate = engine.gate("submit_for_decision")
    except engine.CharterNotLoaded:
        return []
    return [
        conformity.ConditionResult(
            check=c.check,
            label=c.label,
            transition="submit_for_decision",
            transition_label="",
            reasons=conformity.evaluate_condition(c, project),
            is_planned=c.is_planned,
            evidence_url=conformity.evidence_url(c.check, project),
        )
        for c in gate
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


# --- the overview -----------------------------------------------------------------------------


@login_required
@require_GET
def overview(request: HttpRequest, project_pk: int) -> HttpResponse:
    project = _project(request, project_pk)
    page = queries.diagnosis_page(project, request.user)
    project = page.project
    labels = _side_labels(project)
    context = _base_context(page) | {
        "need_columns": [
            (side, labels[side], page.needs_of(side)) for side in (Side.PARTNER, Side.HOST)
        ],
        "negatives": [
            {
                "cell": cell,
                "label": _cell_label(project, page.proposal, *cell.coordinates),
                "add_url": reverse("diagnosis:response_create", args=[project.pk, cell.pk]),
            }
            for cell in page.proposal.negative_cells
        ],
        "summary": _summary(page, page.proposal),
        "criterion_rows": _criterion_rows(page, [page.proposal]),
        "score_options": [page.proposal],
        "radar": _radar(
            page, title=_("Grille de développement durable : proposition et alternatives")
        ),
        "checklist": _submit_checklist(project)
        if project.stage in (Stage.IDEA, Stage.DIAGNOSIS)
        else [],
        "suggestions": queries.suggestions(project),
        "withdraw_form": WithdrawSignOffForm(),
        "project_url": reverse("projects:detail", args=[project.pk]),
    }
    return render(request, "diagnosis/overview.html", context)


# --- needs ------------------------------------------------------------------------------------


def _need_form_page(request: HttpRequest, project: Project, need: Need | None) -> HttpResponse:
    _require_edit(request, project)
    if (response := _frozen(request, project)) is not None:
        return response
    organisations = _organisations(project)
    labels = _side_labels(project)
    status = 200
    if request.method == "POST":
        form = NeedForm(request.POST, organisations=organisations, side_labels=labels)
        if form.is_valid():
            data = form.cleaned_data
            try:
                if need is None:
                    services.add_need(
                        project=project,
                        by=request.user,
                        side=data["side"],
                        title=data["title"],
                        population_concerned=data["population_concerned"],
                        evidence=data["evidence"],
                        description=data["description"],
                        author_organisation=data["author_organisation"],
                    )
                    messages.success(request, _("Le besoin est ajouté au diagnostic."))
                else:
                    services.update_need(need=need, by=request.user, **data)
                    messages.success(request, _("Le besoin est modifié."))
            except DomainError as error:
                _add_errors(form, error)
            else:
                return redirect(_overview_url(project, "#besoins"))
        status = 422
    elif need is None:
        form = NeedForm(
            organisations=organisations,
            side_labels=labels,
            initial={
                "author_organisation": getattr(request.user, "organisation_id", None),
                "side": request.GET.get("territoire", "").upper() or None,
            },
        )
    else:
        form = NeedForm(
            organisations=organisations,
            side_labels=labels,
            initial={
                "side": need.side,
                "title": need.title,
                "population_concerned": need.population_concerned,
                "evidence": need.evidence,
                "description": need.description,
                "author_organisation": need.author_organisation_id,
            },
        )
    return render(
        request,
        "diagnosis/need_form.html",
        {"project": project, "form": form, "need": need},
        status=status,
    )


def _need(project: Project, need_pk: int) -> Need:
    return get_object_or_404(
        Need.objects.select_related("diagnosis", "author_organisation"),
        pk=need_pk,
        diagnosis__project=project,
    )


@login_required
@require_http_methods(["GET", "POST"])
def need_create(request: HttpRequest, project_pk: int) -> HttpResponse:
    return _need_form_page(request, _project(request, project_pk), None)


@login_required
@require_http_methods(["GET", "POST"])
def need_edit(request: HttpRequest, project_pk: int, need_pk: int) -> HttpResponse:
    project = _project(request, project_pk)
    need = _need(project, need_pk)
    need.diagnosis.project = project
    return _need_form_page(request, project, need)


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


@login_required
@require_POST
def need_delete(request: HttpRequest, project_pk: int, need_pk: int) -> HttpResponse:
    project = _project(request, project_pk)
    need = _need(project, need_pk)
    need.diagnosis.project = project
    return _simple_post(
        request,
        project,
        lambda: services.remove_need(need=need, by=request.user),
        _("Le besoin est supprimé."),
        "#besoins",
    )


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
        status = 422
    else:
        initial = (
            {
                "direction": cell.direction,
                "magnitude": cell.magnitude,
                "likelihood": cell.likelihood,
                "justification": cell.justification,
            }
            if cell
            else {}
        )
        form = CellForm(initial=initial, auto_id=f"{context['dom_id']}-%s")
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
            data = form.cleaned_data
            try:
                if response is None:
                    services.add_response(cell=cell, by=request.user, **data)
                    messages.success(request, _("La réponse à l'impact négatif est enregistrée."))
                else:
                    services.update_response(response=response, by=request.user, **data)
                    messages.success(request, _("La réponse est modifiée."))
            except DomainError as error:
                _add_errors(form, error)
            else:
                return redirect(_overview_url(project, "#reponses"))
        status = 422
    elif response is None:
        form = ResponseForm(organisations=organisations)
    else:
        form = ResponseForm(
            organisations=organisations,
            initial={
                "kind": response.kind,
                "description": response.description,
                "owner_organisation": response.owner_organisation_id,
                "owner_name": response.owner_name,
                "due_date": response.due_date,
            },
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


# --- alternatives and reversibility -----------------------------------------------------------


def _alternative(project: Project, alternative_pk: int) -> Alternative:
    alternative = get_object_or_404(
        Alternative.objects.select_related("diagnosis"),
        pk=alternative_pk,
        diagnosis__project=project,
    )
    alternative.diagnosis.project = project
    return alternative


def _alternative_form_page(
    request: HttpRequest, project: Project, alternative: Alternative | None
) -> HttpResponse:
    _require_edit(request, project)
    if (frozen := _frozen(request, project)) is not None:
        return frozen
    status = 200
    if request.method == "POST":
        form = AlternativeForm(request.POST)
        if form.is_valid():
            try:
                if alternative is None:
                    created = services.add_alternative(
                        project=project, by=request.user, **form.cleaned_data
                    )
                    messages.success(
                        request,
                        _(
                            "L'alternative « %(title)s » est ajoutée : évaluez-la sur la "
                            "matrice et la grille."
                        )
                        % {"title": created.title},
                    )
                else:
                    services.update_alternative(
                        alternative=alternative, by=request.user, **form.cleaned_data
                    )
                    messages.success(request, _("L'alternative est modifiée."))
            except DomainError as error:
                _add_errors(form, error)
            else:
                return redirect(_overview_url(project, "#alternatives"))
        status = 422
    elif alternative is None:
        form = AlternativeForm()
    else:
        form = AlternativeForm(
            initial={
                "title": alternative.title,
                "description": alternative.description,
                "is_do_nothing": alternative.is_do_nothing,
            }
        )
    return render(
        request,
        "diagnosis/alternative_form.html",
        {"project": project, "form": form, "alternative": alternative},
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def alternative_create(request: HttpRequest, project_pk: int) -> HttpResponse:
    return _alternative_form_page(request, _project(request, project_pk), None)


@login_required
@require_http_methods(["GET", "POST"])
def alternative_edit(request: HttpRequest, project_pk: int, alternative_pk: int) -> HttpResponse:
    project = _project(request, project_pk)
    return _alternative_form_page(request, project, _alternative(project, alternative_pk))


@login_required
@require_POST
def alternative_delete(request: HttpRequest, project_pk: int, alternative_pk: int) -> HttpResponse:
    project = _project(request, project_pk)
    alternative = _alternative(project, alternative_pk)
    return _simple_post(
        request,
        project,
        lambda: services.remove_alternative(alternative=alternative, by=request.user),
        _("L'alternative est supprimée."),
        "#alternatives",
    )


@login_required
@require_http_methods(["GET", "POST"])
def reversibility(request: HttpRequest, project_pk: int) -> HttpResponse:
    project = _project(request, project_pk)
    _require_edit(request, project)
    if (frozen := _frozen(request, project)) is not None:
        return frozen
    status = 200
    if request.method == "POST":
        form = ReversibilityForm(request.POST)
        if form.is_valid():
            try:
                services.set_reversibility_statement(
                    project=project, by=request.user, text=form.cleaned_data["text"]
                )
            except DomainError as error:
                _add_errors(form, error)
            else:
                messages.success(
                    request, _("L'énoncé de réversibilité et de sortie est enregistré.")
                )
                return redirect(_overview_url(project, "#alternatives"))
        status = 422
    else:
        diagnosis = Diagnosis.objects.filter(project=project).first()
        form = ReversibilityForm(
            initial={"text": diagnosis.reversibility_statement if diagnosis else ""}
        )
    return render(
        request,
        "diagnosis/reversibility_form.html",
        {"project": project, "form": form},
        status=status,
    )


@login_required
@require_GET
def compare(request: HttpRequest, project_pk: int) -> HttpResponse:
    """The proposal and every alternative side by side: matrix counts, grid scores, radar."""
    project = _project(request, project_pk)
    page = queries.diagnosis_page(project, request.user)
    dimension_rows = []
    for dimension in (Dimension(d) for d in page.axes.dimensions):
        dimension_rows.append((dimension, [(o, o.counts(dimension)) for o in page.options]))
    context = _base_context(page) | {
        "dimension_rows": dimension_rows,
        "criterion_rows": _criterion_rows(page, page.options),
        "score_options": page.options,
        "radar": _radar(page, title=_("Comparaison sur la grille de développement durable")),
    }
    return render(request, "diagnosis/compare.html", context)


# --- the sustainable-development grid ---------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def grid(
    request: HttpRequest, project_pk: int, option: str = queries.PROPOSAL_SLUG
) -> HttpResponse:
    """Every assessor's score and the mean per criterion; the acting user's own scores form."""
    project = _project(request, project_pk)
    page = queries.diagnosis_page(project, request.user)
    chosen = _option_or_404(page, option)
    mine = {
        code: next((a for a in assessments if a.assessor_id == request.user.pk), None)
        for code, assessments in chosen.scores.items()
    }
    status = 200
    form = None
    if request.method == "POST":
        _require_edit(request, project)
        if (frozen := _frozen(request, project)) is not None:
            return frozen
        form = GridForm(request.POST, criteria=page.criteria)
        if form.is_valid():
            try:
                services.assess_options(
                    project=project,
                    by=request.user,
                    scores=form.scores(),
                    alternative=chosen.alternative,
                )
            except DomainError as error:
                _add_errors(form, error)
            else:
                messages.success(request, _("Vos notes sont enregistrées."))
                return redirect("diagnosis:grid", project_pk=project.pk, option=chosen.slug)
        status = 422
    elif page.can_edit:
        initial: dict[str, Any] = {}
        for code, assessment in mine.items():
            if assessment is not None:
                initial[f"score__{code}"] = assessment.score
                initial[f"justification__{code}"] = assessment.justification
        form = GridForm(criteria=page.criteria, initial=initial)
    context = _base_context(page) | {
        "option": chosen,
        "form": form,
        "criterion_rows": _criterion_rows(page, [chosen]),
        "score_options": [chosen],
        "radar": _radar(
            page,
            [chosen],
            title=_("Grille de développement durable : %(option)s") % {"option": chosen.title},
        ),
    }
    return render(request, "diagnosis/grid.html", context, status=status)


@login_required
@require_POST
def assessment_delete(request: HttpRequest, project_pk: int, assessment_pk: int) -> HttpResponse:
    project = _project(request, project_pk)
    assessment = get_object_or_404(
        Assessment.objects.select_related("diagnosis", "alternative"),
        pk=assessment_pk,
        diagnosis__project=project,
    )
    assessment.diagnosis.project = project
    if assessment.assessor_id != request.user.pk:
        raise PermissionDenied
    slug = str(assessment.alternative_id) if assessment.alternative_id else queries.PROPOSAL_SLUG
    _simple_post(
        request,
        project,
        lambda: services.remove_assessment(assessment=assessment, by=request.user),
        _("Votre note est retirée."),
        "",
    )
    return redirect("diagnosis:grid", project_pk=project.pk, option=slug)


# --- commitments and cross-cutting involvement ------------------------------------------------


def _commitments_forms(
    project: Project, page: DiagnosisPage, data: Any = None, which: str = ""
) -> tuple[ThemesForm, CommitmentsForm]:
    suggestions = queries.suggestions(page.project)
    chosen_targets = {t.code for t in page.project.sdg_targets.all()}
    chosen_codes = {c.code for c in page.project.purpose_codes.all()}
    chosen_markers = {m.marker.code: m.significance.code for m in page.project.markers.all()}
    target_codes = set(suggestions["sdg_targets"]) | chosen_targets
    code_codes = set(suggestions["purpose_codes"]) | chosen_codes
    marker_codes = set(suggestions["policy_markers"]) | set(chosen_markers)
    themes_form = ThemesForm(
        data if which == "themes" else None,
        themes=engine.themes(),
        initial={"themes": [t.pk for t in page.project.themes.all()]},
    )
    commitments_form = CommitmentsForm(
        data if which == "commitments" else None,
        targets=SdgTarget.objects.filter(code__in=target_codes),
        codes=PurposeCode.objects.filter(code__in=code_codes),
        # Every marker can be scored; the suggested ones (and those already set) come first.
        markers=sorted(
            PolicyMarker.objects.filter(is_active=True)
            | PolicyMarker.objects.filter(code__in=marker_codes),
            key=lambda m: (m.code not in marker_codes, m.position, m.code),
        ),
        significances=list(PolicySignificance.objects.all()),
        initial={
            # Before any confirmation, the suggestions come pre-ticked; a person confirms.
            "sdg_targets": list(
                SdgTarget.objects.filter(
                    code__in=chosen_targets or set(suggestions["sdg_targets"])
                ).values_list("pk", flat=True)
            ),
            "purpose_codes": list(
                PurposeCode.objects.filter(
                    code__in=chosen_codes or set(suggestions["purpose_codes"])
                ).values_list("pk", flat=True)
            ),
            **{f"marker__{code}": significance for code, significance in chosen_markers.items()},
        },
    )
    return themes_form, commitments_form


@login_required
@require_http_methods(["GET", "POST"])
def commitments(request: HttpRequest, project_pk: int) -> HttpResponse:
    """Themes, then the SDG targets, markers and purpose codes they suggest, confirmed by a
    person (PRJ-14, PRJ-15)."""
    project = _project(request, project_pk)
    page = queries.diagnosis_page(project, request.user)
    status = 200
    which = request.POST.get("formulaire", "") if request.method == "POST" else ""
    themes_form, commitments_form = _commitments_forms(project, page, request.POST, which)
    if request.method == "POST":
        _require_edit(request, project)
        if (frozen := _frozen(request, project)) is not None:
            return frozen
        try:
            if which == "themes" and themes_form.is_valid():
                services.set_themes(
                    project=project, by=request.user, themes=themes_form.cleaned_data["themes"]
                )
                messages.success(
                    request, _("Les thèmes prioritaires sont enregistrés : voyez les suggestions.")
                )
                return redirect("diagnosis:commitments", project_pk=project.pk)
            if which == "commitments" and commitments_form.is_valid():
                data = commitments_form.cleaned_data
                targets = _with_codes(
                    SdgTarget, list(data["sdg_targets"]), data["other_sdg_targets"]
                )
                codes = _with_codes(
                    PurposeCode, list(data["purpose_codes"]), data["other_purpose_codes"]
                )
                services.confirm_commitments(
                    project=project,
                    by=request.user,
                    sdg_targets=targets,
                    purpose_codes=codes,
                    markers=commitments_form.marker_pairs(),
                )
                messages.success(
                    request, _("Les engagements internationaux du projet sont confirmés.")
                )
                return redirect(_overview_url(project, "#engagements"))
        except DomainError as error:
            _add_errors(themes_form if which == "themes" else commitments_form, error)
        status = 422
    suggestions = queries.suggestions(page.project)
    known = {
        "sdg_targets": set(
            SdgTarget.objects.filter(code__in=suggestions["sdg_targets"]).values_list(
                "code", flat=True
            )
        ),
        "policy_markers": set(
            PolicyMarker.objects.filter(code__in=suggestions["policy_markers"]).values_list(
                "code", flat=True
            )
        ),
        "purpose_codes": set(
            PurposeCode.objects.filter(code__in=suggestions["purpose_codes"]).values_list(
                "code", flat=True
            )
        ),
    }
    context = _base_context(page) | {
        "themes_form": themes_form,
        "form": commitments_form,
        "suggestion_groups": [
            (_("Cibles ODD"), sorted(suggestions["sdg_targets"].items())),
            (
                _("Marqueurs CAD"),
                sorted(suggestions["policy_markers"].items(), key=lambda i: int(i[0])),
            ),
            (_("Codes-objet CAD"), sorted(suggestions["purpose_codes"].items())),
        ],
        "missing_codes": sorted(
            code for key, items in suggestions.items() for code in items if code not in known[key]
        ),
    }
    return render(request, "diagnosis/commitments.html", context, status=status)


def _with_codes(model: Any, chosen: list[Any], extra: str) -> list[Any]:
    codes = split_codes(extra)
    if not codes:
        return chosen
    found = {o.code: o for o in model.objects.filter(code__in=codes)}
    unknown = [c for c in codes if c not in found]
    if unknown:
        raise DomainError(_("Codes inconnus : %(codes)s.") % {"codes": ", ".join(unknown)})
    return list({o.pk: o for o in [*chosen, *found.values()]}.values())


@login_required
@require_http_methods(["GET", "POST"])
def involvement(request: HttpRequest, project_pk: int) -> HttpResponse:
    """The department's services and elected officials involved (PRJ-13)."""
    project = _project(request, project_pk)
    _require_edit(request, project)
    if (frozen := _frozen(request, project)) is not None:
        return frozen
    status = 200
    if request.method == "POST":
        form = InvolvementForm(request.POST)
        if form.is_valid():
            try:
                services.set_involvement(project=project, by=request.user, **form.cleaned_data)
            except DomainError as error:
                _add_errors(form, error)
            else:
                messages.success(request, _("Les services et élus impliqués sont enregistrés."))
                return redirect(_overview_url(project, "#transversalite"))
        status = 422
    else:
        form = InvolvementForm(
            initial={
                "services": list(project.services.values_list("pk", flat=True)),
                "elected_officials": list(project.elected_officials.values_list("pk", flat=True)),
            }
        )
    try:
        minimums = (
            engine.rule("min_services_involved", 1),
            engine.rule("min_elected_officials_involved", 1),
        )
    except engine.CharterNotLoaded:
        minimums = (1, 1)
    return render(
        request,
        "diagnosis/involvement.html",
        {"project": project, "form": form, "min_services": minimums[0], "min_elected": minimums[1]},
        status=status,
    )


# --- sign-offs --------------------------------------------------------------------------------


@login_required
@require_POST
def sign_off(request: HttpRequest, project_pk: int) -> HttpResponse:
    project = _project(request, project_pk)
    if not policies.can_sign_off_diagnosis(request.user, project):
        raise PermissionDenied
    try:
        signoff = services.sign_off_diagnosis(project=project, by=request.user)
    except DomainError as error:
        messages.error(request, "\n".join([_("La validation est refusée :"), *error.reasons]))
    else:
        messages.success(
            request,
            _("Le diagnostic (version %(version)s) est validé au nom de %(org)s.")
            % {"version": signoff.version, "org": signoff.organisation},
        )
    return redirect(_overview_url(project, "#validation"))


@login_required
@require_POST
def withdraw_sign_off(request: HttpRequest, project_pk: int) -> HttpResponse:
    project = _project(request, project_pk)
    if not policies.can_sign_off_diagnosis(request.user, project):
        raise PermissionDenied
    form = WithdrawSignOffForm(request.POST)
    try:
        services.withdraw_diagnosis_signoff(
            project=project,
            by=request.user,
            reason=form.cleaned_data["reason"] if form.is_valid() else "",
        )
    except DomainError as error:
        messages.error(request, "\n".join([_("Le retrait est refusé :"), *error.reasons]))
    else:
        messages.success(request, _("La validation de votre organisation est retirée."))
    return redirect(_overview_url(project, "#validation"))


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


# --- the conformity report --------------------------------------------------------------------


@login_required
@require_GET
def conformity_view(request: HttpRequest, project_pk: int) -> HttpResponse:
    """Every clause of the charter for this project; `?format=html` gives a printable
    standalone document, `?format=csv` a spreadsheet."""
    project = _project(request, project_pk)
    wanted = request.GET.get("format", "")
    if wanted not in ("", "html", "csv"):
        return HttpResponseBadRequest(_("Format inconnu : html ou csv."))
    try:
        report = conformity.conformity_report(project)
    except engine.CharterNotLoaded as error:
        messages.error(request, str(error))
        return redirect("diagnosis:overview", project_pk=project.pk)
    filename = f"conformite-{slugify(project.reference)}-{timezone.localdate():%Y%m%d}"
    if wanted == "csv":
        response = HttpResponse(
            conformity.report_csv(report, absolute=request.build_absolute_uri),
            content_type="text/csv; charset=utf-8",
        )
        response["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
        return response
    page = queries.diagnosis_page(project, request.user)
    context = _base_context(page) | {
        "report": report,
        "radar": _radar(
            page, title=_("Grille de développement durable : proposition et alternatives")
        ),
        "criterion_rows": _criterion_rows(page, page.options),
        "score_options": page.options,
        "absolute": request.build_absolute_uri("/").rstrip("/"),
    }
    if wanted == "html":
        response = render(request, "diagnosis/conformity_document.html", context)
        response["Content-Disposition"] = f'attachment; filename="{filename}.html"'
        return response
    return render(request, "diagnosis/conformity.html", context)
