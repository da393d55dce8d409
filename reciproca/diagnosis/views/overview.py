"""The diagnosis overview, with the "submit for decision" checklist, and the partners'
sign-offs (given or withdrawn)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from reciproca.charter import engine
from reciproca.core.exceptions import DomainError
from reciproca.core.language import du
from reciproca.diagnosis import policies, queries, services
from reciproca.diagnosis.forms import (
    WithdrawSignOffForm,
)
from reciproca.diagnosis.models import (
    Side,
)
from reciproca.diagnosis.services.signoffs import IncompleteDiagnosis
from reciproca.diagnosis.views._shared import (
    _base_context,
    _cell_label,
    _criterion_rows,
    _overview_url,
    _project,
    _radar,
    _side_labels,
    _summary,
)
from reciproca.projects import queries as project_queries
from reciproca.projects.models import Project, Stage
from reciproca.projects.panels import panels_for


def _submit_checklist(project: Project) -> list[project_queries.ChecklistCondition]:
    """The charter's conditions of "submit for decision", each met or not: the project's
    checklist, so this page and the project page agree."""
    gates = project_queries.checklist(project, transitions=["submit_for_decision"])
    return [c for gate in gates for c in gate.conditions]


def sign_off_missing(
    checklist: list[project_queries.ChecklistCondition],
) -> list[project_queries.ChecklistCondition]:
    """What the diagnosis still lacks before its sign-off is offered, from the checklist the
    page already has (the rule: `policies.sign_off_missing`)."""
    return [c for c in checklist if not c.is_met and c.check != policies.SIGNED_CHECK]


# --- the overview -----------------------------------------------------------------------------


@login_required
@require_GET
def overview(request: HttpRequest, project_pk: int) -> HttpResponse:
    # the project read within the user's scope (404 outside it) with what the page shows
    page = queries.diagnosis_page(project_pk, request.user)
    project = page.project
    labels = _side_labels(project)
    checklist = []
    if project.stage in (Stage.IDEA, Stage.DIAGNOSIS):
        with engine.sharing(page.gate_facts()):  # the checks read the page's rows
            checklist = _submit_checklist(project)
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
        "checklist": checklist,
        "sign_off_missing": sign_off_missing(checklist),
        "suggestions": queries.suggestions(project),
        "withdraw_form": WithdrawSignOffForm(),
        "project_url": reverse("projects:detail", args=[project.pk]),
        "panels": panels_for(request, project, "diagnosis"),
    }
    return render(request, "diagnosis/overview.html", context)


# --- sign-offs --------------------------------------------------------------------------------


@login_required
@require_POST
def sign_off(request: HttpRequest, project_pk: int) -> HttpResponse:
    project = _project(request, project_pk)
    if not policies.can_sign_off_diagnosis(request.user, project):
        raise PermissionDenied
    # The page asks for a confirmation and offers the sign-off on a complete diagnosis only.
    if request.POST.get("confirm") != "1":
        messages.error(request, _("Cochez la case de confirmation pour valider le diagnostic."))
        return redirect(_overview_url(project, "#validation"))
    try:
        signoff = services.sign_off_diagnosis(project=project, by=request.user)
    except IncompleteDiagnosis as error:
        messages.error(request, "\n".join(error.reasons))
        return redirect(_overview_url(project, "#avant-decision"))
    except DomainError as error:
        messages.error(request, "\n".join([_("La validation est refusée :"), *error.reasons]))
    else:
        messages.success(
            request,
            _("Le diagnostic (version %(version)s) est validé au nom %(du_org)s.")
            % {"version": signoff.version, "du_org": du(signoff.organisation)},
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
