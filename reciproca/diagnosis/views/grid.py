"""The sustainable-development grid: every assessor's scores, the acting user's own."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from reciproca.core.exceptions import DomainError
from reciproca.diagnosis import queries, services
from reciproca.diagnosis.forms import (
    GridForm,
)
from reciproca.diagnosis.models import (
    Assessment,
)
from reciproca.diagnosis.views._shared import (
    _add_errors,
    _base_context,
    _criterion_rows,
    _frozen,
    _option_or_404,
    _project,
    _radar,
    _require_edit,
    _simple_post,
)

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
