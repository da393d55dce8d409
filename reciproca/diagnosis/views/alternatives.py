"""Alternatives, the reversibility statement, and the comparison of the proposal with
every alternative."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from reciproca.core.exceptions import DomainError
from reciproca.core.forms import refusal_status
from reciproca.diagnosis import queries, services
from reciproca.diagnosis.forms import (
    AlternativeForm,
    ReversibilityForm,
)
from reciproca.diagnosis.models import (
    Alternative,
    Diagnosis,
    Dimension,
)
from reciproca.diagnosis.views._shared import (
    _add_errors,
    _base_context,
    _criterion_rows,
    _frozen,
    _overview_url,
    _project,
    _radar,
    _require_edit,
    _simple_post,
)
from reciproca.projects.models import Project

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
            data = dict(form.cleaned_data)
            revision = data.pop("revision")
            try:
                if alternative is None:
                    created = services.add_alternative(project=project, by=request.user, **data)
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
                        alternative=alternative, by=request.user, revision=revision, **data
                    )
                    messages.success(request, _("L'alternative est modifiée."))
            except DomainError as error:
                _add_errors(form, error)
            else:
                return redirect(_overview_url(project, "#alternatives"))
        status = refusal_status(form)
    elif alternative is None:
        form = AlternativeForm(initial={"revision": 0})
    else:
        form = AlternativeForm(initial=AlternativeForm.initial_from(alternative))
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
                    project=project,
                    by=request.user,
                    text=form.cleaned_data["text"],
                    revision=form.cleaned_data["revision"],
                )
            except DomainError as error:
                _add_errors(form, error)
            else:
                messages.success(
                    request, _("L'énoncé de réversibilité et de sortie est enregistré.")
                )
                return redirect(_overview_url(project, "#alternatives"))
        status = refusal_status(form)
    else:
        diagnosis = Diagnosis.objects.filter(project=project).first()
        form = ReversibilityForm(
            initial=ReversibilityForm.initial_from(diagnosis)
            if diagnosis
            else {"text": "", "revision": 0}
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
