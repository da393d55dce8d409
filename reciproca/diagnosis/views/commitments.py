"""Commitments (themes, SDG targets, markers, purpose codes) and cross-cutting
involvement."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from reciproca.charter import engine
from reciproca.core.exceptions import DomainError
from reciproca.core.forms import refusal_status
from reciproca.diagnosis import queries
from reciproca.diagnosis.forms import (
    CommitmentsForm,
    InvolvementForm,
    ThemesForm,
    split_codes,
)
from reciproca.diagnosis.queries import DiagnosisPage
from reciproca.diagnosis.views._shared import (
    _add_errors,
    _base_context,
    _frozen,
    _overview_url,
    _project,
    _require_edit,
)
from reciproca.projects import services as project_services
from reciproca.projects.models import Project
from reciproca.reference.models import PolicyMarker, PolicySignificance, PurposeCode, SdgTarget

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
        initial={
            "themes": [t.pk for t in page.project.themes.all()],
            "revision": page.project.revision,
        },
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
            "revision": page.project.revision,
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
                project_services.set_project_tags(
                    project=project,
                    by=request.user,
                    themes=themes_form.cleaned_data["themes"],
                    revision=themes_form.cleaned_data["revision"],
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
                project_services.confirm_commitments(
                    project=project,
                    by=request.user,
                    sdg_targets=targets,
                    purpose_codes=codes,
                    markers=commitments_form.marker_pairs(),
                    revision=data["revision"],
                )
                messages.success(
                    request, _("Les engagements internationaux du projet sont confirmés.")
                )
                return redirect(_overview_url(project, "#engagements"))
        except DomainError as error:
            _add_errors(themes_form if which == "themes" else commitments_form, error)
        status = refusal_status(themes_form if which == "themes" else commitments_form)
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
                project_services.set_project_tags(
                    project=project, by=request.user, **form.cleaned_data
                )
            except DomainError as error:
                _add_errors(form, error)
            else:
                messages.success(request, _("Les services et élus impliqués sont enregistrés."))
                return redirect(_overview_url(project, "#transversalite"))
        status = refusal_status(form)
    else:
        form = InvolvementForm(initial=InvolvementForm.initial_from(project))
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
